package dev.tracelake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.ingest.OtlpHttpEndpoint;
import dev.tracelake.query.SqlRejectedException.Reason;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.SyntheticTraces;
import dev.tracelake.testing.LocalIngest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SQL sandbox over real span objects: ingested synthetic traffic, read by a locked DuckDB. Each
 * attack must be refused with a message saying why, and the sandbox must keep answering after it.
 */
class SqlSandboxTest {
  private static final int SPANS_PER_HOUR = 512;
  private static final Instant HOUR = Instant.parse("2026-03-02T10:00:00Z");
  private static final String GOOD_QUERY =
      "SELECT service_name, count(*) AS spans FROM spans GROUP BY 1 ORDER BY 1";

  @TempDir static Path data;
  @TempDir static Path work;

  private static SpanDatabase database;
  private static LocalSpanSource source;
  private static SqlSandbox sandbox;

  @BeforeAll
  static void ingestAndOpen() {
    OtlpHttpEndpoint endpoint = LocalIngest.endpoint(data, IngestLimits.DEFAULT);
    for (int hour = 0; hour < 2; hour++) {
      byte[] body =
          SyntheticTraces.request(hour, SPANS_PER_HOUR, HOUR.plusSeconds(3600L * hour))
              .toByteArray();
      assertThat(endpoint.export("application/x-protobuf", null, body).status()).isEqualTo(200);
    }
    source = new LocalSpanSource(data, new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX));
    database = SpanDatabase.open(new SpanDatabase.Settings(2, "1GB", work), source);
    sandbox = new SqlSandbox(database, source);
  }

  @AfterAll
  static void close() throws SQLException {
    database.close();
  }

  @Test
  void countsSpansByService() throws Exception {
    SqlResult result = sandbox.execute(GOOD_QUERY, TimeRange.ALL);

    assertThat(result.columns())
        .containsExactly(
            new SqlResult.Column("service_name", "VARCHAR"),
            new SqlResult.Column("spans", "BIGINT"));
    assertThat(result.rows()).extracting(row -> row.get(0)).contains("frontend");
    assertThat(result.rows().stream().mapToLong(row -> (Long) row.get(1)).sum())
        .isEqualTo(2L * SPANS_PER_HOUR);
    assertThat(result.truncated()).isFalse();
    assertThat(result.maxRows()).isEqualTo(SqlSandbox.DEFAULT_MAX_ROWS);
  }

  @Test
  void describesSummarizesAndShowsTheSpansView() throws Exception {
    assertThat(sandbox.execute("DESCRIBE spans", TimeRange.ALL).rows())
        .extracting(row -> row.get(0))
        .contains("trace_id", "service_name", "start_time", "dt", "hour");
    assertThat(sandbox.execute("SHOW spans", TimeRange.ALL).rows())
        .extracting(row -> row.get(0))
        .contains("trace_id");
    assertThat(
            sandbox
                .execute("SUMMARIZE SELECT service_name, duration_nano FROM spans", TimeRange.ALL)
                .rows())
        .extracting(row -> row.get(0))
        .containsExactly("service_name", "duration_nano");
    assertThat(sandbox.execute("SUMMARIZE spans", TimeRange.ALL).rows()).isNotEmpty();
  }

  @Test
  void readsTheViewsTheReportsRead() throws Exception {
    // Nothing is compacted here: every span is a fact as it is, none is in the aggregates.
    SqlResult facts =
        sandbox.execute(
            "SELECT (SELECT count(*) FROM span_facts) AS facts,"
                + " (SELECT count(*) FROM spans WHERE NOT aggregated) AS spans,"
                + " (SELECT count(*) FROM span_aggregates) AS aggregates,"
                + " (SELECT count(*) FROM aggregated_spans) AS aggregated,"
                + " (SELECT count(*) FROM dependency_calls(DATE '1970-01-01', 0, DATE '2100-01-01',"
                + " 0, 0, 9223372036854775807)) > 0 AS calls",
            TimeRange.ALL);

    assertThat(facts.rows().get(0))
        .containsExactly(2L * SPANS_PER_HOUR, 2L * SPANS_PER_HOUR, 0L, 0L, true);
  }

  @Test
  void explainsQueries() throws Exception {
    SqlResult plan = sandbox.execute("EXPLAIN " + GOOD_QUERY, TimeRange.ALL);
    assertThat(plan.rows()).isNotEmpty();
    assertThat(plan.rows().get(0).get(1).toString()).contains("READ_PARQUET");

    SqlResult profile =
        sandbox.execute(
            "-- how long does it take?\n explain   analyze " + GOOD_QUERY, TimeRange.ALL);
    assertThat(profile.rows().get(0).get(1).toString()).contains("Total Time");
  }

  @Test
  void runsCommonTableExpressionsAndGeneratingFunctions() throws Exception {
    SqlResult result =
        sandbox.execute(
            """
            WITH per_trace AS (
              SELECT trace_id, count(*) AS spans FROM spans GROUP BY trace_id),
            hours AS (SELECT * FROM range(3) t(h))
            SELECT count(*) AS traces, min(spans) >= 1 AS sane, (SELECT count(*) FROM hours) AS n,
                   (SELECT count(*) FROM unnest([1, 2])) AS m
            FROM per_trace;
            """,
            TimeRange.ALL);

    assertThat(result.rows()).hasSize(1);
    assertThat((Long) result.rows().get(0).get(0)).isPositive();
    assertThat(result.rows().get(0).subList(1, 4)).containsExactly(true, 3L, 2L);
  }

  @Test
  void givesJsonFriendlyValues() throws Exception {
    SqlResult result =
        sandbox.execute(
            """
            SELECT start_time, TIMESTAMPTZ '2026-03-02 12:00:00.5+02' AS tz, DATE '2026-03-02' AS d,
                   '\\xCA\\xFE'::BLOB AS b, [1, NULL, 3] AS l, {'k': 'v', 'n': [1.5]} AS s,
                   MAP {'a': 1} AS m, 'nan'::DOUBLE AS nan, 12.50::DECIMAL(6, 2) AS dec,
                   12345678901234567890::HUGEINT AS huge, NULL AS nothing, true AS yes,
                   INTERVAL 90 MINUTE AS i
            FROM spans ORDER BY start_time LIMIT 1
            """,
            TimeRange.ALL);

    List<Object> row = result.rows().get(0);
    assertThat((String) row.get(0)).matches("2026-03-02T10:\\d\\d:\\d\\d(\\.\\d+)?Z");
    assertThat(row.subList(1, row.size()))
        .containsExactly(
            "2026-03-02T10:00:00.500Z",
            "2026-03-02",
            "yv4=",
            java.util.Arrays.asList(1, null, 3),
            Map.of("k", "v", "n", List.of(new java.math.BigDecimal("1.5"))),
            Map.of("a", 1),
            "nan",
            new java.math.BigDecimal("12.50"),
            new java.math.BigInteger("12345678901234567890"),
            null,
            true,
            "01:30:00");
    assertThat(result.columns().get(0).type()).isEqualTo("TIMESTAMP");

    JsonObject json = JsonParser.parseString(result.toJson()).getAsJsonObject();
    assertThat(json.keySet()).containsExactly("columns", "rows", "truncated");
    assertThat(json.getAsJsonArray("columns").get(1).getAsJsonObject().get("type").getAsString())
        .isEqualTo("TIMESTAMP WITH TIME ZONE");
    assertThat(json.getAsJsonArray("rows").get(0).getAsJsonArray().get(10).isJsonNull()).isTrue();
    assertThat(json.get("truncated").getAsBoolean()).isFalse();
  }

  @Test
  void readsBinaryAttributesOfStoredSpansAsBase64() throws Exception {
    SqlResult result =
        sandbox.execute(
            "SELECT attributes FROM spans WHERE len(attributes) > 0 LIMIT 1", TimeRange.ALL);

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> attributes = (List<Map<String, Object>>) result.rows().get(0).get(0);
    assertThat(attributes).isNotEmpty();
    assertThat(attributes.get(0)).containsKeys("key", "string_value", "bytes_value");
  }

  static Stream<Arguments> attacks() {
    String stolen = data.resolve("stolen.csv").toString();
    return Stream.of(
        Arguments.of("SELECT * FROM read_csv('/etc/passwd')", "read_csv() is not allowed"),
        Arguments.of("select * from READ_TEXT('/etc/passwd')", "read_text() is not allowed"),
        Arguments.of("SELECT * FROM read_blob('/etc/passwd')", "read_blob() is not allowed"),
        Arguments.of("SELECT * FROM '/etc/passwd'", "'/etc/passwd' is not allowed"),
        Arguments.of(
            "SELECT * FROM spans WHERE trace_id IN (SELECT content FROM read_text('/etc/hosts'))",
            "read_text() is not allowed"),
        Arguments.of("SELECT * FROM glob('/*')", "glob() is not allowed"),
        Arguments.of("SELECT * FROM query('SELECT 1')", "query() is not allowed"),
        Arguments.of(
            "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))",
            "json_execute_serialized_sql() is not allowed"),
        Arguments.of("COPY (SELECT * FROM spans) TO '" + stolen + "'", "COPY statements"),
        Arguments.of("COPY spans TO '" + stolen + "' (FORMAT csv)", "COPY statements"),
        Arguments.of("EXPLAIN COPY (SELECT 1) TO '" + stolen + "'", "COPY statements"),
        Arguments.of("EXPORT DATABASE '" + data.resolve("export") + "'", "EXPORT statements"),
        Arguments.of("ATTACH '" + data.resolve("x.db") + "' AS x", "ATTACH statements"),
        Arguments.of("INSTALL httpfs", "INSTALL statements"),
        Arguments.of("LOAD httpfs", "LOAD statements"),
        Arguments.of("SET threads = 1", "SET statements"),
        Arguments.of("RESET memory_limit", "RESET statements"),
        Arguments.of("PRAGMA version", "PRAGMA statements"),
        Arguments.of("CALL pragma_version()", "CALL statements"),
        Arguments.of("CREATE TABLE t AS SELECT 1", "CREATE statements"),
        Arguments.of("CREATE TEMP VIEW v AS SELECT * FROM spans", "CREATE statements"),
        Arguments.of("CREATE MACRO m(x) AS x", "CREATE statements"),
        Arguments.of("DROP VIEW spans", "DROP statements"),
        Arguments.of("INSERT INTO spans VALUES (1)", "INSERT statements"),
        Arguments.of("SELECT 1; DROP VIEW spans", "holds another statement"),
        Arguments.of("SELECT 1; SELECT 2", "holds 2 statements"),
        Arguments.of("", "The SQL is empty"),
        Arguments.of("SELECT getenv('HOME')", "getenv() is not allowed"),
        Arguments.of(
            "SELECT current_setting('allowed_directories')", "current_setting() is not allowed"),
        Arguments.of(
            "SELECT (SELECT pg_catalog.current_setting('temp_directory')) AS t",
            "current_setting() is not allowed"),
        Arguments.of("SELECT * FROM duckdb_settings()", "duckdb_settings() is not allowed"),
        Arguments.of("SELECT * FROM duckdb_tables", "names a system table"),
        Arguments.of("SELECT * FROM pg_settings", "names a system table"),
        Arguments.of("SUMMARIZE pg_settings", "names a system table"),
        Arguments.of("WITH pg_settings AS (SELECT 1) SELECT * FROM pg_settings", "system table"),
        Arguments.of("SELECT * FROM information_schema.tables", "no schema or catalog"),
        Arguments.of("SELECT * FROM temp.main.spans", "no schema or catalog"),
        Arguments.of("SELECT * FROM nowhere", "'nowhere' is not allowed"),
        Arguments.of("SELECT sleep_ms(60000)", "sleep_ms() is not allowed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void refusesAttacksAndKeepsServing(String sql, String message) throws Exception {
    SqlRejectedException refusal =
        catchThrowableOfType(SqlRejectedException.class, () -> sandbox.execute(sql, TimeRange.ALL));

    assertThat(refusal).as(sql).isNotNull();
    assertThat(refusal.reason()).isEqualTo(Reason.NOT_ALLOWED);
    assertThat(refusal.getMessage()).contains(message);
    assertThat(data.resolve("stolen.csv")).doesNotExist();
    assertThat(data.resolve("export")).doesNotExist();
    assertThat(data.resolve("x.db")).doesNotExist();
    assertThat(sandbox.execute(GOOD_QUERY, TimeRange.ALL).rows()).isNotEmpty();
  }

  @Test
  void refusalsSayWhatIsAllowed() {
    SqlRejectedException refusal =
        catchThrowableOfType(
            SqlRejectedException.class, () -> sandbox.execute("DELETE FROM spans", TimeRange.ALL));

    assertThat(refusal.getMessage())
        .isEqualTo(
            "DELETE statements are not allowed: only one read-only query is allowed: SELECT,"
                + " WITH … SELECT, EXPLAIN [ANALYZE] <query>, DESCRIBE, SUMMARIZE or SHOW"
                + " <table>.");
  }

  @Test
  void cancelsARunawayQueryAtTheTimeout() throws Exception {
    SqlSandbox impatient =
        new SqlSandbox(database, source, new SqlSandbox.Limits(Duration.ofSeconds(1), 100));
    long start = System.nanoTime();

    SqlRejectedException refusal =
        catchThrowableOfType(
            SqlRejectedException.class,
            () ->
                impatient.execute(
                    "SELECT count(*) FROM range(1e12::BIGINT) a, range(1e12::BIGINT) b",
                    TimeRange.ALL));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(refusal.reason()).isEqualTo(Reason.TIMED_OUT);
    assertThat(refusal.getMessage())
        .isEqualTo("The query ran longer than the limit of 1 s and was cancelled.");
    assertThat(impatient.execute(GOOD_QUERY, TimeRange.ALL).rows()).isNotEmpty();
  }

  @Test
  void truncatesAtTheRowLimit() throws Exception {
    SqlSandbox small =
        new SqlSandbox(database, source, new SqlSandbox.Limits(SqlSandbox.DEFAULT_TIMEOUT, 100));

    SqlResult cut = small.execute("SELECT * FROM spans", TimeRange.ALL);
    assertThat(cut.rows()).hasSize(100);
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.maxRows()).isEqualTo(100);
    assertThat(
            JsonParser.parseString(cut.toJson()).getAsJsonObject().get("truncated").getAsBoolean())
        .isTrue();

    SqlResult ordered =
        small.execute("SELECT range FROM range(1000) ORDER BY range DESC", TimeRange.ALL);
    assertThat(ordered.rows().get(0)).containsExactly(999L);
    assertThat(ordered.rows().get(99)).containsExactly(900L);

    SqlResult exact = small.execute("SELECT * FROM range(100)", TimeRange.ALL);
    assertThat(exact.rows()).hasSize(100);
    assertThat(exact.truncated()).isFalse();
  }

  @Test
  void stopsComputingAtTheRowLimit() throws Exception {
    long start = System.nanoTime();

    SqlResult cut =
        sandbox.execute(
            "SELECT range, range::VARCHAR FROM range(1e12::BIGINT); -- a trillion rows",
            TimeRange.ALL);

    assertThat(cut.rows()).hasSize(SqlSandbox.DEFAULT_MAX_ROWS);
    assertThat(cut.truncated()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void reportsDuckDbErrorsAsInvalidQueries() {
    assertThat(invalid("SELECT no_such_column FROM spans"))
        .startsWith("Binder Error: Referenced column \"no_such_column\" not found")
        .doesNotContain("\n");
    assertThat(invalid("SELEC 1")).isEqualTo("Parser Error: syntax error at or near \"SELEC\"");
    assertThat(invalid("SELECT error('boom')")).contains("boom").doesNotContain("\n");
    assertThat(invalid("SELECT 1 / 'x'")).contains("Error").doesNotContain("\n");
  }

  private static String invalid(String sql) {
    SqlRejectedException refusal =
        catchThrowableOfType(SqlRejectedException.class, () -> sandbox.execute(sql, TimeRange.ALL));
    assertThat(refusal).as(sql).isNotNull();
    assertThat(refusal.reason()).as(sql).isEqualTo(Reason.INVALID_QUERY);
    return refusal.getMessage();
  }

  @Test
  void leavesNoFileBehind() throws IOException {
    try (Stream<Path> files = Files.walk(data)) {
      assertThat(files.filter(Files::isRegularFile).map(Path::toString))
          .allMatch(path -> path.endsWith(".parquet"));
    }
  }
}
