package dev.tracelake.query;

import dev.tracelake.index.ServiceOperation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the span objects a query reads come from, as local files DuckDB opens: the data directory
 * itself, or a local cache of S3 objects. The engine lets DuckDB read nothing outside {@link
 * #readableDirectories()}.
 */
public interface SpanSource extends AutoCloseable {
  /** The directories every file handed out lies under. */
  List<Path> readableDirectories();

  /**
   * Files or globs holding every span that starts within the range, and the aggregates objects of
   * their partitions (named {@code _aggregates-*.parquet}). They may hold spans outside it, so
   * queries still filter on {@code dt}, {@code hour} and start time; empty when there are none.
   */
  List<String> files(TimeRange range);

  /**
   * Like {@link #files}, but the aggregates objects stand for the compacted objects whose spans
   * they count (a fortieth of their bytes), except next to an hour with span objects no aggregates
   * count, whose parents and children may be in the compacted objects: what the reports and the
   * lists of services and operations read.
   */
  List<String> summaryFiles(TimeRange range);

  /**
   * Files holding a trace's spans, when an index knows them; empty when there is no index, and the
   * trace is to be found by scanning {@link #files(TimeRange)}.
   */
  Optional<List<String>> filesOfTrace(String traceId);

  /** Where the spans are, for people: a directory or {@code s3://bucket/prefix}. */
  String location();

  /**
   * The operations of the stored spans, from a catalog that knows some, so that services and
   * operations are listed without reading any object; empty when they are to be read from the
   * {@link #summaryFiles}, as by default.
   */
  default Optional<List<ServiceOperation>> operations() {
    return Optional.empty();
  }

  /** Releases what the source holds (a cache directory's lock, say); nothing by default. */
  @Override
  default void close() {}

  /**
   * A session for the queries of one request: the files it hands out stay readable until it is
   * closed. A source that copies remote objects into a bounded cache needs this to keep a query's
   * files from being evicted by the next call (say, lookups of several traces before one query
   * reads them all); files handed out by the source's own methods may be evicted by any later call.
   */
  default Session session() {
    return new Session() {
      @Override
      public List<String> files(TimeRange range) {
        return SpanSource.this.files(range);
      }

      @Override
      public List<String> summaryFiles(TimeRange range) {
        return SpanSource.this.summaryFiles(range);
      }

      @Override
      public Optional<List<String>> filesOfTrace(String traceId) {
        return SpanSource.this.filesOfTrace(traceId);
      }

      @Override
      public void close() {}
    };
  }

  /** See {@link #session()}; the methods mean what the source's own mean. */
  interface Session extends AutoCloseable {
    List<String> files(TimeRange range);

    List<String> summaryFiles(TimeRange range);

    Optional<List<String>> filesOfTrace(String traceId);

    @Override
    void close();
  }
}
