package dev.tracelake.compaction;

import dev.tracelake.index.TraceIndex;
import dev.tracelake.query.TimeRange;
import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.storage.StoredObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Compaction: rewrites each closed hour partition's many small span objects (one per OTLP request)
 * into a few large ones, sorted by time slice and trace, without duplicate spans, and keeps the
 * trace index pointing at them. See {@link PartitionCompaction} for how a partition is rewritten
 * safely while it is read. Run by {@code tracelake compact} and by the scheduled compaction
 * function.
 */
public final class Compactor {
  private static final int MAX_HOURS_LISTED_ONE_BY_ONE = 48;

  private final ObjectStore objects;
  private final SpanObjectKeys keys;
  private final TraceIndex index;
  private final CompactionSettings settings;
  private final Clock clock;

  /**
   * @param index the trace index to keep true; {@link TraceIndex#NONE} for a local directory
   * @param clock tells which partitions are closed, and when replaced objects may go
   */
  public Compactor(
      ObjectStore objects,
      SpanObjectKeys keys,
      TraceIndex index,
      CompactionSettings settings,
      Clock clock) {
    this.objects = objects;
    this.keys = keys;
    this.index = index;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Compacts the partitions of the hours the range overlaps, oldest first.
   *
   * @param done hears about each partition as it is done
   * @return what happened to each partition that has objects
   * @throws dev.tracelake.storage.StorageUnavailableException when the store or index fails; what
   *     was done stays done, and running again carries on
   */
  public List<PartitionOutcome> compact(TimeRange range, Consumer<PartitionOutcome> done) {
    return compact(range, done, () -> true);
  }

  /**
   * Compacts as {@link #compact(TimeRange, Consumer)} does, starting another partition, or another
   * stage of a partition of more objects than one merge reads, only while {@code mayStartAnother}
   * says so (a function stops before its time runs out; the next run carries on).
   */
  public List<PartitionOutcome> compact(
      TimeRange range, Consumer<PartitionOutcome> done, BooleanSupplier mayStartAnother) {
    List<PartitionOutcome> outcomes = new ArrayList<>();
    for (Map.Entry<HourPartition, List<StoredObject>> partition : partitions(range).entrySet()) {
      List<StoredObject> listed = partition.getValue();
      while (true) {
        if (!mayStartAnother.getAsBoolean()) {
          return outcomes;
        }
        PartitionOutcome outcome =
            new PartitionCompaction(
                    objects, keys, index, settings, clock, partition.getKey(), listed)
                .run();
        done.accept(outcome);
        outcomes.add(outcome);
        if (outcome.objectsLeft() == 0) {
          break;
        }
        // The next stage of the same hour, over what this one left.
        listed = PartitionCompaction.objectsOf(objects, keys, partition.getKey());
      }
    }
    return outcomes;
  }

  /**
   * The span objects in range by partition, oldest first, for the partitions that hold any or a
   * manifest: a listing per hour for a short range (the scheduled run's), else one listing of the
   * whole prefix.
   */
  private Map<HourPartition, List<StoredObject>> partitions(TimeRange range) {
    List<StoredObject> listed = new ArrayList<>();
    if (!range.isAll() && range.partitions().size() <= MAX_HOURS_LISTED_ONE_BY_ONE) {
      for (HourPartition partition : range.partitions()) {
        listed.addAll(objects.list(keys.partitionPrefix(partition)));
      }
    } else {
      listed.addAll(objects.list(keys.prefix() + "/"));
    }
    HourPartition first = HourPartition.ofUnixNanos(range.fromUnixNano());
    HourPartition last = HourPartition.ofUnixNanos(range.toUnixNano());
    Map<HourPartition, List<StoredObject>> byPartition = new TreeMap<>();
    Predicate<HourPartition> inRange =
        hour -> hour.compareTo(first) >= 0 && hour.compareTo(last) <= 0;
    for (StoredObject object : listed) {
      keys.partitionOf(object.key())
          .filter(inRange)
          .ifPresent(
              hour -> byPartition.computeIfAbsent(hour, unused -> new ArrayList<>()).add(object));
      // A manifest left alone (an expiry stopped before deleting it) is visited too.
      keys.partitionOfManifest(object.key())
          .filter(inRange)
          .ifPresent(hour -> byPartition.computeIfAbsent(hour, unused -> new ArrayList<>()));
    }
    return byPartition;
  }
}
