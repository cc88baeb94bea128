package dev.tracelake.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.index.TraceIndex;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.SyntheticTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries with a time range read only the partitions in range, as DuckDB's EXPLAIN ANALYZE reports:
 * the spans view with a dt/hour filter, and the search SQL with its window.
 */
class PartitionPruningTest {
  private static final Instant FIRST_HOUR = Instant.parse("2026-11-26T22:00:00Z");
  private static final int HOURS = 4;
  private static final int OBJECTS_PER_HOUR = 3;

  @TempDir Path data;
  @TempDir Path work;
  private SpanDatabase database;
  private SpanSource source;

  @BeforeEach
  void ingestFourHoursAcrossMidnight() {
    TraceIngester ingester =
        new TraceIngester(
            new LocalDirectoryObjectStore(data),
            new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX),
            TraceIndex.NONE);
    for (int hour = 0; hour < HOURS; hour++) {
      for (int object = 0; object < OBJECTS_PER_HOUR; object++) {
        ExportTraceServiceRequest request =
            SyntheticTraces.request(hour * 100 + object, 200, FIRST_HOUR.plusSeconds(3600L * hour));
        ingester.ingest(request, request.toByteArray());
      }
    }
    source = new LocalSpanSource(data, new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX));
    database = SpanDatabase.open(SpanDatabase.Settings.defaults(work), source);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aFilterOnTheHourReadsOnlyThatHoursObjects() throws SQLException {
    String plan = explain("SELECT count(*) FROM spans WHERE dt = DATE '2026-11-27' AND hour = 0");

    assertThat(filesRead(plan)).isEqualTo(OBJECTS_PER_HOUR);
  }

  @Test
  void withoutAFilterEveryObjectIsRead() throws SQLException {
    assertThat(filesRead(explain("SELECT count(*) FROM spans")))
        .isEqualTo(HOURS * OBJECTS_PER_HOUR);
  }

  @Test
  void aSearchOverTwoHoursAcrossMidnightReadsOnlyThoseHours() throws SQLException {
    Instant from = Instant.parse("2026-11-26T23:10:00Z");
    Instant to = Instant.parse("2026-11-27T00:50:00Z");
    try (Connection connection = database.connect(source.files(TimeRange.ALL));
        PreparedStatement search =
            connection.prepareStatement(
                "EXPLAIN ANALYZE " + SqlResources.load("queries/find_traces.sql"))) {
      search.setString(1, "2026-11-26");
      search.setInt(2, 23);
      search.setString(3, "2026-11-27");
      search.setInt(4, 0);
      search.setLong(5, new TimeRange(from, to).fromUnixNano());
      search.setLong(6, new TimeRange(from, to).toUnixNano());
      search.setString(7, "frontend");
      for (int parameter = 8; parameter <= 11; parameter++) {
        search.setObject(parameter, null);
      }
      search.setArray(12, connection.createArrayOf("VARCHAR", new Object[0]));
      search.setLong(13, 20);
      assertThat(filesRead(plan(search))).isEqualTo(2 * OBJECTS_PER_HOUR);
    }
  }

  private String explain(String sql) throws SQLException {
    try (Connection connection = database.connect(source.files(TimeRange.ALL));
        PreparedStatement statement = connection.prepareStatement("EXPLAIN ANALYZE " + sql)) {
      return plan(statement);
    }
  }

  private static String plan(PreparedStatement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getString(2);
    }
  }

  /**
   * The most files one scan of the plan reads: the spans view scans ingested and compacted objects
   * apart, and a query may scan the view more than once.
   */
  private static int filesRead(String plan) {
    Matcher read = Pattern.compile("Total Files Read: (\\d+)").matcher(plan);
    int most = -1;
    while (read.find()) {
      most = Math.max(most, Integer.parseInt(read.group(1)));
    }
    assertThat(most).as(plan).isNotNegative();
    return most;
  }
}
