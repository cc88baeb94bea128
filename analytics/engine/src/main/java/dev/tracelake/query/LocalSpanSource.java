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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
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
  private final SpanObjectKeys keys;

  public LocalSpanSource(Path root, SpanObjectKeys keys) {
    this.root = root.toAbsolutePath().normalize();
    this.spans = this.root.resolve(keys.prefix());
    this.keys = keys;
  }

  @Override
  public List<Path> readableDirectories() {
    return List.of(root);
  }

  @Override
  public List<String> files(TimeRange range) {
    return files(range, PartitionObjects::spans);
  }

  @Override
  public List<String> summaryFiles(TimeRange range) {
    return files(range, PartitionObjects::summaries);
  }

  /**
   * The files the rule picks in the partitions of the range: a glob for a partition no compaction
   * has touched whose objects are all in range (DuckDB needs at least one match), else its objects
   * the rule picks.
   */
  private List<String> files(TimeRange range, PartitionObjects.Rule rule) {
    SortedMap<HourPartition, PartitionObjects.Listed> listed = new TreeMap<>();
    Set<HourPartition> whole = new HashSet<>();
    for (Map.Entry<HourPartition, Path> hour : partitions(range).entrySet()) {
      Path partition = hour.getValue();
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> objects = Files.newDirectoryStream(partition, OBJECTS)) {
        objects.forEach(object -> names.add(object.getFileName().toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + partition, e);
      }
      List<String> inRange = PartitionObjects.startingWithin(range, hour.getKey(), names);
      if (inRange.size() == names.size()) {
        whole.add(hour.getKey());
      }
      if (!inRange.isEmpty()) {
        listed.put(
            hour.getKey(),
            new PartitionObjects.Listed(
                manifest(partition).orElse(PartitionManifest.NONE), inRange));
      }
    }
    List<String> files = new ArrayList<>();
    rule.pick(listed)
        .forEach(
            (hour, names) -> {
              Path partition = spans.resolve(hour.path());
              PartitionObjects.Listed objects = listed.get(hour);
              if (whole.contains(hour)
                  && objects.manifest().equals(PartitionManifest.NONE)
                  && objects.names().stream().noneMatch(PartitionManifest::isCompacted)) {
                files.add(partition + "/" + INGESTED_OBJECTS);
              } else {
                names.forEach(name -> files.add(partition.resolve(name).toString()));
              }
            });
    return files;
  }

  /**
   * The partition directories of the range, by hour. Listed here rather than left to DuckDB's
   * dt/hour pruning, which first globs every partition of the store: DuckDB then lists and
   * considers only the files of these hours.
   */
  private SortedMap<HourPartition, Path> partitions(TimeRange range) {
    boolean all = range.isAll();
    String first = all ? "" : HourPartition.ofUnixNanos(range.fromUnixNano()).path();
    String last = all ? "" : HourPartition.ofUnixNanos(range.toUnixNano()).path();
    SortedMap<HourPartition, Path> partitions = new TreeMap<>();
    // Partition paths (dt=YYYY-MM-DD/hour=HH) sort as their hours do.
    for (Path day : subdirectories(spans)) {
      String date = day.getFileName().toString();
      if (!all && (date.compareTo(dayOf(first)) < 0 || date.compareTo(dayOf(last)) > 0)) {
        continue;
      }
      for (Path hour : subdirectories(day)) {
        String partition = date + "/" + hour.getFileName();
        if (all || (partition.compareTo(first) >= 0 && partition.compareTo(last) <= 0)) {
          // The partition whose manifest would be there: none for a stray directory.
          keys.partitionOfManifest(
                  keys.prefix() + "/" + partition + "/" + PartitionManifest.FILE_NAME)
              .ifPresent(partitionHour -> partitions.put(partitionHour, hour));
        }
      }
    }
    return partitions;
  }

  @Override
  public Optional<List<String>> filesOfTrace(String traceId) {
    return Optional.empty();
  }

  @Override
  public String location() {
    return spans.toString();
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
