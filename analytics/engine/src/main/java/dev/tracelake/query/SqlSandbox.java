package dev.tracelake.query;

import dev.tracelake.query.SqlRejectedException.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a user's SQL over the spans view and lets it read the spans and nothing else.
 *
 * <p>Three layers keep a query in: the {@link SpanDatabase} is locked (no file outside the span
 * directories, no network, no extension loading, no setting changes); the statement must be one
 * read-only query, as DuckDB itself parses it (SELECT, WITH … SELECT, EXPLAIN [ANALYZE] of one,
 * DESCRIBE, SUMMARIZE, SHOW of a table); and the query may read only the spans view, its own CTEs
 * and the table functions {@code range}, {@code generate_series}, {@code unnest}, {@code json_each}
 * and {@code json_tree}, and may not call functions that expose settings or session state ({@code
 * current_setting}, {@code duckdb_*}, ...). On top, a statement timeout cancels runaway queries and
 * a row limit caps what is computed and returned: the query runs as a subquery with a LIMIT, which
 * also gives repeated column names a suffix ({@code a, a_1}).
 */
public final class SqlSandbox {
  /** How long a query may run, unless configured otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** The most rows a query returns, unless configured otherwise. */
  public static final int DEFAULT_MAX_ROWS = 10_000;

  /**
   * What one query may take.
   *
   * @param timeout how long it may run before it is cancelled
   * @param maxRows the most rows it returns; the result says when there were more
   */
  public record Limits(Duration timeout, int maxRows) {
    public static final Limits DEFAULT = new Limits(DEFAULT_TIMEOUT, DEFAULT_MAX_ROWS);

    public Limits {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the SQL timeout must be positive, not " + timeout);
      }
      if (maxRows < 1) {
        throw new IllegalArgumentException("the SQL row limit must be at least 1, not " + maxRows);
      }
    }
  }

  private static final String CATALOG_TABLES =
      "SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views()";

  /**
   * Cancels the queries that outrun their timeout, for every sandbox; the work is a native call
   * that returns at once. Cancelled timers are removed so finished queries leave nothing behind.
   */
  private static final ScheduledExecutorService CANCELLER = canceller();

  private final SpanDatabase database;
  private final SpanSource source;
  private final Limits limits;

  /** A sandbox with the default limits. */
  public SqlSandbox(SpanDatabase database, SpanSource source) {
    this(database, source, Limits.DEFAULT);
  }

  public SqlSandbox(SpanDatabase database, SpanSource source, Limits limits) {
    this.database = Objects.requireNonNull(database, "database");
    this.source = Objects.requireNonNull(source, "source");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Runs one read-only statement over the spans view.
   *
   * @param sql the user's statement
   * @param range picks the span objects the view reads; it may hold spans outside the range, so a
   *     query that cares filters on {@code dt}, {@code hour} or {@code start_time} itself
   * @throws SqlRejectedException when the statement is not allowed, runs out of time, or DuckDB
   *     rejects it; the message is for the user
   * @throws SQLException when the span objects cannot be opened, a fault of the server's
   */
  public SqlResult execute(String sql, TimeRange range) throws SqlRejectedException, SQLException {
    SqlPolicy.Split split = SqlPolicy.split(Objects.requireNonNull(sql, "sql"));
    String runnable = split.sql(limits.maxRows());
    check(split, runnable);
    try (SpanSource.Session session = source.session();
        Connection connection = database.connect(session.files(range))) {
      return run(connection, runnable);
    }
  }

  /**
   * Checks the statement, and the SQL that will run when it is not an EXPLAIN, on a connection of
   * its own, before the source fetches any object.
   */
  private void check(SqlPolicy.Split split, String runnable)
      throws SqlRejectedException, SQLException {
    try (Connection connection = database.connect(List.of())) {
      Set<String> catalogTables = new HashSet<>();
      try (Statement catalog = connection.createStatement();
          ResultSet names = catalog.executeQuery(CATALOG_TABLES)) {
        while (names.next()) {
          catalogTables.add(names.getString(1));
        }
      }
      SqlPolicy policy = new SqlPolicy(catalogTables);
      policy.check(split.statement(), serialize(connection, split.statement()));
      if (!split.isExplain()) {
        policy.check(runnable, serialize(connection, runnable));
      }
    }
  }

  /** DuckDB's parse of the SQL, as {@code json_serialize_sql} gives it, without running it. */
  private static String serialize(Connection connection, String sql) throws SQLException {
    try (PreparedStatement parse = connection.prepareStatement("SELECT json_serialize_sql(?)")) {
      parse.setString(1, sql);
      try (ResultSet result = parse.executeQuery()) {
        result.next();
        return result.getString(1);
      }
    }
  }

  private SqlResult run(Connection connection, String sql) throws SqlRejectedException {
    AtomicBoolean timedOut = new AtomicBoolean();
    try (Statement statement = connection.createStatement()) {
      ScheduledFuture<?> timer =
          CANCELLER.schedule(
              () -> {
                timedOut.set(true);
                cancel(statement);
              },
              limits.timeout().toNanos(),
              TimeUnit.NANOSECONDS);
      try (ResultSet rows = statement.executeQuery(sql)) {
        return read(rows);
      } finally {
        timer.cancel(false);
      }
    } catch (SQLException e) {
      if (timedOut.get()) {
        throw new SqlRejectedException(
            Reason.TIMED_OUT,
            "The query ran longer than the limit of "
                + describe(limits.timeout())
                + " and was cancelled.",
            e);
      }
      throw new SqlRejectedException(Reason.INVALID_QUERY, SqlPolicy.firstLine(e.getMessage()), e);
    }
  }

  private SqlResult read(ResultSet rows) throws SQLException {
    ResultSetMetaData metadata = rows.getMetaData();
    int width = metadata.getColumnCount();
    List<SqlResult.Column> columns = new ArrayList<>(width);
    for (int i = 1; i <= width; i++) {
      columns.add(new SqlResult.Column(metadata.getColumnName(i), metadata.getColumnTypeName(i)));
    }
    List<List<Object>> kept = new ArrayList<>();
    boolean truncated = false;
    while (rows.next()) {
      if (kept.size() == limits.maxRows()) {
        truncated = true;
        break;
      }
      List<Object> row = new ArrayList<>(width);
      for (int i = 1; i <= width; i++) {
        row.add(SqlValues.jsonFriendly(rows.getObject(i)));
      }
      kept.add(row);
    }
    return new SqlResult(columns, kept, truncated, limits.maxRows());
  }

  private static void cancel(Statement statement) {
    try {
      statement.cancel();
    } catch (SQLException e) {
      // The query ended and closed its statement meanwhile: nothing is left to cancel.
    }
  }

  private static String describe(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private static ScheduledExecutorService canceller() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "tracelake-sql-timeout");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
