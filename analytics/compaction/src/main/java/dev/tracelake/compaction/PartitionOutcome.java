package dev.tracelake.compaction;

import dev.tracelake.spans.HourPartition;

/**
 * What a compaction run did to one hour partition.
 *
 * @param partition the partition
 * @param state what it found and did
 * @param objectsIn live objects merged (0 unless compacted)
 * @param objectsOut objects written
 * @param spansIn spans read, duplicates included
 * @param spansDropped spans of the traces retention did not keep
 * @param spansOut spans written
 * @param bytesIn bytes of the objects merged
 * @param bytesOut bytes of the objects written
 * @param retired objects deleted because a compaction replaced them, never committed them, or
 *     because the partition expired
 * @param objectsLeft objects this run did not merge, because a merge reads at most {@link
 *     CompactionSettings#objectsPerMerge()}: the next stage merges them
 */
public record PartitionOutcome(
    HourPartition partition,
    State state,
    int objectsIn,
    int objectsOut,
    long spansIn,
    long spansDropped,
    long spansOut,
    long bytesIn,
    long bytesOut,
    int retired,
    int objectsLeft) {

  /** What a run found in a partition. */
  public enum State {
    /** Merged its objects into new ones (and dropped traces, when past the hot window). */
    COMPACTED,
    /** Nothing new since its last compaction. */
    UP_TO_DATE,
    /** Still within its hour or the grace period after it: left alone. */
    OPEN,
    /**
     * Past the expiry: no object is live any more, and they go with retirement (then the manifest
     * too).
     */
    EXPIRED
  }

  /** The spans that were stored more than once, and now are once. */
  public long duplicatesRemoved() {
    return spansIn - spansDropped - spansOut;
  }

  static PartitionOutcome unchanged(HourPartition partition, State state, int retired) {
    return new PartitionOutcome(partition, state, 0, 0, 0, 0, 0, 0, 0, retired, 0);
  }
}
