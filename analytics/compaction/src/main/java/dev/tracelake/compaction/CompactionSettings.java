package dev.tracelake.compaction;

import dev.tracelake.query.SpanDatabase;
import dev.tracelake.spans.HourPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * How compaction runs.
 *
 * @param grace how long after its hour ends a partition counts as closed: spans of an hour keep
 *     arriving for a while (exporters batch and retry, long spans end later). Spans arriving after
 *     that are still kept, and merged by the next run.
 * @param retireAfter how long the objects a compaction replaced stay in the store after it, for
 *     queries that listed them before it to finish reading them: longer than any query runs
 * @param spansPerObject the most spans one output object holds; a partition with more is split into
 *     objects by a hash of the trace ID, so every trace is whole in one object
 * @param rowGroupSpans spans per Parquet row group in the output objects
 * @param database DuckDB's threads, memory and scratch directory, where inputs are copied too
 * @param retention which traces to keep once a partition is past the hot window
 * @param expireAfter how long after its hour ends a partition is kept at all: then compaction
 *     deletes it, however recently it was rewritten; null: kept until deleted otherwise
 * @param objectsPerMerge the most ingested objects one merge reads: a partition with more is
 *     compacted in stages, each merging its compacted objects with the next objects, oldest first
 */
public record CompactionSettings(
    Duration grace,
    Duration retireAfter,
    long spansPerObject,
    int rowGroupSpans,
    SpanDatabase.Settings database,
    RetentionPolicy retention,
    Duration expireAfter,
    int objectsPerMerge) {

  /**
   * Ingested objects per merge by default: compaction takes about 58 objects of 512 spans a second
   * on 2 cores (copy, merge, aggregates, write; README, Benchmark), so a stage takes about three
   * minutes, within the five a function keeps back when it starts one.
   */
  public static final int DEFAULT_OBJECTS_PER_MERGE = 10_000;

  /** Settings that keep every trace, and never expire a partition. */
  public CompactionSettings(
      Duration grace,
      Duration retireAfter,
      long spansPerObject,
      int rowGroupSpans,
      SpanDatabase.Settings database) {
    this(
        grace,
        retireAfter,
        spansPerObject,
        rowGroupSpans,
        database,
        RetentionPolicy.OFF,
        null,
        DEFAULT_OBJECTS_PER_MERGE);
  }

  /** These settings with another retention policy. */
  public CompactionSettings withRetention(RetentionPolicy retention) {
    return with(retention, expireAfter, objectsPerMerge);
  }

  /** These settings with another expiry; null never expires. */
  public CompactionSettings withExpiry(Duration expireAfter) {
    return with(retention, expireAfter, objectsPerMerge);
  }

  /** These settings with another bound on the objects of one merge. */
  public CompactionSettings withObjectsPerMerge(int objectsPerMerge) {
    return with(retention, expireAfter, objectsPerMerge);
  }

  private CompactionSettings with(
      RetentionPolicy retention, Duration expireAfter, int objectsPerMerge) {
    return new CompactionSettings(
        grace,
        retireAfter,
        spansPerObject,
        rowGroupSpans,
        database,
        retention,
        expireAfter,
        objectsPerMerge);
  }

  /** Whether the partition is past the expiry at {@code now}, so that it goes. */
  public boolean expires(HourPartition partition, Instant now) {
    return expireAfter != null && !partition.end().plus(expireAfter).isAfter(now);
  }

  /**
   * 30 minutes of grace, 15 of retirement, objects of up to a million spans (~55 MB), row groups of
   * 16,384 spans: a trace lookup decodes one row group, 5 times faster than at DuckDB's default of
   * 122,880 for 3% more bytes (README, Benchmark).
   */
  public static CompactionSettings defaults(Path workDirectory) {
    return new CompactionSettings(
        Duration.ofMinutes(30),
        Duration.ofMinutes(15),
        1_000_000,
        16_384,
        SpanDatabase.Settings.defaults(workDirectory));
  }

  public CompactionSettings {
    if (grace.isNegative() || retireAfter.isNegative()) {
      throw new IllegalArgumentException("grace and retirement must not be negative");
    }
    if (spansPerObject < 1 || rowGroupSpans < 1) {
      throw new IllegalArgumentException("objects and row groups must hold at least one span");
    }
    if (objectsPerMerge < 1) {
      throw new IllegalArgumentException("a merge must read at least one object");
    }
    if (expireAfter != null
        && (expireAfter.isNegative()
            || expireAfter.isZero()
            || retention.hot() != null && retention.hot().compareTo(expireAfter) >= 0)) {
      throw new IllegalArgumentException(
          "the expiry must be positive, and longer than the hot window of retention: "
              + expireAfter);
    }
  }
}
