package dev.tracelake.query;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the span objects a query reads come from, as local files DuckDB opens: the data directory
 * itself, or a local cache of S3 objects. The engine lets DuckDB read nothing outside {@link
 * #readableDirectories()}.
 */
public interface SpanSource {
  /** The directories every file handed out lies under. */
  List<Path> readableDirectories();

  /**
   * Files or globs holding every span that starts within the range. They may hold spans outside it,
   * so queries still filter on {@code dt}, {@code hour} and start time; empty when there are none.
   */
  List<String> files(TimeRange range);

  /**
   * Files holding a trace's spans, when an index knows them; empty when there is no index, and the
   * trace is to be found by scanning {@link #files(TimeRange)}.
   */
  Optional<List<String>> filesOfTrace(String traceId);

  /** Where the spans are, for people: a directory or {@code s3://bucket/prefix}. */
  String location();
}
