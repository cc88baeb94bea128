package dev.tracelake.query;

import dev.tracelake.parquet.SpanParquetEncoder;
import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.PartitionManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * The in-process DuckDB database every query runs in. It is locked down when opened: it reads files
 * only under the span source's directories, cannot reach the network or load extensions, and its
 * settings cannot be changed afterwards. Each query gets its own connection, whose {@code spans}
 * view reads just the files that query needs.
 */
public final class SpanDatabase implements AutoCloseable {
  /**
   * Resources DuckDB may use; set explicitly because its defaults (every core, 80% of memory, a
   * temp directory in the working directory) suit neither a Lambda nor a laptop.
   *
   * @param threads worker threads per query
   * @param memoryLimit DuckDB's memory_limit, e.g. {@code 1GB}
   * @param workDirectory private scratch space (spills, the empty object), created if missing
   */
  public record Settings(int threads, String memoryLimit, Path workDirectory) {
    public static Settings defaults(Path workDirectory) {
      return new Settings(Runtime.getRuntime().availableProcessors(), "2GB", workDirectory);
    }
  }

  private static final String SPANS_VIEW = SqlResources.load("views/spans.sql");
  private static final String AGGREGATES_VIEW = SqlResources.load("views/span_aggregates.sql");

  private static final String CALLS_MACRO = SqlResources.load("views/calls.sql");
  private static final String FACTS_VIEWS = SqlResources.load("views/facts.sql");

  private final DuckDBConnection database;
  private final Path workDirectory;
  private final String emptyObject;
  private final String emptyAggregates;
  private final String spansView;

  private SpanDatabase(
      DuckDBConnection database,
      Path workDirectory,
      String emptyObject,
      String emptyAggregates,
      String spansView) {
    this.database = database;
    this.workDirectory = workDirectory;
    this.emptyObject = emptyObject;
    this.emptyAggregates = emptyAggregates;
    this.spansView = spansView;
  }

  /** Opens a database that may read the source's files and nothing else. */
  public static SpanDatabase open(Settings settings, SpanSource source) {
    return openWithView(settings, source, SPANS_VIEW);
  }

  /**
   * Opens a database whose {@code spans} view is other SQL over the source's files, for spans kept
   * in another layout (the benchmark reads OTLP/JSON archives this way). The view's SQL has {@code
   * {ingested_files}} where the files go, and gives the columns, as {@code views/spans.sql} does
   * (whose {@code {compacted_files}} such a view need not have).
   */
  public static SpanDatabase openWithView(Settings settings, SpanSource source, String spansView) {
    Path work = settings.workDirectory().toAbsolutePath().normalize();
    Path empty = work.resolve("empty/dt=1970-01-01/hour=00/empty.parquet");
    Path emptyAggregates =
        empty.resolveSibling(PartitionManifest.AGGREGATES_PREFIX + "empty.parquet");
    try {
      Files.createDirectories(empty.getParent());
      Files.createDirectories(work.resolve("tmp"));
      // A view needs at least one file to take its columns from, even when no span is stored yet.
      Files.write(empty, new SpanParquetEncoder().encode(List.of()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare DuckDB's work directory " + work, e);
    }
    List<Path> readable = new ArrayList<>(source.readableDirectories());
    readable.add(empty.getParent());
    try {
      DuckDBConnection database = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
      try (Statement statement = database.createStatement()) {
        statement.execute("SET threads = " + settings.threads());
        statement.execute("SET memory_limit = " + literal(settings.memoryLimit()));
        statement.execute("SET temp_directory = " + literal(work.resolve("tmp").toString()));
        // Footers stay parsed between queries: every query opens each object in range again, and
        // objects never change once written. A lookup without an index opens every object.
        statement.execute("SET parquet_metadata_cache = true");
        statement.execute("SET autoinstall_known_extensions = false");
        statement.execute("SET autoload_known_extensions = false");
        statement.execute(
            "SET allowed_directories = " + list(readable.stream().map(dir -> dir + "/").toList()));
        statement.execute("SET enable_external_access = false");
        statement.execute("SET lock_configuration = true");
        statement.execute(SqlResources.load("views/macros.sql"));
      }
      writeEmptyAggregates(database, empty, emptyAggregates);
      return new SpanDatabase(
          database, work, empty.toString(), emptyAggregates.toString(), spansView);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open DuckDB: " + e.getMessage(), e);
    }
  }

  /**
   * The aggregates object of no spans, written by the SQL compaction writes them with: the {@code
   * span_aggregates} view takes its columns from it when a query has no aggregates to read.
   */
  private static void writeEmptyAggregates(Connection database, Path empty, Path output)
      throws SQLException {
    try (Connection connection = ((DuckDBConnection) database).duplicate();
        Statement statement = connection.createStatement()) {
      statement.execute(
          spansView(SPANS_VIEW, List.of(empty.toString()), List.of(empty.toString())));
      statement.execute(CALLS_MACRO);
      statement.execute(PartitionAggregatesSql.writing(HourPartition.ofUnixNanos(0), output));
    }
  }

  /**
   * A connection whose views read the given files or globs (none: empty views): {@code spans} the
   * span objects, {@code span_aggregates} the aggregates objects (told apart by name), and the
   * views of {@code sql/views/} over them. The caller closes it.
   */
  public Connection connect(List<String> files) throws SQLException {
    List<String> aggregates = files.stream().filter(SpanDatabase::isAggregatesFile).toList();
    return define(
        connectToSpans(files),
        List.of(
            AGGREGATES_VIEW.replace(
                "{aggregate_files}",
                list(aggregates.isEmpty() ? List.of(emptyAggregates) : aggregates)),
            CALLS_MACRO,
            FACTS_VIEWS));
  }

  /**
   * A connection with the {@code spans} view alone over the span objects among the files (others
   * are left out), for trace lookups and searches: binding the report views takes about 10 ms, a
   * fifth of a lookup's time. The caller closes it.
   */
  public Connection connectToSpans(List<String> files) throws SQLException {
    List<String> ingested = new ArrayList<>();
    List<String> compacted = new ArrayList<>();
    for (String file : files) {
      if (!isAggregatesFile(file)) {
        (PartitionManifest.isCompacted(Path.of(file).getFileName().toString())
                ? compacted
                : ingested)
            .add(file);
      }
    }
    return define(
        database.duplicate(), List.of(spansView(spansView, orEmpty(ingested), orEmpty(compacted))));
  }

  /**
   * A connection with no view, for queries that name their files themselves; as locked down as
   * every other. The caller closes it.
   */
  Connection connectWithoutViews() throws SQLException {
    return database.duplicate();
  }

  /** Whether a file (a path or a glob) is an aggregates object rather than span objects. */
  static boolean isAggregatesFile(String file) {
    return PartitionManifest.isAggregates(Path.of(file).getFileName().toString());
  }

  /** Runs the definitions on the connection and returns it, or closes it when one fails. */
  private static Connection define(Connection connection, List<String> definitions)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String definition : definitions) {
        statement.execute(definition);
      }
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  /** The files, or the empty object: a view needs at least one file to take its columns from. */
  private List<String> orEmpty(List<String> files) {
    return files.isEmpty() ? List.of(emptyObject) : files;
  }

  private static String spansView(String sql, List<String> ingested, List<String> compacted) {
    return sql.replace("{ingested_files}", list(ingested))
        .replace("{compacted_files}", list(compacted));
  }

  /**
   * Binds the first and last hour partition of the range to parameters 1 to 4, as the SQL of {@code
   * sql/} takes them to prune files by path; returns the next parameter's index.
   */
  public static int bindPartitions(PreparedStatement statement, TimeRange range)
      throws SQLException {
    HourPartition first = HourPartition.ofUnixNanos(range.fromUnixNano());
    HourPartition last = HourPartition.ofUnixNanos(range.toUnixNano());
    statement.setString(1, first.date().toString());
    statement.setInt(2, first.hour());
    statement.setString(3, last.date().toString());
    statement.setInt(4, last.hour());
    return 5;
  }

  /** Closes DuckDB and removes what it put in the work directory. */
  @Override
  public void close() {
    try {
      database.close();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close DuckDB: " + e.getMessage(), e);
    }
    for (String created : List.of("empty", "tmp")) {
      WorkDirectories.deleteTree(workDirectory.resolve(created));
    }
  }

  /** A SQL string literal. */
  public static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** A SQL list of string literals, as the file lists of the SQL of {@code sql/} take them. */
  public static String list(List<String> texts) {
    return texts.stream().map(SpanDatabase::literal).collect(Collectors.joining(", ", "[", "]"));
  }
}
