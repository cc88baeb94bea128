package dev.tracelake.query;

import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.PartitionManifest;
import dev.tracelake.storage.SpanObjectKeys;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Which of the listed objects of the hour partitions in a range a query reads, given their
 * manifests: the rules both span sources follow.
 */
final class PartitionObjects {
  private PartitionObjects() {}

  /**
   * A partition's manifest ({@link PartitionManifest#NONE} when it has none) and the names of the
   * objects listed in it.
   */
  record Listed(PartitionManifest manifest, Collection<String> names) {}

  /**
   * The names of a partition's objects whose spans may have started within the range: all but the
   * ingested objects whose names say their spans all started outside it ({@link
   * SpanObjectKeys#key}), so that a query of the newest minutes of an hour not compacted yet reads
   * those minutes' objects rather than the hour's.
   */
  static List<String> startingWithin(
      TimeRange range, HourPartition hour, Collection<String> names) {
    if (range.isAll()) {
      return List.copyOf(names);
    }
    return names.stream()
        .filter(
            name ->
                SpanObjectKeys.startsOf(hour, name)
                    .map(starts -> starts.overlaps(range.fromUnixNano(), range.toUnixNano()))
                    .orElse(true))
        .toList();
  }

  /** Which objects of each partition a query reads, given all of the range's in hour order. */
  @FunctionalInterface
  interface Rule {
    Map<HourPartition, List<String>> pick(SortedMap<HourPartition, Listed> partitions);
  }

  /** Every live span object and the aggregates: {@link SpanSource#files}. */
  static Map<HourPartition, List<String>> spans(SortedMap<HourPartition, Listed> partitions) {
    Map<HourPartition, List<String>> picked = new LinkedHashMap<>();
    partitions.forEach(
        (hour, listed) -> picked.put(hour, listed.manifest().readable(listed.names())));
    return picked;
  }

  /**
   * The aggregates in place of the compacted objects they count, but every object of an hour next
   * to one with uncounted span objects, whose parents and children may be in that hour's compacted
   * objects: {@link SpanSource#summaryFiles}.
   */
  static Map<HourPartition, List<String>> summaries(SortedMap<HourPartition, Listed> partitions) {
    Set<HourPartition> uncounted = new HashSet<>();
    partitions.forEach(
        (hour, listed) -> {
          if (listed.manifest().hasUncounted(listed.names())) {
            uncounted.add(hour);
          }
        });
    Map<HourPartition, List<String>> picked = new LinkedHashMap<>();
    partitions.forEach(
        (hour, listed) -> {
          boolean nearUncounted =
              uncounted.contains(hour.previous())
                  || uncounted.contains(hour)
                  || uncounted.contains(hour.next());
          picked.put(
              hour,
              nearUncounted
                  ? listed.manifest().readable(listed.names())
                  : listed.manifest().summaries(listed.names()));
        });
    return picked;
  }
}
