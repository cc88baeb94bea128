package dev.tracelake.query.report;

import dev.tracelake.query.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The regression gate ({@code sql/reports/compare.sql}): per service and operation, how the error
 * rate and the p95 and p99 latency of entry spans changed from a baseline to a candidate, and
 * whether a change exceeds the thresholds. The sides are two time windows (before and after a
 * deploy), or two values of an attribute in one window (canary and stable {@code service.version}).
 *
 * @param by the attribute whose values tell the sides apart (the span's own, else its resource's),
 *     or null when the sides are time windows
 * @param baseline what the candidate is measured against
 * @param candidate what is being judged
 * @param thresholds how much worse the candidate may be, and how many calls it takes to judge
 * @param operations one per operation with calls on either side, regressed ones first, then by
 *     service and operation
 * @param regressed whether any operation regressed: the gate fails
 */
public record ComparisonReport(
    String by,
    Side baseline,
    Side candidate,
    Thresholds thresholds,
    List<Operation> operations,
    boolean regressed) {
  /** The window of a comparison by attribute when none is given: the hour before now. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

  public ComparisonReport {
    operations = List.copyOf(operations);
  }

  /**
   * One side of the comparison: the entry spans that start in the window and, when comparing by an
   * attribute, carry the value.
   *
   * @param from the window's start
   * @param to the window's end (inclusive)
   * @param value the attribute's value (compared as text), or null when comparing windows
   */
  public record Side(Instant from, Instant to, String value) {
    public Side {
      if (from.isAfter(to)) {
        throw new IllegalArgumentException(
            "the window starts (" + from + ") after it ends (" + to + ")");
      }
      if (value != null && value.isBlank()) {
        throw new IllegalArgumentException("an attribute value to compare is not blank");
      }
    }

    /** A time window, all of whose entry spans are the side. */
    public static Side window(TimeRange window) {
      return new Side(window.from(), window.to(), null);
    }

    /** The entry spans of the window with the value of the compared attribute. */
    public static Side value(TimeRange window, String value) {
      return new Side(window.from(), window.to(), value);
    }

    public TimeRange window() {
      return new TimeRange(from, to);
    }

    /** For people: {@code FROM/TO}, or the value. */
    public String label() {
      return value != null ? value : from + "/" + to;
    }
  }

  /**
   * How much worse the candidate may be than the baseline before an operation regresses; each
   * threshold is exceeded when the change is more than it.
   *
   * @param maxErrorRateIncrease the largest error rate increase, absolute: 0.01 is one percentage
   *     point
   * @param maxP95Increase the largest p95 latency increase, relative: 0.2 is 20% slower
   * @param maxP99Increase the same for the p99
   * @param minCalls the fewest calls an operation needs on each side to be judged at all
   */
  public record Thresholds(
      double maxErrorRateIncrease, double maxP95Increase, double maxP99Increase, long minCalls) {
    /** One percentage point more errors. */
    public static final double DEFAULT_MAX_ERROR_RATE_INCREASE = 0.01;

    /** 20% slower. */
    public static final double DEFAULT_MAX_P95_INCREASE = 0.2;

    /** 20% slower. */
    public static final double DEFAULT_MAX_P99_INCREASE = 0.2;

    /**
     * Fewer calls than this on either side, and one error or one slow call more is a change of 2%:
     * noise, not a regression.
     */
    public static final long DEFAULT_MIN_CALLS = 50;

    public Thresholds {
      check("the largest error rate increase", maxErrorRateIncrease);
      check("the largest p95 increase", maxP95Increase);
      check("the largest p99 increase", maxP99Increase);
      if (minCalls < 0) {
        throw new IllegalArgumentException(
            "the fewest calls to judge an operation is 0 or more, not " + minCalls);
      }
    }

    /** The defaults: +1 percentage point of errors, +20% p95 and p99, 50 calls on each side. */
    public static Thresholds defaults() {
      return new Thresholds(
          DEFAULT_MAX_ERROR_RATE_INCREASE,
          DEFAULT_MAX_P95_INCREASE,
          DEFAULT_MAX_P99_INCREASE,
          DEFAULT_MIN_CALLS);
    }

    private static void check(String what, double threshold) {
      if (!(threshold >= 0) || Double.isInfinite(threshold)) {
        throw new IllegalArgumentException(what + " is a number, 0 or more, not " + threshold);
      }
    }
  }

  /**
   * One operation on both sides, and how it changed.
   *
   * @param service the service
   * @param operation the operation (span name)
   * @param baseline its measures on the baseline side, or null without calls there
   * @param candidate its measures on the candidate side, or null without calls there
   * @param errorRateChange candidate error rate - baseline error rate, or null without both sides
   * @param p95Change candidate p95 / baseline p95 - 1, or null without both sides (or a baseline
   *     p95 of 0)
   * @param p99Change the same for the p99
   * @param judged whether both sides have at least {@link Thresholds#minCalls()} calls; an
   *     operation that is not judged never regresses
   * @param regressed whether a threshold is exceeded
   * @param reasons the thresholds exceeded: {@code error_rate}, {@code p95}, {@code p99}
   */
  public record Operation(
      String service,
      String operation,
      Measures baseline,
      Measures candidate,
      Double errorRateChange,
      Double p95Change,
      Double p99Change,
      boolean judged,
      boolean regressed,
      List<String> reasons) {
    public Operation {
      reasons = List.copyOf(reasons);
    }
  }

  /**
   * An operation's entry spans on one side.
   *
   * @param calls how many
   * @param errors how many of them failed (status ERROR)
   * @param errorRate errors / calls
   * @param p95Ms 95th percentile of their durations, ms
   * @param p99Ms 99th percentile, ms
   */
  public record Measures(long calls, long errors, double errorRate, double p95Ms, double p99Ms) {}
}
