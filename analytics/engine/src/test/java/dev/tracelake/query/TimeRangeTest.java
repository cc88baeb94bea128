package dev.tracelake.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every time range, {@link TimeRange#ALL} included, binds as BIGINT unix nanoseconds. */
class TimeRangeTest {
  @Test
  void theWholeRangeHasUnixNanoseconds() {
    assertThat(TimeRange.ALL.fromUnixNano()).isZero();
    assertThat(TimeRange.ALL.toUnixNano()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void wideningStopsAtTheWholeRange() {
    TimeRange late =
        new TimeRange(TimeRange.ALL.to().minus(Duration.ofMinutes(5)), TimeRange.ALL.to());
    TimeRange early = new TimeRange(Instant.EPOCH, Instant.EPOCH.plusSeconds(60));

    assertThat(late.widen(Duration.ofHours(1)).toUnixNano()).isEqualTo(Long.MAX_VALUE);
    assertThat(early.widen(Duration.ofHours(1)).from()).isEqualTo(Instant.EPOCH);
  }
}
