package dev.tracelake.query.report;

import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.SpanSource;
import dev.tracelake.query.SqlResources;
import dev.tracelake.query.TimeRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the reports of {@code sql/reports/} over the spans of a time window (two, to compare them):
 * the SQL aggregates, this class picks the files, binds the window and the objectives, and reads
 * the rows into records.
 */
public final class Reports {
  private static final String DEPENDENCIES = SqlResources.load("reports/dependencies.sql");
  private static final String SLA = SqlResources.load("reports/sla.sql");
  private static final String INCIDENTS = SqlResources.load("reports/incidents.sql");
  private static final String COMPARE = SqlResources.load("reports/compare.sql");

  private final SpanDatabase database;
  private final SpanSource source;
  private final Duration traceReach;

  /**
   * @param traceReach how long before a window a span's parent may start: the dependency graph
   *     reads that much more, to name the callers of the window's first calls
   */
  public Reports(SpanDatabase database, SpanSource source, Duration traceReach) {
    this.database = database;
    this.source = source;
    this.traceReach = traceReach;
  }

  /** The service dependency graph of the window. */
  public DependencyReport dependencies(TimeRange window) throws SQLException {
    TimeRange read = new TimeRange(window.widen(traceReach).from(), window.to());
    List<DependencyReport.Edge> edges = new ArrayList<>();
    query(
        DEPENDENCIES,
        read,
        statement -> {
          statement.setLong(5, window.fromUnixNano());
          statement.setLong(6, window.toUnixNano());
        },
        rows ->
            edges.add(
                new DependencyReport.Edge(
                    rows.getString("caller"),
                    rows.getString("callee"),
                    rows.getLong("calls"),
                    rows.getLong("errors"),
                    rows.getDouble("p50_ms"),
                    rows.getDouble("p95_ms"),
                    rows.getDouble("p99_ms"),
                    rows.getBoolean("virtual"))));
    return new DependencyReport(window.from(), window.to(), edges);
  }

  /** SLA/SLO compliance in the window, against the policy's objectives. */
  public SlaReport sla(TimeRange window, SloPolicy policy) throws SQLException {
    List<SlaReport.ServiceLevel> services = new ArrayList<>();
    query(
        SLA,
        window,
        statement -> {
          statement.setLong(5, window.fromUnixNano());
          statement.setLong(6, window.toUnixNano());
          statement.setString(7, policy.objectivesJson());
        },
        rows ->
            services.add(
                new SlaReport.ServiceLevel(
                    rows.getString("service"),
                    rows.getString("operation"),
                    rows.getLong("total"),
                    rows.getLong("errors"),
                    rows.getDouble("availability"),
                    rows.getDouble("p50_ms"),
                    rows.getDouble("p95_ms"),
                    rows.getDouble("p99_ms"),
                    rows.getDouble("availability_target"),
                    rows.getDouble("latency_target_ms"),
                    rows.getBoolean("compliant"),
                    rows.getDouble("error_budget_remaining"),
                    rows.getDouble("burn_rate"))));
    return new SlaReport(window.from(), window.to(), services);
  }

  /**
   * The incidents overlapping the window, found by the policy's alerting rules, which see the data
   * from the longest rule window before it.
   */
  public IncidentReport incidents(TimeRange window, SloPolicy policy) throws SQLException {
    TimeRange evaluated = new TimeRange(window.widen(policy.longestWindow()).from(), window.to());
    List<IncidentReport.Incident> incidents = new ArrayList<>();
    List<IncidentReport.ServiceIncidents> byService = new ArrayList<>();
    Double[] overall = new Double[2];
    query(
        INCIDENTS,
        evaluated,
        statement -> {
          statement.setLong(5, evaluated.fromUnixNano());
          statement.setLong(6, evaluated.toUnixNano());
          statement.setLong(7, window.fromUnixNano());
          statement.setLong(8, window.toUnixNano());
          statement.setString(9, policy.objectivesJson());
          statement.setString(10, policy.rulesJson());
          statement.setLong(11, policy.hold().toMinutes());
        },
        rows -> {
          switch (rows.getString("row_type")) {
            case "incident" ->
                incidents.add(
                    new IncidentReport.Incident(
                        rows.getString("service"),
                        IncidentKind.of(rows.getString("kind")),
                        instant(rows, "onset"),
                        instant(rows, "detected_at"),
                        instant(rows, "resolved_at"),
                        rows.getLong("ttd_seconds"),
                        rows.getObject("ttr_seconds", Long.class)));
            case "service" ->
                byService.add(
                    new IncidentReport.ServiceIncidents(
                        rows.getString("service"),
                        rows.getLong("incidents"),
                        rows.getObject("mttd_seconds", Double.class),
                        rows.getObject("mttr_seconds", Double.class)));
            case "overall" -> {
              overall[0] = rows.getObject("mttd_seconds", Double.class);
              overall[1] = rows.getObject("mttr_seconds", Double.class);
            }
            default -> throw new IllegalStateException("unknown row " + rows.getString("row_type"));
          }
        });
    return new IncidentReport(
        window.from(), window.to(), incidents, overall[0], overall[1], byService);
  }

  /**
   * The regression gate: how each operation's error rate and p95 and p99 latency changed from the
   * baseline to the candidate, judged against the thresholds.
   *
   * @param by the attribute whose values tell the sides apart (both sides then have a value), or
   *     null to compare the sides' windows (neither has a value)
   * @throws IllegalArgumentException when the sides do not fit {@code by}
   */
  public ComparisonReport compare(
      String by,
      ComparisonReport.Side baseline,
      ComparisonReport.Side candidate,
      ComparisonReport.Thresholds thresholds)
      throws SQLException {
    if (by == null && (baseline.value() != null || candidate.value() != null)) {
      throw new IllegalArgumentException(
          "sides with attribute values need the attribute to compare");
    }
    if (by != null && (by.isBlank() || baseline.value() == null || candidate.value() == null)) {
      throw new IllegalArgumentException(
          "comparing by an attribute ('" + by + "') needs a value on each side");
    }
    List<ComparisonReport.Operation> operations = new ArrayList<>();
    // The comparison reads spans' attributes, which aggregates do not keep: every span object.
    query(
        COMPARE,
        List.of(baseline.window(), candidate.window()),
        SpanSource.Session::files,
        statement -> {
          statement.setLong(5, baseline.window().fromUnixNano());
          statement.setLong(6, baseline.window().toUnixNano());
          statement.setLong(7, candidate.window().fromUnixNano());
          statement.setLong(8, candidate.window().toUnixNano());
          statement.setString(9, by);
          statement.setString(10, baseline.value());
          statement.setString(11, candidate.value());
          statement.setDouble(12, thresholds.maxErrorRateIncrease());
          statement.setDouble(13, thresholds.maxP95Increase());
          statement.setDouble(14, thresholds.maxP99Increase());
          statement.setLong(15, thresholds.minCalls());
        },
        rows -> {
          List<String> reasons = new ArrayList<>();
          for (Object reason : (Object[]) rows.getArray("reasons").getArray()) {
            reasons.add((String) reason);
          }
          operations.add(
              new ComparisonReport.Operation(
                  rows.getString("service"),
                  rows.getString("operation"),
                  measures(rows, "baseline_"),
                  measures(rows, "candidate_"),
                  rows.getObject("error_rate_change", Double.class),
                  rows.getObject("p95_change", Double.class),
                  rows.getObject("p99_change", Double.class),
                  rows.getBoolean("judged"),
                  rows.getBoolean("regressed"),
                  reasons));
        });
    return new ComparisonReport(
        by,
        baseline,
        candidate,
        thresholds,
        operations,
        operations.stream().anyMatch(ComparisonReport.Operation::regressed));
  }

  /** Which files of a range a report reads: {@link SpanSource.Session#files} or summaries. */
  private interface Reading {
    List<String> files(SpanSource.Session session, TimeRange range);
  }

  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private interface RowReader {
    void read(ResultSet rows) throws SQLException;
  }

  /**
   * Runs report SQL over the summary files of the range ({@link SpanSource#summaryFiles}: the
   * aggregates in place of the compacted objects), with the range's first and last partition bound
   * to parameters 1 to 4 and the rest bound by {@code binder}.
   */
  private void query(String sql, TimeRange range, Binder binder, RowReader reader)
      throws SQLException {
    query(sql, List.of(range), SpanSource.Session::summaryFiles, binder, reader);
  }

  /**
   * Runs report SQL over the files {@code reading} gives for several ranges, with the first and
   * last partition any of them reaches bound to parameters 1 to 4: two windows a week apart read
   * the files of those two windows, not of the week between.
   */
  private void query(
      String sql, List<TimeRange> ranges, Reading reading, Binder binder, RowReader reader)
      throws SQLException {
    Instant from =
        ranges.stream().map(TimeRange::from).min(Comparator.naturalOrder()).orElseThrow();
    Instant to = ranges.stream().map(TimeRange::to).max(Comparator.naturalOrder()).orElseThrow();
    try (SpanSource.Session session = source.session()) {
      Set<String> files = new LinkedHashSet<>();
      for (TimeRange range : ranges) {
        files.addAll(reading.files(session, range));
      }
      try (Connection connection = database.connect(List.copyOf(files));
          PreparedStatement statement = connection.prepareStatement(sql)) {
        SpanDatabase.bindPartitions(statement, new TimeRange(from, to));
        binder.bind(statement);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            reader.read(rows);
          }
        }
      }
    }
  }

  /**
   * One side's columns of a comparison row ({@code baseline_calls}, ...), or null without calls.
   */
  private static ComparisonReport.Measures measures(ResultSet rows, String side)
      throws SQLException {
    Long calls = rows.getObject(side + "calls", Long.class);
    return calls == null
        ? null
        : new ComparisonReport.Measures(
            calls,
            rows.getLong(side + "errors"),
            rows.getDouble(side + "error_rate"),
            rows.getDouble(side + "p95_ms"),
            rows.getDouble(side + "p99_ms"));
  }

  private static Instant instant(ResultSet rows, String column) throws SQLException {
    LocalDateTime time = rows.getObject(column, LocalDateTime.class);
    return time == null ? null : time.toInstant(ZoneOffset.UTC);
  }
}
