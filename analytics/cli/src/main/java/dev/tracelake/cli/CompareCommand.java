package dev.tracelake.cli;

import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SqlResult;
import dev.tracelake.query.SqlResultFormat;
import dev.tracelake.query.TimeRange;
import dev.tracelake.query.api.Rfc3339;
import dev.tracelake.query.report.ComparisonReport;
import dev.tracelake.query.report.ComparisonReport.Measures;
import dev.tracelake.query.report.ComparisonReport.Operation;
import dev.tracelake.query.report.ComparisonReport.Side;
import dev.tracelake.query.report.ComparisonReport.Thresholds;
import dev.tracelake.query.report.ReportJson;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tracelake compare}: the regression gate. Per service and operation, how the error rate and
 * the p95 and p99 latency of entry spans changed from a baseline to a candidate, two time windows
 * or two values of an attribute in one window; exits with {@link ExitCodes#REGRESSION} when a
 * change exceeds a threshold.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Regression gate: per service and operation, the change in error rate and p95/p99 latency"
          + " between a baseline and a candidate. Exits with 4 when a threshold is exceeded.",
      "The sides are two time windows, FROM/TO, or with --by two values of an attribute in one"
          + " window (canary vs. stable). Only entry spans count (kind SERVER or CONSUMER)."
          + " Operations with fewer than --min-calls calls on either side, or on one side only,"
          + " are listed but not judged.",
      "Example: compare --baseline 2026-11-26T09:00:00Z/2026-11-26T10:00:00Z"
          + " --candidate 2026-11-26T10:00:00Z/2026-11-26T11:00:00Z",
      "Example: compare --by service.version --baseline 1.4.2 --candidate 1.5.0"
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:no operation regressed",
      "1:the comparison could not run (storage, query)",
      "2:the command line is wrong",
      "4:an operation regressed: a threshold is exceeded"
    })
public final class CompareCommand implements Callable<Integer> {
  @Option(
      names = "--baseline",
      required = true,
      paramLabel = "FROM/TO|VALUE",
      description =
          "What to compare against: a window, two RFC 3339 times separated by '/', or with --by"
              + " a value of the attribute.")
  String baseline;

  @Option(
      names = "--candidate",
      required = true,
      paramLabel = "FROM/TO|VALUE",
      description = "What to judge: a window, or with --by a value of the attribute.")
  String candidate;

  @Option(
      names = "--by",
      paramLabel = "KEY",
      description =
          "Compare two values of this attribute in one window (--from/--to): the span's own"
              + " attribute, else its resource's, e.g. service.version.")
  String by;

  @Option(
      names = "--from",
      converter = SearchCommand.InstantConverter.class,
      description = "With --by: the window's start, RFC 3339 (default: an hour before --to).")
  Instant from;

  @Option(
      names = "--to",
      converter = SearchCommand.InstantConverter.class,
      description = "With --by: the window's end, RFC 3339 (default: now).")
  Instant to;

  @Option(
      names = "--max-error-rate-increase",
      paramLabel = "RATE",
      defaultValue = "" + Thresholds.DEFAULT_MAX_ERROR_RATE_INCREASE,
      description =
          "The largest error rate increase allowed, absolute: 0.01 is one percentage point"
              + " (default: ${DEFAULT-VALUE}).")
  double maxErrorRateIncrease;

  @Option(
      names = "--max-p95-increase",
      paramLabel = "RATIO",
      defaultValue = "" + Thresholds.DEFAULT_MAX_P95_INCREASE,
      description =
          "The largest p95 latency increase allowed, relative: 0.2 is 20%% slower"
              + " (default: ${DEFAULT-VALUE}).")
  double maxP95Increase;

  @Option(
      names = "--max-p99-increase",
      paramLabel = "RATIO",
      defaultValue = "" + Thresholds.DEFAULT_MAX_P99_INCREASE,
      description = "The largest p99 latency increase allowed (default: ${DEFAULT-VALUE}).")
  double maxP99Increase;

  @Option(
      names = "--min-calls",
      paramLabel = "N",
      defaultValue = "" + Thresholds.DEFAULT_MIN_CALLS,
      description =
          "The fewest calls an operation needs on each side to be judged (default:"
              + " ${DEFAULT-VALUE}).")
  long minCalls;

  @Mixin StorageOptions storage;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Side baselineSide;
    Side candidateSide;
    Thresholds thresholds;
    try {
      thresholds = new Thresholds(maxErrorRateIncrease, maxP95Increase, maxP99Increase, minCalls);
      if (by == null) {
        if (from != null || to != null) {
          throw new IllegalArgumentException(
              "--from and --to give the window of a comparison --by an attribute; without --by,"
                  + " --baseline and --candidate are the windows, FROM/TO");
        }
        baselineSide = Side.window(window("--baseline", baseline));
        candidateSide = Side.window(window("--candidate", candidate));
      } else {
        if (by.isBlank()) {
          throw new IllegalArgumentException("--by names an attribute, e.g. service.version");
        }
        if (baseline.isBlank() || candidate.isBlank()) {
          throw new IllegalArgumentException(
              "with --by, --baseline and --candidate are values of " + by + ", e.g. 1.4.2");
        }
        if (baseline.equals(candidate)) {
          throw new IllegalArgumentException(
              "--baseline and --candidate are the same value of " + by + ": '" + baseline + "'");
        }
        Instant end = to != null ? to : Instant.now();
        Instant start = from != null ? from : end.minus(ComparisonReport.DEFAULT_WINDOW);
        TimeRange window = new TimeRange(start, end);
        baselineSide = Side.value(window, baseline);
        candidateSide = Side.value(window, candidate);
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try (QueryEngine engine = storage.queryEngine()) {
      ComparisonReport report =
          engine.reports().compare(by, baselineSide, candidateSide, thresholds);
      PrintWriter out = spec.commandLine().getOut();
      // The verdict follows a table; CSV and JSON stay parseable, with the verdict on stderr.
      PrintWriter verdictOut = out;
      switch (output.format) {
        case JSON -> {
          out.println(ReportJson.text(report));
          verdictOut = spec.commandLine().getErr();
        }
        case CSV -> {
          out.print(SqlResultFormat.CSV.render(table(report, false)));
          verdictOut = spec.commandLine().getErr();
        }
        case TABLE -> out.print(SqlResultFormat.TABLE.render(table(report, true)));
      }
      out.flush();
      verdictOut.println(verdict(report));
      verdictOut.flush();
      return report.regressed() ? ExitCodes.REGRESSION : ExitCodes.OK;
    }
  }

  /**
   * A window given as {@code FROM/TO}.
   *
   * @throws IllegalArgumentException naming the option and what it should look like
   */
  static TimeRange window(String option, String text) {
    int slash = text.indexOf('/');
    if (slash < 0 || slash != text.lastIndexOf('/')) {
      throw new IllegalArgumentException(
          option
              + " '"
              + text
              + "' is not a window FROM/TO: two RFC 3339 times separated by '/', e.g."
              + " 2026-11-26T09:00:00Z/2026-11-26T10:00:00Z (to compare two values of an"
              + " attribute, add --by KEY)");
    }
    try {
      return new TimeRange(
          Rfc3339.parse(text.substring(0, slash)), Rfc3339.parse(text.substring(slash + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  /**
   * The operations as rows: rounded for people ({@code forPeople}), in full for programs, which
   * also get the error counts.
   */
  private static SqlResult table(ComparisonReport report, boolean forPeople) {
    List<SqlResult.Column> columns = new ArrayList<>();
    List<Function<Operation, Object>> cells = new ArrayList<>();
    column(columns, cells, "service", "VARCHAR", Operation::service);
    column(columns, cells, "operation", "VARCHAR", Operation::operation);
    column(columns, cells, "status", "VARCHAR", CompareCommand::status);
    column(columns, cells, "baseline_calls", "BIGINT", o -> measure(o.baseline(), Measures::calls));
    column(
        columns, cells, "candidate_calls", "BIGINT", o -> measure(o.candidate(), Measures::calls));
    if (!forPeople) {
      column(
          columns,
          cells,
          "baseline_errors",
          "BIGINT",
          o -> measure(o.baseline(), Measures::errors));
      column(
          columns,
          cells,
          "candidate_errors",
          "BIGINT",
          o -> measure(o.candidate(), Measures::errors));
    }
    int rates = forPeople ? 4 : -1;
    int ms = forPeople ? 3 : -1;
    column(
        columns,
        cells,
        "baseline_error_rate",
        "DOUBLE",
        o -> number(o.baseline(), Measures::errorRate, rates));
    column(
        columns,
        cells,
        "candidate_error_rate",
        "DOUBLE",
        o -> number(o.candidate(), Measures::errorRate, rates));
    column(columns, cells, "error_rate_change", "DOUBLE", o -> number(o.errorRateChange(), rates));
    column(
        columns,
        cells,
        "baseline_p95_ms",
        "DOUBLE",
        o -> number(o.baseline(), Measures::p95Ms, ms));
    column(
        columns,
        cells,
        "candidate_p95_ms",
        "DOUBLE",
        o -> number(o.candidate(), Measures::p95Ms, ms));
    column(columns, cells, "p95_change", "DOUBLE", o -> number(o.p95Change(), rates));
    column(
        columns,
        cells,
        "baseline_p99_ms",
        "DOUBLE",
        o -> number(o.baseline(), Measures::p99Ms, ms));
    column(
        columns,
        cells,
        "candidate_p99_ms",
        "DOUBLE",
        o -> number(o.candidate(), Measures::p99Ms, ms));
    column(columns, cells, "p99_change", "DOUBLE", o -> number(o.p99Change(), rates));
    column(columns, cells, "reasons", "VARCHAR", o -> String.join(" ", o.reasons()));
    List<List<Object>> rows = new ArrayList<>();
    for (Operation operation : report.operations()) {
      List<Object> row = new ArrayList<>(cells.size());
      cells.forEach(cell -> row.add(cell.apply(operation)));
      rows.add(row);
    }
    return new SqlResult(columns, rows, false, rows.size());
  }

  private static void column(
      List<SqlResult.Column> columns,
      List<Function<Operation, Object>> cells,
      String name,
      String type,
      Function<Operation, Object> cell) {
    columns.add(new SqlResult.Column(name, type));
    cells.add(cell);
  }

  /** What became of an operation, in a word or two. */
  static String status(Operation operation) {
    if (operation.regressed()) {
      return "regressed";
    }
    if (operation.baseline() == null) {
      return "candidate only";
    }
    if (operation.candidate() == null) {
      return "baseline only";
    }
    return operation.judged() ? "ok" : "too few calls";
  }

  private static Object measure(Measures measures, Function<Measures, Long> count) {
    return measures == null ? null : count.apply(measures);
  }

  private static Object number(Measures measures, ToDoubleFunction<Measures> value, int scale) {
    return measures == null ? null : number(value.applyAsDouble(measures), scale);
  }

  /** A value as a decimal without exponent, rounded to {@code scale} places unless it is -1. */
  private static Object number(Double value, int scale) {
    if (value == null) {
      return null;
    }
    BigDecimal decimal = BigDecimal.valueOf(value);
    return scale < 0 ? decimal : decimal.setScale(scale, RoundingMode.HALF_UP);
  }

  /** One line: did the candidate regress, how many operations were judged, what was compared. */
  static String verdict(ComparisonReport report) {
    long judged = report.operations().stream().filter(Operation::judged).count();
    long regressed = report.operations().stream().filter(Operation::regressed).count();
    long notJudged = report.operations().size() - judged;
    StringBuilder line = new StringBuilder();
    if (regressed > 0) {
      line.append(
          String.format(
              "REGRESSED: %d of %d judged operation%s exceeded a threshold",
              regressed, judged, judged == 1 ? "" : "s"));
    } else if (judged == 0) {
      line.append("OK: no regression, but no operation was judged");
    } else {
      line.append(
          String.format(
              "OK: no regression in %d judged operation%s", judged, judged == 1 ? "" : "s"));
    }
    if (notJudged > 0) {
      line.append(
          String.format(
              "; %d not judged (fewer than %d calls on a side, or on one side only)",
              notJudged, report.thresholds().minCalls()));
    }
    line.append("; baseline ").append(report.baseline().label());
    line.append(", candidate ").append(report.candidate().label());
    if (report.by() != null) {
      line.append(" by ")
          .append(report.by())
          .append(" in ")
          .append(report.baseline().window().from())
          .append('/')
          .append(report.baseline().window().to());
    }
    return line.append('.').toString();
  }
}
