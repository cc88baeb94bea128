package dev.tracelake.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.report.SloPolicy;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.ScenarioTopology;
import dev.tracelake.synthetic.ScenarioTraffic;
import dev.tracelake.synthetic.ScenarioTraffic.Incident;
import dev.tracelake.synthetic.ScenarioTraffic.SingleError;
import dev.tracelake.synthetic.ScenarioTruth;
import dev.tracelake.testing.LocalIngest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports against traffic whose truth is known: three hours of a shop (60 traces a minute) with
 * an error burst in payments, a latency spike in catalog, and two lone errors, sent to {@code POST
 * /v1/traces} as an exporter would, then asked for over {@code GET /api/reports/...}.
 */
class ReportsGroundTruthTest {
  private static final Instant START = Instant.parse("2026-11-26T08:00:00Z");
  private static final Incident PAYMENTS_ERRORS =
      new Incident(
          ScenarioTopology.PAYMENTS,
          Incident.Kind.ERRORS,
          Instant.parse("2026-11-26T09:10:20Z"),
          Instant.parse("2026-11-26T09:25:40Z"));
  private static final Incident CATALOG_LATENCY =
      new Incident(
          ScenarioTopology.CATALOG,
          Incident.Kind.LATENCY,
          Instant.parse("2026-11-26T10:05:00Z"),
          Instant.parse("2026-11-26T10:20:00Z"));

  @TempDir static Path data;
  @TempDir static Path work;
  private static ScenarioTraffic traffic;
  private static QueryEngine engine;
  private static LocalServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void sendThreeHoursOfTraffic() throws Exception {
    traffic =
        ScenarioTraffic.generate(
            ScenarioTraffic.Config.builder(START)
                .length(Duration.ofHours(3))
                .tracesPerMinute(60)
                .seed(7)
                .incident(PAYMENTS_ERRORS)
                .incident(CATALOG_LATENCY)
                .singleError(
                    new SingleError(ScenarioTopology.ORDERS, Instant.parse("2026-11-26T08:30:00Z")))
                .singleError(
                    new SingleError(
                        ScenarioTopology.NOTIFIER, Instant.parse("2026-11-26T09:50:00Z")))
                .build());
    engine =
        QueryEngine.open(
            new LocalSpanSource(data, new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX)),
            SpanDatabase.Settings.defaults(work),
            SloPolicy.parse(sloFile()));
    server =
        LocalServer.start(
            "127.0.0.1", 0, LocalIngest.endpoint(data, IngestLimits.DEFAULT), engine.api());
    for (byte[] body : traffic.requestBodies()) {
      HttpResponse<String> response =
          HTTP.send(
              request("/v1/traces")
                  .header("Content-Type", "application/x-protobuf")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    }
  }

  /** Three nines everywhere, and latency objectives that only the slowed service breaks. */
  private static String sloFile() {
    StringBuilder slo = new StringBuilder("defaults: {availability: 0.999}\nservices:\n");
    ScenarioTopology.latencyObjectives(List.of(PAYMENTS_ERRORS, CATALOG_LATENCY))
        .forEach(
            (service, objective) ->
                slo.append("  ")
                    .append(service)
                    .append(": {latency_p95_ms: ")
                    .append(objective.toMillis())
                    .append("}\n"));
    return slo.toString();
  }

  @AfterAll
  static void stop() {
    server.close();
    engine.close();
  }

  @Test
  void theDependencyGraphHasExactlyTheEdgesCallsAndErrorsSent() throws Exception {
    JsonArray edges = report("dependencies").getAsJsonArray("edges");

    Map<ScenarioTruth.Edge, ScenarioTruth.EdgeStats> truth = traffic.truth().edges();
    Map<ScenarioTruth.Edge, JsonObject> reported = new HashMap<>();
    for (JsonElement edge : edges) {
      JsonObject e = edge.getAsJsonObject();
      reported.put(
          new ScenarioTruth.Edge(
              e.get("caller").getAsString(),
              e.get("callee").getAsString(),
              e.get("virtual").getAsBoolean()),
          e);
    }
    assertThat(reported.keySet()).containsExactlyInAnyOrderElementsOf(truth.keySet());
    truth.forEach(
        (edge, stats) -> {
          JsonObject e = reported.get(edge);
          assertThat(e.get("calls").getAsLong()).as(edge + " calls").isEqualTo(stats.calls());
          assertThat(e.get("errors").getAsLong()).as(edge + " errors").isEqualTo(stats.errors());
          assertThat(e.get("p95_ms").getAsDouble())
              .as(edge + " p95")
              .isCloseTo(quantileMs(stats.durationsNanos(), 0.95), within(1e-6));
        });
  }

  @Test
  void jaegerDependenciesCountTheSameCalls() throws Exception {
    JsonArray links =
        get("/api/dependencies?endTs="
                + traffic.config().end().toEpochMilli()
                + "&lookback="
                + Duration.ofHours(3).toMillis())
            .getAsJsonArray("data");

    Set<String> expected =
        traffic.truth().edges().entrySet().stream()
            .map(e -> e.getKey().caller() + ">" + e.getKey().callee() + " " + e.getValue().calls())
            .collect(Collectors.toSet());
    Set<String> actual = new HashSet<>();
    for (JsonElement link : links) {
      JsonObject l = link.getAsJsonObject();
      actual.add(
          l.get("parent").getAsString()
              + ">"
              + l.get("child").getAsString()
              + " "
              + l.get("callCount").getAsLong());
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void availabilityIsExactAndPercentilesFollowTheirDefinition() throws Exception {
    JsonArray services = report("sla").getAsJsonArray("services");

    Map<String, ScenarioTruth.EntryStats> truth = traffic.truth().entrySpans();
    assertThat(services).hasSize(truth.size());
    for (JsonElement element : services) {
      JsonObject service = element.getAsJsonObject();
      ScenarioTruth.EntryStats expected = truth.get(service.get("service").getAsString());
      assertThat(service.get("total").getAsLong()).isEqualTo(expected.total());
      assertThat(service.get("errors").getAsLong()).isEqualTo(expected.errors());
      assertThat(service.get("availability").getAsDouble()).isEqualTo(expected.availability());
      for (String percentile : List.of("p50", "p95", "p99")) {
        double fraction = Integer.parseInt(percentile.substring(1)) / 100.0;
        assertThat(service.get(percentile + "_ms").getAsDouble())
            .as(service.get("service") + " " + percentile)
            .isCloseTo(quantileMs(expected.durationsNanos(), fraction), within(1e-6));
      }
    }
  }

  @Test
  void eachInjectedIncidentIsFoundCloseToItsTruthAndHealthyServicesHaveNone() throws Exception {
    JsonObject report = report("incidents");

    JsonArray incidents = report.getAsJsonArray("incidents");
    assertThat(incidents).hasSize(2);
    for (Incident injected : List.of(PAYMENTS_ERRORS, CATALOG_LATENCY)) {
      JsonObject found = null;
      for (JsonElement element : incidents) {
        JsonObject incident = element.getAsJsonObject();
        if (incident.get("service").getAsString().equals(injected.service())) {
          found = incident;
        }
      }
      assertThat(found).as(injected.toString()).isNotNull();
      assertThat(found.get("kind").getAsString()).isEqualTo(injected.kind().name().toLowerCase());
      Instant onset = Instant.parse(found.get("onset").getAsString());
      Instant detected = Instant.parse(found.get("detected_at").getAsString());
      Instant resolved = Instant.parse(found.get("resolved_at").getAsString());
      assertThat(Duration.between(injected.start(), onset).abs())
          .isLessThanOrEqualTo(Duration.ofMinutes(2));
      assertThat(Duration.between(injected.end(), resolved).abs())
          .isLessThanOrEqualTo(Duration.ofMinutes(5));
      assertThat(detected).isAfter(onset).isBefore(resolved);
      assertThat(found.get("ttd_seconds").getAsLong())
          .isEqualTo(Duration.between(onset, detected).toSeconds());
      assertThat(found.get("ttr_seconds").getAsLong())
          .isEqualTo(Duration.between(onset, resolved).toSeconds());
    }
    double meanTtd =
        (incidents.get(0).getAsJsonObject().get("ttd_seconds").getAsDouble()
                + incidents.get(1).getAsJsonObject().get("ttd_seconds").getAsDouble())
            / 2;
    assertThat(report.get("mttd_seconds").getAsDouble()).isEqualTo(meanTtd);
    List<String> byService = new ArrayList<>();
    for (JsonElement service : report.getAsJsonArray("by_service")) {
      byService.add(
          service.getAsJsonObject().get("service").getAsString()
              + " "
              + service.getAsJsonObject().get("incidents").getAsLong());
    }
    // orders and notifier each had a lone error: within the budget, no incident.
    assertThat(byService)
        .containsExactly("catalog 1", "gateway 0", "notifier 0", "orders 0", "payments 1");
  }

  /** DuckDB's quantile_cont: linear interpolation between the closest ranks, in ms. */
  private static double quantileMs(List<Long> nanos, double fraction) {
    List<Long> sorted = nanos.stream().sorted().toList();
    double rank = fraction * (sorted.size() - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(below + 1, sorted.size() - 1);
    double value = sorted.get(below) + (rank - below) * (sorted.get(above) - sorted.get(below));
    return value / 1e6;
  }

  private static JsonObject report(String name) throws Exception {
    return get(
        "/api/reports/" + name + "?from=" + START + "&to=" + traffic.config().end().minusNanos(1));
  }

  private static JsonObject get(String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
  }
}
