package dev.tracelake.query;

import dev.tracelake.query.api.QueryApi;
import dev.tracelake.query.report.Reports;
import dev.tracelake.query.report.SloPolicy;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything the read side needs, opened once per process over one span source: the locked-down
 * database, trace lookup and search, the SQL sandbox, the reports, and the HTTP API over them. The
 * CLI, {@code ./tracelake serve} and the query function each hold one.
 */
public final class QueryEngine implements AutoCloseable {
  /**
   * How far the other spans of a trace found by a search may start from the search window: whole
   * traces are gathered from the window widened by this much.
   */
  public static final Duration TRACE_REACH = Duration.ofHours(1);

  private final SpanSource source;
  private final SpanDatabase database;
  private final TraceReader traces;
  private final SqlSandbox sql;
  private final Reports reports;
  private final QueryApi api;

  private QueryEngine(
      SpanSource source,
      SpanDatabase database,
      TraceReader traces,
      SqlSandbox sql,
      Reports reports,
      QueryApi api) {
    this.source = source;
    this.database = database;
    this.traces = traces;
    this.sql = sql;
    this.reports = reports;
    this.api = api;
  }

  /**
   * Opens the engine over the source, which it closes when it is closed, with the default
   * objectives for the API's reports.
   */
  public static QueryEngine open(SpanSource source, SpanDatabase.Settings settings) {
    return open(source, settings, SloPolicy.defaults());
  }

  /**
   * Opens the engine over the source, which it closes when it is closed.
   *
   * @param policy the objectives and alerting rules of the API's SLA and incident reports
   */
  public static QueryEngine open(
      SpanSource source, SpanDatabase.Settings settings, SloPolicy policy) {
    return open(source, settings, policy, SqlSandbox.Limits.DEFAULT);
  }

  /**
   * Opens the engine over the source, which it closes when it is closed.
   *
   * @param policy the objectives and alerting rules of the API's SLA and incident reports
   * @param sqlLimits the statement timeout and row limit of {@code /api/sql}
   */
  public static QueryEngine open(
      SpanSource source,
      SpanDatabase.Settings settings,
      SloPolicy policy,
      SqlSandbox.Limits sqlLimits) {
    SpanDatabase database = SpanDatabase.open(settings, source);
    TraceReader traces = new TraceReader(database, source, TRACE_REACH);
    SqlSandbox sql = new SqlSandbox(database, source, sqlLimits);
    Reports reports = new Reports(database, source, TRACE_REACH);
    return new QueryEngine(
        source,
        database,
        traces,
        sql,
        reports,
        new QueryApi(traces, sql, reports, policy, Clock.systemUTC()));
  }

  public TraceReader traces() {
    return traces;
  }

  public SqlSandbox sql() {
    return sql;
  }

  public Reports reports() {
    return reports;
  }

  public QueryApi api() {
    return api;
  }

  @Override
  public void close() {
    database.close();
    source.close();
  }
}
