package dev.tracelake.storage;

import dev.tracelake.spans.HourPartition;

/**
 * The S3 key layout of span objects: {@code <prefix>/dt=YYYY-MM-DD/hour=HH/<batch id>.parquet},
 * Hive-style by span start hour in UTC, so that Athena, Spark and DuckDB prune by time.
 */
public final class SpanObjectKeys {
  /** The default prefix: the "spans" table of the bucket. */
  public static final String DEFAULT_PREFIX = "spans";

  private final String prefix;

  public SpanObjectKeys(String prefix) {
    String trimmed = prefix.replaceAll("^/+|/+$", "");
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("the spans prefix must not be empty");
    }
    this.prefix = trimmed;
  }

  /** The key of the object holding a batch's spans of one hour. */
  public String key(HourPartition partition, String batchId) {
    return prefix + "/" + partition.path() + "/" + batchId + ".parquet";
  }

  public String prefix() {
    return prefix;
  }
}
