package dev.tracelake.compaction;

import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.TimeRange;
import dev.tracelake.storage.PartitionManifest;
import dev.tracelake.storage.SpanObjectKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Every stored span as a digest of its whole row, so that tests compare what readers see before and
 * after compaction column for column.
 */
final class SpanDigests {
  private SpanDigests() {}

  /** The span objects readers see under a local data directory (not the aggregates objects). */
  static List<String> liveFiles(Path data, SpanObjectKeys keys) {
    return new LocalSpanSource(data, keys)
        .files(TimeRange.ALL).stream()
            .filter(file -> !PartitionManifest.isAggregates(Path.of(file).getFileName().toString()))
            .toList();
  }

  /** The digests of the rows of the files or globs, one per row (duplicates included), sorted. */
  static List<String> of(List<String> files) {
    if (files.isEmpty()) {
      return List.of();
    }
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT md5(CAST(s AS VARCHAR)) FROM read_parquet("
                    + SpanDatabase.list(files)
                    + ", hive_partitioning = false) s ORDER BY 1")) {
      List<String> digests = new ArrayList<>();
      while (rows.next()) {
        digests.add(rows.getString(1));
      }
      return digests;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first value of a query over the files, e.g. a count. */
  static String query(String sqlWithFiles, List<String> files) {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement();
        ResultSet rows =
            statement.executeQuery(sqlWithFiles.replace("{files}", SpanDatabase.list(files)))) {
      rows.next();
      return rows.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
