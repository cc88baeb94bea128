package dev.tracelake.compaction;

import dev.tracelake.index.TraceIndexEntry;
import dev.tracelake.index.TraceIndexKey;
import dev.tracelake.parquet.SpanParquetEncoder;
import dev.tracelake.query.PartitionAggregatesSql;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.SqlResources;
import dev.tracelake.query.TraceReader;
import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.PartitionManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The DuckDB side of compacting one partition, running the SQL of {@code sql/compaction/}: merges
 * input objects into deduplicated output objects sorted by time slice and trace, and reads the
 * trace index entries of objects. One in-memory database per partition, so its memory goes when the
 * partition is done.
 */
final class SpanMerger implements AutoCloseable {
  private static final String MERGE = SqlResources.load("compaction/merge.sql");
  private static final String WRITE_BUCKET = SqlResources.load("compaction/write_bucket.sql");
  private static final String INDEX_ENTRIES = SqlResources.load("compaction/index_entries.sql");
  private static final String INPUT_TRACES = SqlResources.load("compaction/input_traces.sql");
  private static final String PARTITION_SPANS = SqlResources.load("compaction/partition_spans.sql");
  private static final String CALLS_MACRO = SqlResources.load("views/calls.sql");
  private static final String DROP_UNRETAINED = SqlResources.load("compaction/drop_unretained.sql");

  private final Connection database;
  private final Path emptyObject;

  /**
   * A partition's objects to merge.
   *
   * @param partition the hour
   * @param objects its live objects, fetched
   * @param previousHour the live objects of the hour before it, fetched: the parents of the
   *     partition's first calls started there
   * @param sampled whether retention has sampled the partition: its aggregates, which are kept,
   *     count the spans of its compacted objects already
   */
  record Inputs(
      HourPartition partition, List<Path> objects, List<Path> previousHour, boolean sampled) {}

  /**
   * What a merge did.
   *
   * @param outputs the span objects written
   * @param aggregates the aggregates object written
   * @param spansIn spans read, duplicates included
   * @param spansDropped spans of traces retention did not keep
   * @param spansOut spans written
   */
  record Merged(
      List<Path> outputs, Path aggregates, long spansIn, long spansDropped, long spansOut) {}

  /**
   * @param settings DuckDB's threads and memory
   * @param temp where DuckDB spills what does not fit in memory
   */
  SpanMerger(SpanDatabase.Settings settings, Path temp) {
    try {
      Files.createDirectories(temp);
      // read_parquet needs a file, when the hour before has none.
      emptyObject =
          Files.write(temp.resolve("empty.parquet"), new SpanParquetEncoder().encode(List.of()));
      database = DriverManager.getConnection("jdbc:duckdb:");
      try (Statement statement = database.createStatement()) {
        statement.execute("SET threads = " + settings.threads());
        statement.execute("SET memory_limit = " + SpanDatabase.literal(settings.memoryLimit()));
        statement.execute("SET temp_directory = " + SpanDatabase.literal(temp.toString()));
        statement.execute("SET autoinstall_known_extensions = false");
        statement.execute(SqlResources.load("views/macros.sql"));
      }
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot open DuckDB for compaction: " + e.getMessage(), e);
    }
  }

  /**
   * Merges the partition's inputs into objects of at most about {@code spansPerObject} spans each,
   * named {@code <compacted prefix><name>-<n>.parquet} in the output directory, after writing the
   * aggregates of their spans there as {@code <aggregates prefix><name>.parquet}; with {@code
   * retention}, drops the traces it does not keep after counting them.
   */
  Merged merge(
      Inputs inputs,
      Path outputDirectory,
      String name,
      CompactionSettings settings,
      Optional<RetentionPolicy> retention)
      throws SQLException {
    long spansIn =
        count("SELECT sum(num_rows) FROM parquet_file_metadata(" + list(inputs.objects()) + ")");
    execute(MERGE.replace("{inputs}", list(inputs.objects())));
    long deduplicated = count("SELECT count(*) FROM merged");
    Path aggregates =
        outputDirectory.resolve(PartitionManifest.AGGREGATES_PREFIX + name + ".parquet");
    aggregate(inputs, aggregates);
    if (retention.isPresent()) {
      dropUnretained(retention.get());
    }
    long spansOut = count("SELECT count(*) FROM merged");
    long buckets =
        Math.max(1, (spansOut + settings.spansPerObject() - 1) / settings.spansPerObject());
    List<Path> outputs = new ArrayList<>();
    for (long bucket = 0; bucket < buckets; bucket++) {
      String inBucket = "hash(trace_id) % " + buckets + " = " + bucket;
      if (count("SELECT count(*) FROM merged WHERE " + inBucket) == 0) {
        continue; // a hash bucket a small partition left empty
      }
      Path output =
          outputDirectory.resolve(
              String.format("%s%s-%03d.parquet", PartitionManifest.COMPACTED_PREFIX, name, bucket));
      execute(
          WRITE_BUCKET
              .replace("{buckets}", Long.toString(buckets))
              .replace("{bucket}", Long.toString(bucket))
              .replace("{output}", SpanDatabase.literal(output.toString()))
              .replace("{row_group_spans}", Integer.toString(settings.rowGroupSpans()))
              .replace("{trace_slice_nanos}", Long.toString(TraceReader.SEARCH_SLICE.toNanos())));
      outputs.add(output);
    }
    execute("DROP TABLE merged");
    return new Merged(outputs, aggregates, spansIn, deduplicated - spansOut, spansOut);
  }

  /** Writes the aggregates of the merged spans the partition's kept aggregates do not count. */
  private void aggregate(Inputs inputs, Path output) throws SQLException {
    List<Path> previousObjects =
        inputs.previousHour().isEmpty() ? List.of(emptyObject) : inputs.previousHour();
    execute(
        PartitionAggregatesSql.bindHours(PARTITION_SPANS, inputs.partition())
            .replace("{previous_objects}", list(previousObjects))
            .replace("{keep_aggregates}", Boolean.toString(inputs.sampled())));
    execute(CALLS_MACRO);
    execute(PartitionAggregatesSql.writing(inputs.partition(), output));
  }

  private void dropUnretained(RetentionPolicy retention) throws SQLException {
    try (PreparedStatement statement = database.prepareStatement(DROP_UNRETAINED)) {
      statement.setString(1, retention.objectives().objectivesJson());
      statement.setString(2, retention.attributesJson());
      statement.setDouble(3, retention.sampleRate());
      statement.execute();
    }
  }

  /** The trace index entries of objects, keyed by {@code keyOfName} of each file's name. */
  List<TraceIndexEntry> indexEntries(List<Path> objects, Function<String, String> keyOfName)
      throws SQLException {
    List<TraceIndexEntry> entries = new ArrayList<>();
    try (Statement statement = database.createStatement();
        ResultSet rows =
            statement.executeQuery(INDEX_ENTRIES.replace("{outputs}", list(objects)))) {
      while (rows.next()) {
        entries.add(
            new TraceIndexEntry(
                rows.getString("trace_id"),
                keyOfName.apply(rows.getString("object_name")),
                rows.getInt("span_count"),
                rows.getLong("start_unix_nano"),
                rows.getLong("end_unix_nano"),
                new TreeSet<>(strings(rows.getArray("services"))),
                rows.getString("root_service"),
                rows.getString("root_name"),
                rows.getBoolean("error")));
      }
    }
    return entries;
  }

  /** The index keys of the traces in objects, keyed by {@code keyOfName} of each file's name. */
  List<TraceIndexKey> traceKeys(List<Path> objects, Function<String, String> keyOfName)
      throws SQLException {
    List<TraceIndexKey> keys = new ArrayList<>();
    try (Statement statement = database.createStatement();
        ResultSet rows = statement.executeQuery(INPUT_TRACES.replace("{inputs}", list(objects)))) {
      while (rows.next()) {
        keys.add(
            new TraceIndexKey(rows.getString(1), keyOfName.apply(rows.getString("object_name"))));
      }
    }
    return keys;
  }

  @Override
  public void close() {
    try {
      database.close();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close DuckDB: " + e.getMessage(), e);
    }
  }

  private void execute(String sql) throws SQLException {
    // One statement per query: DuckDB's JDBC statement is unusable after a failed one.
    try (Statement statement = database.createStatement()) {
      statement.execute(sql);
    }
  }

  private long count(String sql) throws SQLException {
    try (Statement statement = database.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static List<String> strings(Array array) throws SQLException {
    return Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
  }

  private static String list(List<Path> files) {
    return SpanDatabase.list(files.stream().map(Path::toString).toList());
  }
}
