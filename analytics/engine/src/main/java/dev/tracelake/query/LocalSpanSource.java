package dev.tracelake.query;

import dev.tracelake.storage.SpanObjectKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Span objects in a local directory with the S3 key layout, as {@code ./tracelake serve} writes
 * them. DuckDB reads them in place, through one glob, and prunes partitions by path itself.
 */
public final class LocalSpanSource implements SpanSource {
  private final Path root;
  private final Path spans;

  public LocalSpanSource(Path root, SpanObjectKeys keys) {
    this.root = root.toAbsolutePath().normalize();
    this.spans = this.root.resolve(keys.prefix());
  }

  @Override
  public List<Path> readableDirectories() {
    return List.of(root);
  }

  @Override
  public List<String> files(TimeRange range) {
    return hasObjects() ? List.of(spans + "/dt=*/hour=*/*.parquet") : List.of();
  }

  @Override
  public Optional<List<String>> filesOfTrace(String traceId) {
    return Optional.empty();
  }

  @Override
  public String location() {
    return spans.toString();
  }

  /** Whether there is any object, which DuckDB needs before it can glob (no match is an error). */
  private boolean hasObjects() {
    if (!Files.isDirectory(spans)) {
      return false;
    }
    try (Stream<Path> files =
        Files.find(spans, 3, (path, attributes) -> path.toString().endsWith(".parquet"))) {
      return files.findAny().isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + spans, e);
    }
  }
}
