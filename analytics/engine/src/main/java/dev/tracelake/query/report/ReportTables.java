package dev.tracelake.query.report;

import dev.tracelake.query.SqlResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reports as tables, for the text formats (an aligned table, Markdown, CSV): times as RFC 3339,
 * durations in ms and ratios rounded for reading. JSON keeps the full precision.
 */
public final class ReportTables {
  /** A titled table of a report. */
  public record Table(String title, SqlResult rows) {}

  private ReportTables() {}

  /** The dependency graph: one row per edge. */
  public static List<Table> of(DependencyReport report) {
    List<List<Object>> rows = new ArrayList<>();
    for (DependencyReport.Edge edge : report.edges()) {
      rows.add(
          row(
              edge.caller(),
              edge.callee(),
              edge.calls(),
              edge.errors(),
              percent(edge.errorRate()),
              ms(edge.p50Ms()),
              ms(edge.p95Ms()),
              ms(edge.p99Ms()),
              edge.virtual()));
    }
    return List.of(
        table(
            "Dependencies " + report.from() + " to " + report.to(),
            List.of(
                "caller", "callee", "calls", "errors", "error_%", "p50_ms", "p95_ms", "p99_ms",
                "virtual"),
            rows));
  }

  /** SLA compliance: one row per service, and per operation with objectives. */
  public static List<Table> of(SlaReport report) {
    List<List<Object>> rows = new ArrayList<>();
    for (SlaReport.ServiceLevel level : report.services()) {
      rows.add(
          row(
              level.service(),
              level.operation() == null ? "" : level.operation(),
              level.total(),
              level.errors(),
              percent(level.availability()),
              percent(level.availabilityTarget()),
              ms(level.p95Ms()),
              ms(level.latencyTargetMs()),
              level.compliant(),
              percent(level.errorBudgetRemaining()),
              ratio(level.burnRate())));
    }
    return List.of(
        table(
            "SLA " + report.from() + " to " + report.to(),
            List.of(
                "service",
                "operation",
                "total",
                "errors",
                "availability_%",
                "target_%",
                "p95_ms",
                "target_ms",
                "compliant",
                "budget_left_%",
                "burn_rate"),
            rows));
  }

  /** Incidents: one row per incident, then MTTD and MTTR per service and overall. */
  public static List<Table> of(IncidentReport report) {
    List<List<Object>> incidents = new ArrayList<>();
    for (IncidentReport.Incident incident : report.incidents()) {
      incidents.add(
          row(
              incident.service(),
              incident.kind().label(),
              text(incident.onset()),
              text(incident.detectedAt()),
              text(incident.resolvedAt()),
              incident.ttdSeconds(),
              incident.ttrSeconds()));
    }
    List<List<Object>> summary = new ArrayList<>();
    for (IncidentReport.ServiceIncidents service : report.byService()) {
      summary.add(
          row(
              service.service(),
              service.incidents(),
              seconds(service.mttdSeconds()),
              seconds(service.mttrSeconds())));
    }
    summary.add(
        row(
            "(all)",
            (long) report.incidents().size(),
            seconds(report.mttdSeconds()),
            seconds(report.mttrSeconds())));
    return List.of(
        table(
            "Incidents " + report.from() + " to " + report.to(),
            List.of(
                "service",
                "kind",
                "onset",
                "detected_at",
                "resolved_at",
                "ttd_seconds",
                "ttr_seconds"),
            incidents),
        table(
            "MTTD and MTTR",
            List.of("service", "incidents", "mttd_seconds", "mttr_seconds"),
            summary));
  }

  private static Table table(String title, List<String> names, List<List<Object>> rows) {
    List<SqlResult.Column> columns =
        names.stream().map(name -> new SqlResult.Column(name, "")).toList();
    return new Table(title, new SqlResult(columns, rows, false, rows.size()));
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  private static Object text(Object value) {
    return value == null ? null : value.toString();
  }

  private static BigDecimal ms(double value) {
    return round(value, 1);
  }

  private static BigDecimal percent(double share) {
    return round(share * 100, 3);
  }

  private static BigDecimal ratio(double value) {
    return round(value, 2);
  }

  private static BigDecimal seconds(Double value) {
    return value == null ? null : round(value, 0);
  }

  private static BigDecimal round(double value, int places) {
    return Double.isFinite(value)
        ? BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).stripTrailingZeros()
        : null;
  }
}
