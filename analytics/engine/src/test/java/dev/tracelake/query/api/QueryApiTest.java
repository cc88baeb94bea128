package dev.tracelake.query.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.testing.JaegerConformance;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.SyntheticTraces;
import dev.tracelake.testing.ConformanceData;
import dev.tracelake.testing.LocalIngest;
import dev.tracelake.testing.OtlpFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The query API's answers beyond the conformance suite: errors, aliases, lists and ordering. */
class QueryApiTest {
  private static final Instant HOUR = Instant.parse("2026-11-26T10:00:00Z");
  private static final String EXAMPLE_TRACE = "5b8efff798038103d269b633813fc60c";

  @TempDir static Path data;
  @TempDir static Path work;
  private static QueryEngine engine;
  private static QueryApi api;

  @BeforeAll
  static void ingest() {
    var otlp = LocalIngest.endpoint(data, IngestLimits.DEFAULT);
    otlp.export("application/json", null, OtlpFiles.bytes(ConformanceData.otlpExample()));
    otlp.export(
        "application/x-protobuf", null, SyntheticTraces.request(1, 2000, HOUR).toByteArray());
    engine =
        QueryEngine.open(
            new LocalSpanSource(data, new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX)),
            SpanDatabase.Settings.defaults(work));
    api = engine.api();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @Test
  void findsATraceByIdInAnyCase() {
    ApiReply reply = api.trace(EXAMPLE_TRACE.toUpperCase());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(JaegerConformance.resultTraceIds(reply.json())).containsExactly(EXAMPLE_TRACE);
    assertThat(reply.json()).contains("\"traceId\":\"" + EXAMPLE_TRACE + "\"");
  }

  @Test
  void anUnknownTraceIsNotFound() {
    ApiReply reply = api.trace("0123456789abcdef0123456789abcdef");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(error(reply).get("message").getAsString()).contains("trace not found");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "query.durationMin | abc | query.durationMin",
        "query.duration_max | 5 | query.durationMax",
        "query.startTimeMin | yesterday | query.startTimeMin",
        "query.searchDepth | 0 | query.searchDepth",
        "query.attributes | [1] | query.attributes",
        "query.attributes | {\"a\": {\"b\": 1}} | query.attributes"
      })
  void aBadParameterIsNamed(String name, String value, String named) {
    ApiReply reply =
        api.findTraces(
            Map.of(
                name,
                value,
                "query.serviceName",
                "frontend",
                "query.startTimeMax",
                "2026-11-26T11:00:00Z"));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(error(reply).get("message").getAsString()).contains(named);
  }

  @Test
  void aBadTraceIdIsABadRequest() {
    ApiReply reply = api.trace("not-a-trace");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(error(reply).get("message").getAsString()).contains("32 hex digits");
  }

  @Test
  void searchesNewestFirstUpToTheDepthWithSnakeCaseAliases() {
    ApiReply reply =
        api.findTraces(
            Map.of(
                "query.service_name", "frontend",
                "query.start_time_min", "2026-11-26T10:00:00Z",
                "query.start_time_max", "2026-11-26T11:00:00Z",
                "query.search_depth", "5"));

    assertThat(reply.status()).isEqualTo(200);
    List<String> traces = List.copyOf(JaegerConformance.resultTraceIds(reply.json()));
    assertThat(traces).hasSize(5);
    List<Long> rootStarts =
        JaegerConformance.resultSpans(reply.json()).stream()
            .filter(span -> span.span().getParentSpanId().isEmpty())
            .map(span -> span.span().getStartTimeUnixNano())
            .toList();
    assertThat(rootStarts).isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  void aSearchOutsideTheDataFindsNothing() {
    ApiReply reply =
        api.findTraces(
            Map.of(
                "query.serviceName", "frontend",
                "query.startTimeMin", "2026-11-26T12:00:00Z",
                "query.startTimeMax", "2026-11-26T13:00:00Z"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(JaegerConformance.resultTraceIds(reply.json())).isEmpty();
  }

  @Test
  void listsServicesAndOperations() {
    JsonObject services = JsonParser.parseString(api.services().json()).getAsJsonObject();
    assertThat(services.getAsJsonArray("services").toString())
        .contains("\"frontend\"", "\"checkout\"");

    ApiReply operations = api.operations(Map.of("service", "frontend", "spanKind", "server"));
    assertThat(operations.status()).isEqualTo(200);
    var entries =
        JsonParser.parseString(operations.json()).getAsJsonObject().getAsJsonArray("operations");
    assertThat(entries).isNotEmpty();
    entries.forEach(
        entry ->
            assertThat(entry.getAsJsonObject().get("spanKind").getAsString()).isEqualTo("server"));

    assertThat(api.operations(Map.of()).status()).isEqualTo(400);
    assertThat(api.operations(Map.of("service", "frontend", "spanKind", "sideways")).status())
        .isEqualTo(400);
  }

  private static JsonObject error(ApiReply reply) {
    return JsonParser.parseString(reply.json()).getAsJsonObject().getAsJsonObject("error");
  }

  @Test
  void reportsAnswerTheirJsonWithTheDocumentedFieldNames() {
    Map<String, String> window =
        Map.of("from", HOUR.toString(), "to", HOUR.plusSeconds(3599).toString());

    JsonObject dependencies =
        JsonParser.parseString(api.report("dependencies", window).json()).getAsJsonObject();
    JsonObject sla = JsonParser.parseString(api.report("sla", window).json()).getAsJsonObject();
    JsonObject incidents =
        JsonParser.parseString(api.report("incidents", window).json()).getAsJsonObject();

    assertThat(dependencies.get("from").getAsString()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(dependencies.getAsJsonArray("edges").get(0).getAsJsonObject().keySet())
        .containsExactly(
            "caller", "callee", "calls", "errors", "p50_ms", "p95_ms", "p99_ms", "virtual");
    assertThat(sla.getAsJsonArray("services").get(0).getAsJsonObject().keySet())
        .contains(
            "service",
            "total",
            "errors",
            "availability",
            "p50_ms",
            "p95_ms",
            "p99_ms",
            "availability_target",
            "latency_target_ms",
            "compliant",
            "error_budget_remaining");
    assertThat(incidents.keySet())
        .containsExactly("from", "to", "incidents", "mttd_seconds", "mttr_seconds", "by_service");
  }

  @Test
  void jaegerDependenciesListTheEdgesWithTheirCallCounts() {
    long end = HOUR.plusSeconds(3600).toEpochMilli();
    ApiReply reply =
        api.jaegerDependencies(Map.of("endTs", String.valueOf(end), "lookback", "3600000"));

    JsonArray links = JsonParser.parseString(reply.json()).getAsJsonObject().getAsJsonArray("data");
    JsonArray edges =
        JsonParser.parseString(
                api.report(
                        "dependencies",
                        Map.of("from", HOUR.toString(), "to", HOUR.plusSeconds(3600).toString()))
                    .json())
            .getAsJsonObject()
            .getAsJsonArray("edges");
    assertThat(links.size()).isEqualTo(edges.size()).isPositive();
    JsonObject first = links.get(0).getAsJsonObject();
    assertThat(first.keySet()).containsExactly("parent", "child", "callCount");
    assertThat(first.get("callCount").getAsLong())
        .isEqualTo(edges.get(0).getAsJsonObject().get("calls").getAsLong());
  }

  @Test
  void anUnknownReportIsNotFoundAndABadWindowIsABadRequest() {
    assertThat(api.report("latency", Map.of()).status()).isEqualTo(404);
    ApiReply reversed =
        api.report("sla", Map.of("from", "2026-11-26T11:00:00Z", "to", "2026-11-26T10:00:00Z"));
    assertThat(reversed.status()).isEqualTo(400);
    assertThat(error(reversed).get("message").getAsString())
        .contains("starts")
        .contains("after it ends");
    ApiReply badEnd = api.jaegerDependencies(Map.of("endTs", "soon"));
    assertThat(badEnd.status()).isEqualTo(400);
    assertThat(error(badEnd).get("message").getAsString()).contains("endTs");
  }
}
