package dev.tracelake.query;

import dev.tracelake.spans.HourPartition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A closed window of span start times, [from, to]. Queries read only the hour partitions it
 * overlaps.
 */
public record TimeRange(Instant from, Instant to) {
  /**
   * Every span ever stored: up to the last instant a long of Unix nanoseconds holds (2262), as
   * start times are stored.
   */
  public static final TimeRange ALL =
      new TimeRange(Instant.EPOCH, Instant.EPOCH.plusNanos(Long.MAX_VALUE));

  public TimeRange {
    if (from.isAfter(to)) {
      throw new IllegalArgumentException(
          "the time range starts (" + from + ") after it ends (" + to + ")");
    }
  }

  public boolean isAll() {
    return equals(ALL);
  }

  /** The range widened on both sides, e.g. to reach the other spans of traces found in it. */
  public TimeRange widen(java.time.Duration margin) {
    if (isAll()) {
      return this;
    }
    Instant start = from.minus(margin);
    Instant end = to.plus(margin);
    return new TimeRange(
        start.isBefore(ALL.from) ? ALL.from : start, end.isAfter(ALL.to) ? ALL.to : end);
  }

  public long fromUnixNano() {
    return unixNano(from);
  }

  public long toUnixNano() {
    return unixNano(to);
  }

  /** The hour partitions the range overlaps, oldest first; not for {@link #ALL}. */
  public List<HourPartition> partitions() {
    if (isAll()) {
      throw new IllegalStateException("the whole time range has no partition list");
    }
    List<HourPartition> partitions = new ArrayList<>();
    long hourNanos = 3_600_000_000_000L;
    for (long hour = Math.floorDiv(fromUnixNano(), hourNanos);
        hour <= Math.floorDiv(toUnixNano(), hourNanos);
        hour++) {
      partitions.add(HourPartition.ofUnixNanos(hour * hourNanos));
    }
    return partitions;
  }

  private static long unixNano(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }
}
