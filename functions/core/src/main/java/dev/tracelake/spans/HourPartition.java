package dev.tracelake.spans;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The hour, in UTC, a span's start time falls in: the Hive partition {@code dt=YYYY-MM-DD/hour=HH}
 * its row is stored under.
 */
public record HourPartition(LocalDate date, int hour) implements Comparable<HourPartition> {

  public static HourPartition ofUnixNanos(long unixNanos) {
    ZonedDateTime time =
        Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L)).atZone(ZoneOffset.UTC);
    return new HourPartition(time.toLocalDate(), time.getHour());
  }

  /** The Hive-style path segment, for example {@code dt=2017-01-26/hour=15}. */
  public String path() {
    return "dt=" + date + "/hour=" + (hour < 10 ? "0" : "") + hour;
  }

  @Override
  public int compareTo(HourPartition other) {
    int byDate = date.compareTo(other.date);
    return byDate != 0 ? byDate : Integer.compare(hour, other.hour);
  }
}
