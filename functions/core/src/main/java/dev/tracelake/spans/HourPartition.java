package dev.tracelake.spans;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The hour, in UTC, a span's start time falls in: the Hive partition {@code dt=YYYY-MM-DD/hour=HH}
 * its row is stored under.
 */
public record HourPartition(LocalDate date, int hour) implements Comparable<HourPartition> {

  private static final long NANOS_PER_HOUR = 3_600_000_000_000L;

  public static HourPartition ofUnixNanos(long unixNanos) {
    long epochHour = Math.floorDiv(unixNanos, NANOS_PER_HOUR);
    return new HourPartition(
        LocalDate.ofEpochDay(Math.floorDiv(epochHour, 24)), (int) Math.floorMod(epochHour, 24));
  }

  /** When the hour starts, in nanoseconds since the Unix epoch. */
  public long startUnixNano() {
    return (date.toEpochDay() * 24 + hour) * NANOS_PER_HOUR;
  }

  /** When the hour ends: the start of the next. */
  public Instant end() {
    return Instant.EPOCH.plusNanos(next().startUnixNano());
  }

  /** The hour before this one. */
  public HourPartition previous() {
    return ofUnixNanos(startUnixNano() - 1);
  }

  /** The hour after this one. */
  public HourPartition next() {
    return ofUnixNanos(startUnixNano() + NANOS_PER_HOUR);
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
