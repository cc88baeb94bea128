package dev.tracelake.query;

import dev.tracelake.query.api.QueryApi;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything the read side needs, opened once per process over one span source: the locked-down
 * database, trace lookup and search, the SQL sandbox, and the HTTP API over them. The CLI, {@code
 * ./tracelake serve} and the query function each hold one.
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
  private final QueryApi api;

  private QueryEngine(
      SpanSource source, SpanDatabase database, TraceReader traces, SqlSandbox sql, QueryApi api) {
    this.source = source;
    this.database = database;
    this.traces = traces;
    this.sql = sql;
    this.api = api;
  }

  /** Opens the engine over the source, which it closes when it is closed. */
  public static QueryEngine open(SpanSource source, SpanDatabase.Settings settings) {
    SpanDatabase database = SpanDatabase.open(settings, source);
    TraceReader traces = new TraceReader(database, source, TRACE_REACH);
    SqlSandbox sql = new SqlSandbox(database, source);
    return new QueryEngine(
        source, database, traces, sql, new QueryApi(traces, sql, Clock.systemUTC()));
  }

  public TraceReader traces() {
    return traces;
  }

  public SqlSandbox sql() {
    return sql;
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
