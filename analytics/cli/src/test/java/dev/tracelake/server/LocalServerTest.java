package dev.tracelake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.ingest.OtlpHttpEndpoint;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.spans.StoredSpan;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.testing.ConformanceData;
import dev.tracelake.testing.LocalIngest;
import dev.tracelake.testing.OtlpFiles;
import dev.tracelake.testing.ParquetSpanReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./tracelake serve} over real HTTP: what an OTLP exporter on the same machine sees. */
class LocalServerTest {
  @TempDir Path data;
  @TempDir Path work;
  private QueryEngine engine;
  private LocalServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    OtlpHttpEndpoint otlp = LocalIngest.endpoint(data, IngestLimits.DEFAULT);
    engine =
        QueryEngine.open(
            new LocalSpanSource(data, new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX)),
            SpanDatabase.Settings.defaults(work));
    server = LocalServer.start("127.0.0.1", 0, otlp, engine.api());
  }

  @AfterEach
  void stop() {
    server.close();
    engine.close();
  }

  @Test
  void everyConformanceFileIsStoredWithEveryField() throws Exception {
    List<StoredSpan> expected = new ArrayList<>();
    for (Path file : ConformanceData.allOtlpJsonFiles()) {
      var request = OtlpFiles.request(file);
      HttpResponse<String> response =
          post("application/x-protobuf", "gzip", OtlpFiles.gzip(request.toByteArray()));
      assertThat(response.statusCode()).as(file.toString()).isEqualTo(200);
      expected.addAll(StoredSpan.of(request));
    }

    assertThat(ParquetSpanReader.readDirectory(data.resolve("spans")))
        .extracting(ParquetSpanReader.Row::span)
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void answersWithTheEndpointsStatusAndBody() throws Exception {
    HttpResponse<String> response = post("text/plain", null, new byte[] {1});

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).contains("is not supported");
  }

  @Test
  void otherMethodsAndPathsAreRefused() throws Exception {
    HttpResponse<String> get =
        http.send(request("/v1/traces").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST, OPTIONS");

    HttpResponse<String> missing =
        http.send(request("/v2/nothing").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);

    HttpResponse<String> health =
        http.send(request("/health").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void browserPreflightIsAllowed() throws Exception {
    HttpResponse<String> preflight =
        http.send(
            request("/v1/traces").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
        .hasValue("POST, OPTIONS");
  }

  private HttpResponse<String> post(String contentType, String contentEncoding, byte[] body)
      throws Exception {
    HttpRequest.Builder request =
        request("/v1/traces")
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentEncoding != null) {
      request.header("Content-Encoding", contentEncoding);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
  }
}
