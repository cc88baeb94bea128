package dev.tracelake.testing;

import dev.tracelake.spans.StoredSpan;
import dev.tracelake.spans.StoredSpanDecoder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads span objects back with DuckDB, a Parquet reader independent of the writer, and rebuilds the
 * OTLP each row stands for with {@link StoredSpanDecoder}, which the query side uses too.
 */
public final class ParquetSpanReader {
  /** A stored row: the rebuilt span, and the columns derived from it or from the object's path. */
  public record Row(
      StoredSpan span, String serviceName, long durationNano, String dt, int hour, String file) {}

  private ParquetSpanReader() {}

  /**
   * Every span row of the Parquet files matching a glob, e.g. {@code /data/spans/**}{@code
   * /*.parquet}.
   */
  public static List<Row> read(String glob) {
    String sql =
        "SELECT *, strftime(dt, '%Y-%m-%d') AS dt_text FROM read_parquet('"
            + glob.replace("'", "''")
            + "', hive_partitioning = true, hive_types = {'dt': DATE, 'hour': INTEGER},"
            + " filename = true) ORDER BY filename, trace_id, start_time_unix_nano";
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<Row> result = new ArrayList<>();
      StoredSpanDecoder decoder = new StoredSpanDecoder();
      while (rows.next()) {
        result.add(row(decoder, rows));
      }
      return result;
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB could not read " + glob, e);
    }
  }

  /** Every span row under a directory tree of span objects. */
  public static List<Row> readDirectory(Path root) {
    return read(root.toAbsolutePath() + "/**/*.parquet");
  }

  private static Row row(StoredSpanDecoder decoder, ResultSet rows) throws SQLException {
    StoredSpan stored = decoder.decode(rows);
    return new Row(
        stored,
        rows.getString("service_name"),
        rows.getLong("duration_nano"),
        rows.getString("dt_text"),
        rows.getInt("hour"),
        rows.getString("filename"));
  }
}
