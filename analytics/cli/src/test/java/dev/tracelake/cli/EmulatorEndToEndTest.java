package dev.tracelake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tracelake.index.DynamoDbTraceIndexReader;
import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.ingest.OtlpHttpEndpoint;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.report.SloPolicy;
import dev.tracelake.server.LocalServer;
import dev.tracelake.storage.PartitionManifest;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.SyntheticTraces;
import dev.tracelake.testing.DynaliteServer;
import dev.tracelake.testing.OtlpFiles;
import dev.tracelake.testing.S3ProxyServer;
import dev.tracelake.testing.S3SpanObjects;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The deployed flow on the open-source emulator tier (s3proxy and dynalite on loopback, where
 * LocalStack cannot run): {@code tracelake serve} on S3 and DynamoDB takes OTLP over HTTP, a retry
 * and a re-batched copy included; the trace reads back through the index; {@code tracelake compact}
 * rewrites the hour; the same trace, and every span once, read back again.
 */
class EmulatorEndToEndTest {
  private static final String BUCKET = "tracelake-e2e";
  private static final String TABLE = "tracelake-e2e-index";
  private static final Instant HOUR = Instant.parse("2026-11-25T14:00:00Z");

  @TempDir Path cache;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void sendsReadsCompactsAndReadsAgain() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start();
        DynaliteServer dynamo = DynaliteServer.start()) {
      s3.createBucket(BUCKET);
      dynamo.createTraceIndexTable(TABLE);
      List<String> storage =
          List.of(
              "--bucket=" + BUCKET,
              "--index-table=" + TABLE,
              "--region=" + S3ProxyServer.REGION.id(),
              "--s3-endpoint=" + s3.endpoint(),
              "--dynamodb-endpoint=" + dynamo.endpoint(),
              "--cache-dir=" + cache);
      ServeCommand serve =
          CommandLine.populateCommand(new ServeCommand(), storage.toArray(String[]::new));
      OtlpHttpEndpoint otlp =
          new OtlpHttpEndpoint(
              new TraceIngester(
                  serve.storage.objectStore(),
                  new SpanObjectKeys(serve.storage.spansPrefix),
                  serve.storage.traceIndex()),
              IngestLimits.DEFAULT);
      ExportTraceServiceRequest first = SyntheticTraces.request(7, 200, HOUR);
      ExportTraceServiceRequest second = SyntheticTraces.request(8, 200, HOUR);
      ExportTraceServiceRequest rebatched =
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(first.getResourceSpans(0))
              .addResourceSpans(second.getResourceSpans(0))
              .build();
      String traceId =
          HexFormat.of()
              .formatHex(
                  first
                      .getResourceSpans(0)
                      .getScopeSpans(0)
                      .getSpans(0)
                      .getTraceId()
                      .toByteArray());

      String before;
      try (QueryEngine engine = serve.storage.queryEngine(SloPolicy.defaults());
          LocalServer server = LocalServer.start("127.0.0.1", 0, otlp, engine.api())) {
        for (ExportTraceServiceRequest request : List.of(first, first, second, rebatched)) {
          HttpResponse<String> response = post(server, request);
          assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        before = get(server, "/api/v3/traces/" + traceId);
        assertThat(countSpans(server)).isEqualTo(400 + spans(rebatched));
      }

      QueryCommandsTest.Run compact =
          QueryCommandsTest.execute(
              Stream.concat(Stream.of("compact", "--retire-after=0s"), storage.stream()).toList());
      assertThat(compact.exitCode()).as(compact.err()).isEqualTo(ExitCodes.OK);
      assertThat(compact.out()).contains("hour partitions compacted: 1 of 1; objects: 3 -> 1;");

      try (QueryEngine engine = serve.storage.queryEngine(SloPolicy.defaults());
          LocalServer server = LocalServer.start("127.0.0.1", 0, otlp, engine.api())) {
        assertThat(get(server, "/api/v3/traces/" + traceId)).isEqualTo(before);
        assertThat(countSpans(server)).isEqualTo(400);
      }
      assertThat(S3SpanObjects.keys(s3.client(), BUCKET, "spans/"))
          .hasSize(3) // the compacted object, its aggregates and the manifest
          .anyMatch(key -> key.endsWith(PartitionManifest.FILE_NAME))
          .anyMatch(key -> key.contains("/" + PartitionManifest.AGGREGATES_PREFIX));
      assertThat(new DynamoDbTraceIndexReader(dynamo.client(), TABLE).objectKeys(traceId))
          .singleElement()
          .matches(key -> key.contains(PartitionManifest.COMPACTED_PREFIX));
    }
  }

  private HttpResponse<String> post(LocalServer server, ExportTraceServiceRequest request)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(url(server, "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpFiles.gzip(request.toByteArray())))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String get(LocalServer server, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(url(server, path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private long countSpans(LocalServer server) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(url(server, "/api/sql"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"sql\": \"SELECT count(*) FROM spans\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject result = JsonParser.parseString(response.body()).getAsJsonObject();
    return result.getAsJsonArray("rows").get(0).getAsJsonArray().get(0).getAsLong();
  }

  private static URI url(LocalServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static int spans(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream()
        .flatMap(resource -> resource.getScopeSpansList().stream())
        .mapToInt(scope -> scope.getSpansCount())
        .sum();
  }
}
