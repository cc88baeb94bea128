package dev.tracelake.query;

import dev.tracelake.parquet.SpanParquetEncoder;
import dev.tracelake.spans.HourPartition;
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

  private final DuckDBConnection database;
  private final Path workDirectory;
  private final String emptyObject;
  private final String spansView;

  private SpanDatabase(
      DuckDBConnection database, Path workDirectory, String emptyObject, String spansView) {
    this.database = database;
    this.workDirectory = workDirectory;
    this.emptyObject = emptyObject;
    this.spansView = spansView;
  }

  /** Opens a database that may read the source's files and nothing else. */
  public static SpanDatabase open(Settings settings, SpanSource source) {
    return openWithView(settings, source, SPANS_VIEW);
  }

  /**
   * Opens a database whose {@code spans} view is other SQL over the source's files, for spans kept
   * in another layout (the benchmark reads OTLP/JSON archives this way). The view's SQL has {@code
   * {span_files}} where the files go, as {@code views/spans.sql} does.
   */
  public static SpanDatabase openWithView(Settings settings, SpanSource source, String spansView) {
    Path work = settings.workDirectory().toAbsolutePath().normalize();
    Path empty = work.resolve("empty/dt=1970-01-01/hour=00/empty.parquet");
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
      return new SpanDatabase(database, work, empty.toString(), spansView);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open DuckDB: " + e.getMessage(), e);
    }
  }

  /**
   * A connection whose {@code spans} view reads the given files or globs (none: an empty view). The
   * caller closes it.
   */
  public Connection connect(List<String> files) throws SQLException {
    Connection connection = database.duplicate();
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          spansView.replace("{span_files}", list(files.isEmpty() ? List.of(emptyObject) : files)));
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
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
