package dev.tracelake.query;

import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.PartitionManifest;
import dev.tracelake.storage.SpanObjectKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Span objects in a local directory with the S3 key layout, as {@code ./tracelake serve} writes
 * them. DuckDB reads them in place: through a glob for an hour partition that compaction has not
 * touched, so that it lists and opens only the files of the hours in range, and through the list of
 * live objects and aggregates its {@link PartitionManifest} gives for one it has.
 */
public final class LocalSpanSource implements SpanSource {
  private static final String OBJECTS = "*.parquet";

  /**
   * The ingested objects of a partition, named by hex digest: DuckDB expands a glob only when the
   * query runs, and by then compaction may have written objects beside them ({@code compacted-...},
   * whose second letter is not a hex digit), which must not be counted with them.
   */
  private static final String INGESTED_OBJECTS = "[0-9a-f][0-9a-f]*.parquet";

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
    return files(range, PartitionManifest::readable);
  }

  @Override
  public List<String> summaryFiles(TimeRange range) {
    return files(range, PartitionManifest::summaries);
  }

  /** The files {@code picked} gives in each partition of the range. */
  private List<String> files(TimeRange range, PartitionObjects picked) {
    // Listed here rather than left to DuckDB's dt/hour pruning, which first globs every partition
    // of the store: DuckDB then lists and considers only the files of these hours.
    boolean all = range.isAll();
    String first = all ? "" : HourPartition.ofUnixNanos(range.fromUnixNano()).path();
    String last = all ? "" : HourPartition.ofUnixNanos(range.toUnixNano()).path();
    List<String> files = new ArrayList<>();
    // Partition paths (dt=YYYY-MM-DD/hour=HH) sort as their hours do.
    for (Path day : subdirectories(spans)) {
      String date = day.getFileName().toString();
      if (!all && (date.compareTo(dayOf(first)) < 0 || date.compareTo(dayOf(last)) > 0)) {
        continue;
      }
      for (Path hour : subdirectories(day)) {
        String partition = date + "/" + hour.getFileName();
        if (all || (partition.compareTo(first) >= 0 && partition.compareTo(last) <= 0)) {
          files.addAll(liveFiles(hour, picked));
        }
      }
    }
    return files;
  }

  @Override
  public Optional<List<String>> filesOfTrace(String traceId) {
    return Optional.empty();
  }

  @Override
  public String location() {
    return spans.toString();
  }

  /**
   * The partition's live objects: a glob when no compaction has touched it (DuckDB needs at least
   * one match), else the objects {@code picked} gives for its manifest; none when it has no
   * objects.
   */
  private static List<String> liveFiles(Path partition, PartitionObjects picked) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> objects = Files.newDirectoryStream(partition, OBJECTS)) {
      objects.forEach(object -> names.add(object.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + partition, e);
    }
    Optional<PartitionManifest> manifest = manifest(partition);
    if (manifest.isEmpty() && names.stream().noneMatch(PartitionManifest::isCompacted)) {
      return names.isEmpty() ? List.of() : List.of(partition + "/" + INGESTED_OBJECTS);
    }
    return picked.of(manifest.orElse(PartitionManifest.NONE), names).stream()
        .map(name -> partition.resolve(name).toString())
        .toList();
  }

  private static Optional<PartitionManifest> manifest(Path partition) {
    Path file = partition.resolve(PartitionManifest.FILE_NAME);
    try {
      return Optional.of(PartitionManifest.fromJson(Files.readAllBytes(file), file.toString()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String dayOf(String partitionPath) {
    return partitionPath.substring(0, partitionPath.indexOf('/'));
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
