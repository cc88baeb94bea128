package dev.tracelake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.index.DynamoDbTraceIndex;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.query.testing.JaegerConformance;
import dev.tracelake.storage.S3ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.testing.AwsEmulators;
import dev.tracelake.testing.OtlpFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query commands over S3 and the DynamoDB trace index (s3proxy and dynalite on loopback):
 * objects are fetched into the local cache, and trace lookups go through the index.
 */
class S3QueryCommandsTest {
  private static final String BUCKET = "query-commands";
  private static final String TABLE = "query-commands-index";

  @TempDir static Path cache;
  @RegisterExtension static final AwsEmulators AWS = new AwsEmulators(BUCKET, TABLE);
  private static int spans;

  @BeforeAll
  static void ingestTheConformanceFixturesIntoS3() {
    TraceIngester ingester =
        new TraceIngester(
            new S3ObjectStore(AWS.s3proxy().client(), BUCKET),
            new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX),
            new DynamoDbTraceIndex(AWS.dynalite().client(), TABLE, Duration.ofDays(30)));
    for (Path file : JaegerConformance.traceFiles()) {
      spans += ingester.ingest(OtlpFiles.request(file), OtlpFiles.bytes(file)).acceptedSpans();
    }
  }

  @Test
  void findsATraceThroughTheIndex() {
    QueryCommandsTest.Run run =
        run("trace", "00000000000000000000000000000011", "--format", "json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(JaegerConformance.resultSpans(run.out()))
        .containsExactlyInAnyOrderElementsOf(
            JaegerConformance.fixtureSpans("00000000000000000000000000000011"));
  }

  @Test
  void searchesTheObjectsOfTheWindow() {
    QueryCommandsTest.Run run =
        run(
            "search",
            "--service",
            "query22-service",
            "--from",
            "2017-01-26T15:46:31.639875Z",
            "--to",
            "2017-01-26T17:46:31.639875Z",
            "--format",
            "json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(JaegerConformance.resultTraceIds(run.out())).hasSize(3);
  }

  @Test
  void runsSqlOverEverySpan() {
    QueryCommandsTest.Run run =
        run("sql", "SELECT count(*) AS spans FROM spans", "--format", "csv");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out().lines()).containsExactly("spans", String.valueOf(spans));
  }

  private static QueryCommandsTest.Run run(String... args) {
    List<String> arguments = new ArrayList<>(List.of(args));
    arguments.addAll(
        List.of(
            "--bucket=" + BUCKET,
            "--index-table=" + TABLE,
            "--region=us-east-1",
            "--s3-endpoint=" + AWS.s3proxy().endpoint(),
            "--dynamodb-endpoint=" + AWS.dynalite().endpoint(),
            "--cache-dir=" + cache));
    return QueryCommandsTest.execute(arguments);
  }
}
