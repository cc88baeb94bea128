package dev.tracelake.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.storage.SpanObjectKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a query over a local directory reads. */
class LocalSpanSourceTest {
  @TempDir Path data;

  @Test
  void readsOnlyTheHoursInRangeThatHoldObjects() throws IOException {
    object("dt=2026-11-24/hour=23");
    object("dt=2026-11-25/hour=00");
    object("dt=2026-11-25/hour=01");
    object("dt=2026-11-25/hour=09");
    object("dt=2026-11-26/hour=00");
    // Being written: not an object yet.
    Files.createDirectories(spans().resolve("dt=2026-11-25/hour=02"));
    Files.write(spans().resolve("dt=2026-11-25/hour=02/.incoming-1.tmp"), new byte[1]);
    LocalSpanSource source = new LocalSpanSource(data, new SpanObjectKeys("spans"));

    assertThat(
            source.files(
                new TimeRange(
                    Instant.parse("2026-11-24T23:59:00Z"), Instant.parse("2026-11-25T09:00:00Z"))))
        .containsExactly(
            glob("dt=2026-11-24/hour=23"),
            glob("dt=2026-11-25/hour=00"),
            glob("dt=2026-11-25/hour=01"),
            glob("dt=2026-11-25/hour=09"));
    assertThat(
            source.files(
                new TimeRange(
                    Instant.parse("2026-11-25T02:00:00Z"), Instant.parse("2026-11-25T08:59:59Z"))))
        .isEmpty();
    assertThat(source.files(TimeRange.ALL)).containsExactly(spans() + "/dt=*/hour=*/*.parquet");
  }

  @Test
  void readsNothingBeforeTheFirstObject() {
    LocalSpanSource source = new LocalSpanSource(data, new SpanObjectKeys("spans"));

    assertThat(source.files(TimeRange.ALL)).isEmpty();
    assertThat(source.files(new TimeRange(Instant.EPOCH, Instant.EPOCH.plusSeconds(1)))).isEmpty();
  }

  private Path spans() {
    return data.toAbsolutePath().normalize().resolve("spans");
  }

  private void object(String partition) throws IOException {
    Files.createDirectories(spans().resolve(partition));
    Files.write(spans().resolve(partition + "/batch.parquet"), new byte[1]);
  }

  private String glob(String partition) {
    return spans().resolve(partition) + "/*.parquet";
  }
}
