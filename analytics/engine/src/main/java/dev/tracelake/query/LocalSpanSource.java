package dev.tracelake.query;

import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.SpanObjectKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Span objects in a local directory with the S3 key layout, as {@code ./tracelake serve} writes
 * them. DuckDB reads them in place, through globs: one per hour partition in range, so that it
 * lists and opens only the files of those hours.
 */
public final class LocalSpanSource implements SpanSource {
  private static final String OBJECTS = "*.parquet";

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
    if (range.isAll()) {
      return hasObjects() ? List.of(spans + "/dt=*/hour=*/" + OBJECTS) : List.of();
    }
    // Listed here rather than left to DuckDB's dt/hour pruning, which first globs every partition
    // of the store: DuckDB then lists and considers only the files of these hours.
    String first = HourPartition.ofUnixNanos(range.fromUnixNano()).path();
    String last = HourPartition.ofUnixNanos(range.toUnixNano()).path();
    String firstDay = first.substring(0, first.indexOf('/'));
    String lastDay = last.substring(0, last.indexOf('/'));
    List<String> globs = new ArrayList<>();
    // Partition paths (dt=YYYY-MM-DD/hour=HH) sort as their hours do.
    for (Path day : subdirectories(spans)) {
      String date = day.getFileName().toString();
      if (date.compareTo(firstDay) < 0 || date.compareTo(lastDay) > 0) {
        continue;
      }
      for (Path hour : subdirectories(day)) {
        String partition = date + "/" + hour.getFileName();
        if (partition.compareTo(first) >= 0 && partition.compareTo(last) <= 0 && hasObjects(hour)) {
          globs.add(hour + "/" + OBJECTS);
        }
      }
    }
    return globs;
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

  private static boolean hasObjects(Path partition) {
    try (DirectoryStream<Path> objects = Files.newDirectoryStream(partition, OBJECTS)) {
      return objects.iterator().hasNext();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + partition, e);
    }
  }

  /** The subdirectories, in name order; none when the directory does not exist. */
  private static List<Path> subdirectories(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(directory)) {
      return children.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }
}
