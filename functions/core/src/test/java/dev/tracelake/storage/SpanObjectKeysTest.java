package dev.tracelake.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.spans.HourPartition;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SpanObjectKeysTest {
  private final SpanObjectKeys keys = new SpanObjectKeys("/spans/");
  private final HourPartition partition = new HourPartition(LocalDate.of(2026, 3, 1), 7);

  @Test
  void aKeyTellsItsPartitionAndWhenItsSpansStarted() {
    long hour = partition.startUnixNano();
    long first = hour + 5 * 60_000_000_000L + 7_250_000_000L; // 05:07.25
    long last = hour + 59 * 60_000_000_000L + 59_999_999_999L; // 59:59.999999999
    String key = keys.key(partition, first, last, "0123abcd");

    assertThat(key).isEqualTo("spans/dt=2026-03-01/hour=07/0507-5959-0123abcd.parquet");
    assertThat(SpanObjectKeys.startsOf(partition, "0507-5959-0123abcd.parquet"))
        .contains(new ObjectStarts(hour + 307_000_000_000L, hour + 3_600_000_000_000L - 1));
    assertThat(SpanObjectKeys.startsOf(partition, "0507-5959-0123abcd.parquet").orElseThrow())
        .matches(starts -> starts.overlaps(first, first))
        .matches(starts -> starts.overlaps(hour, first))
        .matches(starts -> !starts.overlaps(hour, hour + 306_999_999_999L));
    // Names that say nothing of their starts: the spans may have started any time in the hour.
    assertThat(SpanObjectKeys.startsOf(partition, "0123abcd.parquet")).isEmpty();
    assertThat(SpanObjectKeys.startsOf(partition, "compacted-0123abcd-000.parquet")).isEmpty();
    assertThat(SpanObjectKeys.startsOf(partition, "5959-0507-0123abcd.parquet")).isEmpty();
    assertThat(key).startsWith(keys.partitionPrefix(partition));
    assertThat(keys.partitionPrefix(partition)).isEqualTo("spans/dt=2026-03-01/hour=07/");
    assertThat(keys.partitionOf(key)).contains(partition);
  }

  @Test
  void otherKeysHaveNoPartition() {
    assertThat(keys.partitionOf("other/dt=2026-03-01/hour=07/a.parquet")).isEmpty();
    assertThat(keys.partitionOf("spans2/dt=2026-03-01/hour=07/a.parquet")).isEmpty();
    assertThat(keys.partitionOf("spans/dt=2026-03-01/hour=07/a.json")).isEmpty();
    assertThat(keys.partitionOf("spans/dt=2026-03-01/hour=24/a.parquet")).isEmpty();
    assertThat(keys.partitionOf("spans/dt=2026-02-30/hour=07/a.parquet")).isEmpty();
    assertThat(keys.partitionOf("spans/dt=2026-03-01/hour=07/x/../a.parquet")).isEmpty();
    assertThat(keys.partitionOf("spans/dt=2026-03-01/hour=07/")).isEmpty();
  }
}
