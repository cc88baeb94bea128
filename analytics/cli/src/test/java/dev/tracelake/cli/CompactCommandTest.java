package dev.tracelake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
  void aBadDurationIsAUsageError() {
    QueryCommandsTest.Run run = run("compact", "--grace=soon");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--grace").contains("soon");
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
