package dev.tracelake.storage;

import dev.tracelake.spans.HourPartition;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The S3 key layout of span objects: {@code <prefix>/dt=YYYY-MM-DD/hour=HH/<name>.parquet},
 * Hive-style by span start hour in UTC, so that Athena, Spark and DuckDB prune by time. Compaction
 * puts its objects there too: compacted span objects, a {@link PartitionManifest} and an aggregates
 * object.
 */
public final class SpanObjectKeys {
  /** The default prefix: the "spans" table of the bucket. */
  public static final String DEFAULT_PREFIX = "spans";

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** An ingested object's name: {@code MMSS-MMSS-<batch id>.parquet}. */
  private static final Pattern INGESTED_NAME =
      Pattern.compile("([0-5]\\d)([0-5]\\d)-([0-5]\\d)([0-5]\\d)-[0-9a-f]+\\.parquet");

  private static final Pattern OBJECT_PATH =
      Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})/hour=(\\d{2})/[^/]+\\.parquet");

  private final String prefix;

  public SpanObjectKeys(String prefix) {
    String trimmed = prefix.replaceAll("^/+|/+$", "");
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("the spans prefix must not be empty");
    }
    this.prefix = trimmed;
  }

  /**
   * The key of the object holding a batch's spans of one hour: {@code <first>-<last>-<batch
   * id>.parquet}, after the minute and second of the hour in which its first and its last span
   * started ({@code MMSS}), so that a query skips the objects of an hour whose spans all started
   * outside its range without opening them ({@link #startsOf}).
   */
  public String key(
      HourPartition partition, long firstStartUnixNano, long lastStartUnixNano, String batchId) {
    return String.format(
        Locale.ROOT,
        "%s/%s/%s-%s-%s.parquet",
        prefix,
        partition.path(),
        minuteAndSecond(partition, firstStartUnixNano),
        minuteAndSecond(partition, lastStartUnixNano),
        batchId);
  }

  private static String minuteAndSecond(HourPartition partition, long unixNano) {
    long second = (unixNano - partition.startUnixNano()) / NANOS_PER_SECOND;
    if (second < 0 || second >= 3600) {
      throw new IllegalArgumentException("a span of " + partition.path() + " starts outside it");
    }
    return String.format(Locale.ROOT, "%02d%02d", second / 60, second % 60);
  }

  /**
   * When the spans of an object of the partition started, as its name records them: from the first
   * second to the end of the last; empty for a name without them (a compacted object, or one
   * ingested before names had them), whose spans may have started any time in the hour.
   */
  public static Optional<ObjectStarts> startsOf(HourPartition partition, String name) {
    Matcher starts = INGESTED_NAME.matcher(name);
    if (!starts.matches()) {
      return Optional.empty();
    }
    long first = seconds(starts.group(1), starts.group(2));
    long last = seconds(starts.group(3), starts.group(4));
    if (first > last || last >= 3600) {
      return Optional.empty();
    }
    long hour = partition.startUnixNano();
    return Optional.of(
        new ObjectStarts(
            hour + first * NANOS_PER_SECOND, hour + (last + 1) * NANOS_PER_SECOND - 1));
  }

  private static long seconds(String minute, String second) {
    return Long.parseLong(minute) * 60 + Long.parseLong(second);
  }

  /** The key of a partition's {@link PartitionManifest}. */
  public String manifestKey(HourPartition partition) {
    return partitionPrefix(partition) + PartitionManifest.FILE_NAME;
  }

  /** The key of an object of the partition, by its name (which ends in {@code .parquet}). */
  public String objectKey(HourPartition partition, String name) {
    return partitionPrefix(partition) + name;
  }

  /** The key prefix of a partition's objects, ending in a slash. */
  public String partitionPrefix(HourPartition partition) {
    return prefix + "/" + partition.path() + "/";
  }

  /**
   * The partition of a span or aggregates object's key; empty when the key is not one of them under
   * this prefix (another table, a stray file, a key that could escape a local directory).
   */
  public Optional<HourPartition> partitionOf(String key) {
    if (!key.startsWith(prefix + "/")) {
      return Optional.empty();
    }
    Matcher path = OBJECT_PATH.matcher(key.substring(prefix.length() + 1));
    int hour = path.matches() ? Integer.parseInt(path.group(2)) : -1;
    if (hour < 0 || hour > 23) {
      return Optional.empty();
    }
    try {
      return Optional.of(new HourPartition(LocalDate.parse(path.group(1)), hour));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The partition whose manifest the key is; empty when it is no manifest's key. */
  public Optional<HourPartition> partitionOfManifest(String key) {
    String suffix = "/" + PartitionManifest.FILE_NAME;
    return key.endsWith(suffix)
        ? partitionOf(key.substring(0, key.length() - suffix.length()) + "/manifest.parquet")
            .filter(partition -> manifestKey(partition).equals(key))
        : Optional.empty();
  }

  public String prefix() {
    return prefix;
  }
}
