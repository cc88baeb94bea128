package dev.tracelake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.testing.JaegerConformance;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.testing.LocalIngest;
import dev.tracelake.testing.OtlpFiles;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jaeger's storage conformance suite against {@code ./tracelake serve}, through its public HTTP
 * interfaces only: every fixture POSTed to /v1/traces, every query run through GET /api/v3/traces.
 */
class JaegerConformanceTest {
  @TempDir static Path data;
  @TempDir static Path work;
  private static QueryEngine engine;
  private static LocalServer server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void ingestEveryFixture() throws Exception {
    engine =
        QueryEngine.open(
            new LocalSpanSource(data, new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX)),
            SpanDatabase.Settings.defaults(work));
    server =
        LocalServer.start(
            "127.0.0.1", 0, LocalIngest.endpoint(data, IngestLimits.DEFAULT), engine.api());
    for (Path file : JaegerConformance.traceFiles()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri("/v1/traces"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpFiles.bytes(file)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(file.toString()).isEqualTo(200);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    engine.close();
  }

  static List<JaegerConformance.Query> queries() {
    return JaegerConformance.queries();
  }

  @Test
  void theSuiteHasAllItsQueries() {
    assertThat(queries()).hasSize(25);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void findsExactlyTheExpectedTraces(JaegerConformance.Query query) throws Exception {
    HttpResponse<String> response = get("/api/v3/traces?" + queryString(query.parameters()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JaegerConformance.resultTraceIds(response.body()))
        .containsExactlyInAnyOrderElementsOf(query.expectedTraceIds());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void returnsEachExpectedTraceByIdWithEveryField(JaegerConformance.Query query) throws Exception {
    for (String traceId : query.expectedTraceIds()) {
      HttpResponse<String> response = get("/api/v3/traces/" + traceId);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(JaegerConformance.resultSpans(response.body()))
          .containsExactlyInAnyOrderElementsOf(JaegerConformance.fixtureSpans(traceId));
    }
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  private static String queryString(Map<String, String> parameters) {
    return parameters.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
