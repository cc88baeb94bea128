package dev.tracelake.query.report;

import java.time.Instant;
import java.util.List;

/**
 * SLA/SLO compliance per service, and per operation where an objective names one, over a time
 * window ({@code sql/reports/sla.sql}).
 *
 * @param from the window's start
 * @param to the window's end
 * @param services one entry per service, each followed by those of its operations with objectives
 */
public record SlaReport(Instant from, Instant to, List<ServiceLevel> services) {
  public SlaReport {
    services = List.copyOf(services);
  }

  /**
   * How a service (or one operation of it) did against its objectives.
   *
   * @param service the service
   * @param operation the operation (span name), or null for the whole service
   * @param total entry spans in the window
   * @param errors those of them that failed
   * @param availability 1 - errors / total
   * @param p50Ms median entry span duration, ms
   * @param p95Ms 95th percentile, ms
   * @param p99Ms 99th percentile, ms
   * @param availabilityTarget the availability objective
   * @param latencyTargetMs the p95 latency objective, ms
   * @param compliant whether both objectives were met
   * @param errorBudgetRemaining the share of the window's error budget left, negative when
   *     overspent
   * @param burnRate how fast the budget burned; 1 spends exactly all of it
   */
  public record ServiceLevel(
      String service,
      String operation,
      long total,
      long errors,
      double availability,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      double availabilityTarget,
      double latencyTargetMs,
      boolean compliant,
      double errorBudgetRemaining,
      double burnRate) {}
}
