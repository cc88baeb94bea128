package dev.tracelake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracelake compact} as a user runs it, over what {@code tracelake generate} stored. */
class CompactCommandTest {
  @TempDir Path data;

  @Test
  void compactsEveryClosedHourAndSaysWhatItDid() throws Exception {
    QueryCommandsTest.Run generate =
        run(
            "generate",
            "--spans=20000",
            "--hours=2",
            "--start=2026-11-20T00:00:00Z",
            "--batch-spans=512");
    assertThat(generate.exitCode()).as(generate.err()).isEqualTo(ExitCodes.OK);
    long objectsBefore = parquetFiles();
    assertThat(objectsBefore).isGreaterThan(30);

    QueryCommandsTest.Run compact = run("compact", "--retire-after=0s");

    assertThat(compact.exitCode()).as(compact.err()).isEqualTo(ExitCodes.OK);
    assertThat(compact.out())
        .contains("dt=2026-11-20/hour=00  ")
        .contains("dt=2026-11-20/hour=01  ")
        .contains(" -> 1, ")
        .contains(
            "hour partitions compacted: 2 of 2; objects: " + objectsBefore + " -> 2; duplicate");
    assertThat(parquetFiles()).isEqualTo(2 + 2); // a compacted object and its aggregates per hour
    QueryCommandsTest.Run count = run("sql", "SELECT count(*) AS spans FROM spans", "--format=csv");
    assertThat(count.out().lines()).containsExactly("spans", "20000");

    QueryCommandsTest.Run again = run("compact");
    assertThat(again.out())
        .contains("dt=2026-11-20/hour=00  up to date")
        .contains("hour partitions compacted: 0 of 2");
  }

  @Test
  void compactsAnHourOfMoreObjectsThanOneMergeReadsInStages() throws Exception {
    run("generate", "--spans=20000", "--hours=1", "--start=2026-11-20T00:00:00Z");
    long objectsBefore = parquetFiles();

    QueryCommandsTest.Run compact =
        run("compact", "--retire-after=0s", "--objects-per-merge=" + (objectsBefore / 2));

    assertThat(compact.exitCode()).as(compact.err()).isEqualTo(ExitCodes.OK);
    assertThat(compact.out())
        .contains(objectsBefore - objectsBefore / 2 + " objects left for the next stage")
        .contains("hour partitions compacted: 1 of 1; objects: " + objectsBefore + " -> 1;");
    assertThat(parquetFiles()).isEqualTo(2);
    QueryCommandsTest.Run count = run("sql", "SELECT count(*) AS spans FROM spans", "--format=csv");
    assertThat(count.out().lines()).containsExactly("spans", "20000");
  }

  @Test
  void aBadDurationIsAUsageError() {
    QueryCommandsTest.Run run = run("compact", "--grace=soon");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--grace").contains("soon");
  }

  @Test
  void retentionDropsTheTracesItDoesNotKeepAndTheReportsKeepTheirTotals() throws Exception {
    run("generate", "--spans=5000", "--hours=1", "--start=2026-11-20T00:00:00Z");
    Path slo = data.resolveSibling(data.getFileName() + "-slo.yaml");
    Files.writeString(slo, "defaults: {availability: 0.99, latency_p95_ms: 3600000}\n");
    List<String> before = slaTotals(slo);

    QueryCommandsTest.Run compact =
        run("compact", "--retire-after=0s", "--hot=24h", "--sample=0.1", "--slo=" + slo);

    assertThat(compact.exitCode()).as(compact.err()).isEqualTo(ExitCodes.OK);
    assertThat(compact.out()).containsPattern("[1-9][0-9,]* dropped by retention");
    QueryCommandsTest.Run count = run("sql", "SELECT count(*) AS spans FROM spans", "--format=csv");
    assertThat(Long.parseLong(count.out().lines().toList().get(1))).isBetween(1L, 4999L);
    assertThat(slaTotals(slo)).isEqualTo(before).isNotEmpty();

    // The hour is days old: an expiry of two days deletes it, although retention just rewrote it.
    QueryCommandsTest.Run expire =
        run("compact", "--retire-after=0s", "--hot=24h", "--expire-after=48h", "--slo=" + slo);

    assertThat(expire.exitCode()).as(expire.err()).isEqualTo(ExitCodes.OK);
    assertThat(expire.out()).contains("dt=2026-11-20/hour=00  expired, 2 old objects deleted");
    assertThat(parquetFiles()).isZero();
    assertThat(run("sql", "SELECT count(*) AS spans FROM spans", "--format=csv").out().lines())
        .containsExactly("spans", "0");
  }

  /** Each service's total and errors in the SLA report of the generated hour. */
  private List<String> slaTotals(Path slo) {
    QueryCommandsTest.Run sla =
        run(
            "report",
            "sla",
            "--from=2026-11-20T00:00:00Z",
            "--to=2026-11-20T01:00:00Z",
            "--format=json",
            "--slo=" + slo);
    List<String> totals = new ArrayList<>();
    for (JsonElement service :
        JsonParser.parseString(sla.out()).getAsJsonObject().getAsJsonArray("services")) {
      JsonObject level = service.getAsJsonObject();
      totals.add(
          level.get("service").getAsString()
              + " "
              + level.get("total")
              + " "
              + level.get("errors"));
    }
    return totals;
  }

  @Test
  void aBadRetentionSettingIsAUsageError() {
    QueryCommandsTest.Run rule = run("compact", "--hot=168h", "--keep-attribute=vip");
    QueryCommandsTest.Run rate = run("compact", "--hot=168h", "--sample=1.5");

    assertThat(rule.exitCode()).isEqualTo(2);
    assertThat(rule.err()).contains("key=value").contains("vip");
    assertThat(rate.exitCode()).isEqualTo(2);
    assertThat(rate.err()).contains("0 to 1").contains("1.5");

    QueryCommandsTest.Run expiry = run("compact", "--hot=168h", "--expire-after=24h");
    assertThat(expiry.exitCode()).isEqualTo(2);
    assertThat(expiry.err()).contains("longer than the hot window");
  }

  private long parquetFiles() throws Exception {
    try (Stream<Path> files = Files.walk(data)) {
      return files.filter(file -> file.toString().endsWith(".parquet")).count();
    }
  }

  private QueryCommandsTest.Run run(String... args) {
    return QueryCommandsTest.execute(
        Stream.concat(Stream.of(args), Stream.of("--data=" + data)).toList());
  }
}
