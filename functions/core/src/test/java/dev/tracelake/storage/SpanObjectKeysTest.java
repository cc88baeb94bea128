package dev.tracelake.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.spans.HourPartition;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SpanObjectKeysTest {
  private final SpanObjectKeys keys = new SpanObjectKeys("/spans/");
  private final HourPartition partition = new HourPartition(LocalDate.of(2026, 3, 1), 7);

  @Test
  void aKeyTellsItsPartition() {
    String key = keys.key(partition, "0123abcd");

    assertThat(key).isEqualTo("spans/dt=2026-03-01/hour=07/0123abcd.parquet");
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
