package dev.tracelake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.index.DynamoDbTraceIndex;
import dev.tracelake.index.TraceIndex;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.S3ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.testing.ConformanceData;
import dev.tracelake.testing.DynaliteServer;
import dev.tracelake.testing.OtlpFiles;
import dev.tracelake.testing.S3ProxyServer;
import dev.tracelake.testing.S3SpanObjects;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** How {@code tracelake serve} is configured: a local directory by default, or S3 and DynamoDB. */
class ServeCommandTest {
  @TempDir Path data;

  @Test
  void storesInTheDataDirectoryByDefault() {
    ServeCommand serve = serve("--data", data.toString());

    assertThat(serve.port).isEqualTo(4318);
    assertThat(serve.host).isEqualTo("127.0.0.1");
    assertThat(serve.storage.objectStore()).isInstanceOf(LocalDirectoryObjectStore.class);
    assertThat(serve.storage.objectStore().location()).isEqualTo(data.toAbsolutePath().toString());
    assertThat(serve.storage.traceIndex()).isSameAs(TraceIndex.NONE);
  }

  @Test
  void compactsALocalDirectoryEvery15MinutesUnlessToldOtherwise() {
    assertThat(serve("--data", data.toString()).compactionInterval())
        .contains(Duration.ofMinutes(15));
    assertThat(serve("--data", data.toString(), "--compact-every", "5m").compactionInterval())
        .contains(Duration.ofMinutes(5));
    assertThat(serve("--data", data.toString(), "--compact-every", "0s").compactionInterval())
        .isEmpty();
    // Over S3 the deployed stack's function compacts.
    assertThat(serve("--bucket", "spans").compactionInterval()).isEmpty();
    assertThat(serve("--bucket", "spans", "--compact-every", "1h").compactionInterval())
        .contains(Duration.ofHours(1));
  }

  @Test
  void writesToS3AndDynamoDbWhenTheyAreGiven() {
    try (S3ProxyServer s3 = S3ProxyServer.start();
        DynaliteServer dynamo = DynaliteServer.start()) {
      s3.createBucket("serve-test");
      dynamo.createTraceIndexTable("serve-index");
      ServeCommand serve =
          CommandLine.populateCommand(
              new ServeCommand(),
              "--bucket",
              "serve-test",
              "--index-table",
              "serve-index",
              "--region",
              "us-east-1",
              "--s3-endpoint",
              s3.endpoint().toString(),
              "--dynamodb-endpoint",
              dynamo.endpoint().toString());
      assertThat(serve.storage.objectStore()).isInstanceOf(S3ObjectStore.class);
      assertThat(serve.storage.traceIndex()).isInstanceOf(DynamoDbTraceIndex.class);

      new TraceIngester(
              serve.storage.objectStore(),
              new SpanObjectKeys(serve.storage.spansPrefix),
              serve.storage.traceIndex())
          .ingest(
              OtlpFiles.request(ConformanceData.otlpExample()),
              OtlpFiles.bytes(ConformanceData.otlpExample()));

      assertThat(S3SpanObjects.keys(s3.client(), "serve-test", "spans/")).hasSize(1);
      assertThat(
              dynamo
                  .client()
                  .query(
                      q ->
                          q.tableName("serve-index")
                              .keyConditionExpression("trace_id = :t")
                              .expressionAttributeValues(
                                  Map.of(
                                      ":t",
                                      AttributeValue.fromS("5b8efff798038103d269b633813fc60c"))))
                  .items())
          .hasSize(1);
    }
  }

  @Test
  void badOptionsExitWithUsageErrorAndSayWhatIsWrong() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TracelakeCommand()).setErr(new PrintWriter(err));

    assertThat(cli.execute("serve", "--port", "many")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid value for option '--port'").contains("'many'");
  }

  @Test
  void helpExitsWithZero() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new TracelakeCommand()).setOut(new PrintWriter(out));

    assertThat(cli.execute("serve", "--help")).isZero();
    assertThat(out.toString()).contains("--data").contains("--bucket").contains("--port");
  }

  private static ServeCommand serve(String... arguments) {
    return CommandLine.populateCommand(new ServeCommand(), arguments);
  }
}
