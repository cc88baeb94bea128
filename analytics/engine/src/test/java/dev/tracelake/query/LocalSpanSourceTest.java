package dev.tracelake.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.storage.PartitionManifest;
import dev.tracelake.storage.SpanObjectKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
    assertThat(source.files(TimeRange.ALL))
        .containsExactly(
            glob("dt=2026-11-24/hour=23"),
            glob("dt=2026-11-25/hour=00"),
            glob("dt=2026-11-25/hour=01"),
            glob("dt=2026-11-25/hour=09"),
            glob("dt=2026-11-26/hour=00"));
  }

  @Test
  void readsTheObjectsAndAggregatesACompactionsManifestMakesLive() throws IOException {
    String hour = "dt=2026-11-25/hour=07";
    for (String name :
        List.of(
            "a.parquet", // replaced
            "b.parquet", // replaced
            "c.parquet", // arrived after the compaction
            "compacted-1-000.parquet", // the manifest's
            "_aggregates-1.parquet", // the manifest's
            "compacted-2-000.parquet", // of a run that never committed
            "_aggregates-2.parquet")) { // of a run that never committed
      Files.createDirectories(spans().resolve(hour));
      Files.write(spans().resolve(hour).resolve(name), new byte[1]);
    }
    Files.write(
        spans().resolve(hour).resolve(PartitionManifest.FILE_NAME),
        new PartitionManifest(
                PartitionManifest.VERSION,
                1,
                Instant.parse("2026-11-25T09:00:00Z"),
                List.of("compacted-1-000.parquet"),
                List.of("_aggregates-1.parquet"),
                List.of("a.parquet", "b.parquet"),
                true,
                false)
            .toJson());
    object("dt=2026-11-25/hour=08");
    LocalSpanSource source = new LocalSpanSource(data, new SpanObjectKeys("spans"));

    assertThat(source.files(TimeRange.ALL))
        .containsExactly(
            spans().resolve(hour).resolve("compacted-1-000.parquet").toString(),
            spans().resolve(hour).resolve("c.parquet").toString(),
            spans().resolve(hour).resolve("_aggregates-1.parquet").toString(),
            glob("dt=2026-11-25/hour=08"));
  }

  @Test
  void summariesReadTheAggregatesExceptNextToAnHourWithUncountedSpans() throws IOException {
    compacted("dt=2026-11-25/hour=03");
    compacted("dt=2026-11-25/hour=05"); // next to 06, whose late object no aggregates count
    compacted("dt=2026-11-25/hour=06");
    Files.write(spans().resolve("dt=2026-11-25/hour=06/c.parquet"), new byte[1]);
    compacted("dt=2026-11-25/hour=07");
    LocalSpanSource source = new LocalSpanSource(data, new SpanObjectKeys("spans"));

    assertThat(source.summaryFiles(TimeRange.ALL))
        .containsExactly(
            file("dt=2026-11-25/hour=03/_aggregates-1.parquet"),
            file("dt=2026-11-25/hour=05/compacted-1-000.parquet"),
            file("dt=2026-11-25/hour=05/_aggregates-1.parquet"),
            file("dt=2026-11-25/hour=06/compacted-1-000.parquet"),
            file("dt=2026-11-25/hour=06/c.parquet"),
            file("dt=2026-11-25/hour=06/_aggregates-1.parquet"),
            file("dt=2026-11-25/hour=07/compacted-1-000.parquet"),
            file("dt=2026-11-25/hour=07/_aggregates-1.parquet"));
    assertThat(source.files(TimeRange.ALL)).hasSize(9);
  }

  /** A partition whose manifest names its one compacted object and its aggregates. */
  private void compacted(String partition) throws IOException {
    Path directory = Files.createDirectories(spans().resolve(partition));
    Files.write(directory.resolve("compacted-1-000.parquet"), new byte[1]);
    Files.write(directory.resolve("_aggregates-1.parquet"), new byte[1]);
    Files.write(
        directory.resolve(PartitionManifest.FILE_NAME),
        new PartitionManifest(
                PartitionManifest.VERSION,
                1,
                Instant.parse("2026-11-25T09:00:00Z"),
                List.of("compacted-1-000.parquet"),
                List.of("_aggregates-1.parquet"),
                List.of(),
                true,
                false)
            .toJson());
  }

  private String file(String path) {
    return spans().resolve(path).toString();
  }

  @Test
  void ignoresCompactedObjectsNoManifestNames() throws IOException {
    object("dt=2026-11-25/hour=07");
    Files.write(spans().resolve("dt=2026-11-25/hour=07/compacted-1-000.parquet"), new byte[1]);
    LocalSpanSource source = new LocalSpanSource(data, new SpanObjectKeys("spans"));

    assertThat(source.files(TimeRange.ALL))
        .containsExactly(spans().resolve("dt=2026-11-25/hour=07/b47c4.parquet").toString());
  }

  @Test
  void readsNothingBeforeTheFirstObject() {
    LocalSpanSource source = new LocalSpanSource(data, new SpanObjectKeys("spans"));

    assertThat(source.files(TimeRange.ALL)).isEmpty();
    assertThat(source.files(new TimeRange(Instant.EPOCH, Instant.EPOCH.plusSeconds(1)))).isEmpty();
  }

  @Test
  void ofAnHourPartlyInRangeReadsOnlyTheObjectsWhoseNamesSayTheirSpansMayStartInIt()
      throws IOException {
    String hour = "dt=2026-11-25/hour=07";
    Files.createDirectories(spans().resolve(hour));
    for (String name :
        List.of(
            "0000-1459-aa.parquet", // spans from 07:00:00 to 07:14:59
            "1500-2959-bb.parquet",
            "2959-3000-cc.parquet",
            "4500-5959-dd.parquet",
            "ee.parquet")) { // ingested before names said when
      Files.write(spans().resolve(hour).resolve(name), new byte[1]);
    }
    LocalSpanSource source = new LocalSpanSource(data, new SpanObjectKeys("spans"));

    assertThat(
            source.files(
                new TimeRange(
                    Instant.parse("2026-11-25T07:30:00Z"), Instant.parse("2026-11-25T07:44:59Z"))))
        .containsExactlyInAnyOrder(
            spans().resolve(hour).resolve("2959-3000-cc.parquet").toString(),
            spans().resolve(hour).resolve("ee.parquet").toString());
    assertThat(
            source.files(
                new TimeRange(
                    Instant.parse("2026-11-25T06:00:00Z"), Instant.parse("2026-11-25T07:59:59Z"))))
        .containsExactly(glob(hour));
  }

  private Path spans() {
    return data.toAbsolutePath().normalize().resolve("spans");
  }

  private void object(String partition) throws IOException {
    Files.createDirectories(spans().resolve(partition));
    Files.write(spans().resolve(partition + "/b47c4.parquet"), new byte[1]);
  }

  private String glob(String partition) {
    return spans().resolve(partition) + "/[0-9a-f][0-9a-f]*.parquet";
  }
}
