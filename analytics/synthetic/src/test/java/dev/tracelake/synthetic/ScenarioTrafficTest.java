package dev.tracelake.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.tracelake.synthetic.ScenarioTraffic.Config;
import dev.tracelake.synthetic.ScenarioTraffic.Incident;
import dev.tracelake.synthetic.ScenarioTraffic.SingleError;
import dev.tracelake.synthetic.ScenarioTruth.Edge;
import dev.tracelake.synthetic.ScenarioTruth.EdgeStats;
import dev.tracelake.synthetic.ScenarioTruth.EntryStats;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Checks the generator's truth against its spans, walked independently of the generator. */
class ScenarioTrafficTest {
  private static final Instant START = Instant.parse("2025-03-14T09:00:00Z");
  private static final int MINUTES = 45;
  private static final Incident SLOW_PAYMENTS =
      new Incident(
          "payments",
          Incident.Kind.LATENCY,
          START.plusSeconds(10 * 60),
          START.plusSeconds(20 * 60));
  private static final Incident FAILING_CATALOG =
      new Incident(
          "catalog", Incident.Kind.ERRORS, START.plusSeconds(25 * 60), START.plusSeconds(35 * 60));
  private static final SingleError ONE_PAYMENT_ERROR =
      new SingleError("payments", START.plusSeconds(40 * 60 + 10));
  private static final Config CONFIG =
      Config.builder(START)
          .length(Duration.ofMinutes(MINUTES))
          .seed(7)
          .incident(SLOW_PAYMENTS)
          .incident(FAILING_CATALOG)
          .singleError(ONE_PAYMENT_ERROR)
          .build();
  private static final ScenarioTraffic TRAFFIC = ScenarioTraffic.generate(CONFIG);
  private static final Trees TREES = new Trees(TRAFFIC.requests());
  private static final long MS = 1_000_000L;

  @Test
  void edgesAreTheCrossServiceParentChildPairsAndTheChildlessCalls() {
    assertThat(TRAFFIC.truth().edges().keySet())
        .containsExactlyInAnyOrder(
            new Edge("gateway", "catalog", false),
            new Edge("gateway", "orders", false),
            new Edge("orders", "payments", false),
            new Edge("orders", "notifier", false),
            new Edge("orders", "postgresql", true),
            new Edge("catalog", "inventory-legacy", true));
    assertTruthMatchesTheSpans(TRAFFIC, TREES);
    // Branches are taken in some traces only, and a failed payment is not announced.
    Map<Edge, EdgeStats> edges = TRAFFIC.truth().edges();
    assertThat(edges.get(new Edge("catalog", "inventory-legacy", true)).calls())
        .isLessThan(edges.get(new Edge("gateway", "catalog", false)).calls());
    EdgeStats payments = edges.get(new Edge("orders", "payments", false));
    assertThat(payments.errors()).isOne();
    assertThat(edges.get(new Edge("orders", "notifier", false)).calls())
        .isEqualTo(payments.calls() - payments.errors());
  }

  @Test
  void entrySpansInAWindowAreThoseThatStartInIt() {
    Instant from = FAILING_CATALOG.start();
    Instant to = FAILING_CATALOG.end();
    Map<String, EntryStats> truth = TRAFFIC.truth().entrySpans(from, to);
    for (String service : ScenarioTopology.services()) {
      List<Span> spans = TREES.entrySpans(service, startsIn(from, to));
      assertThat(truth.get(service).total()).isEqualTo(spans.size());
      assertThat(truth.get(service).errors())
          .isEqualTo(spans.stream().filter(Trees::failed).count());
      assertThat(sorted(truth.get(service).durationsNanos()))
          .isEqualTo(sorted(spans.stream().map(Trees::duration).toList()));
    }
  }

  @Test
  void everyParentEnclosesItsChildrenAndEveryTraceHasOneGatewayRoot() {
    Map<ByteString, Integer> roots = new HashMap<>();
    for (Trees.Written written : TREES.all) {
      Trees.Written parent = TREES.parent(written);
      if (parent == null) {
        assertThat(written.service()).isEqualTo("gateway");
        assertThat(written.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        roots.merge(written.span().getTraceId(), 1, Integer::sum);
      } else {
        assertThat(written.span().getStartTimeUnixNano())
            .isGreaterThanOrEqualTo(parent.span().getStartTimeUnixNano());
        assertThat(written.span().getEndTimeUnixNano())
            .isLessThanOrEqualTo(parent.span().getEndTimeUnixNano());
      }
    }
    assertThat(roots).hasSize(MINUTES * 60);
    assertThat(roots.values()).containsOnly(1);
  }

  @Test
  void eachMinuteIsOneRequestWithItsTracesSpreadOverIt() {
    assertThat(TRAFFIC.requests()).hasSize(MINUTES);
    for (int minute = 0; minute < MINUTES; minute++) {
      // parent() also checks that each request holds whole traces.
      Trees trees = new Trees(List.of(TRAFFIC.requests().get(minute)));
      long minuteStart = nanos(START) + minute * 60_000 * MS;
      int[] perTenSeconds = new int[6];
      for (Trees.Written written : trees.all) {
        if (trees.parent(written) == null) {
          long offset = written.span().getStartTimeUnixNano() - minuteStart;
          assertThat(offset).isBetween(0L, 60_000 * MS - 1);
          perTenSeconds[(int) (offset / (10_000 * MS))]++;
        }
      }
      assertThat(perTenSeconds).containsOnly(10);
    }
    ResourceSpans orders = TRAFFIC.requests().get(0).getResourceSpans(2);
    assertThat(attribute(orders.getResource().getAttributesList(), "service.name"))
        .isEqualTo("orders");
    assertThat(attribute(orders.getResource().getAttributesList(), "service.version"))
        .isEqualTo("2.7.3");
  }

  @Test
  void anErrorIncidentFailsAboutHalfOfTheServicesEntrySpansAndNoCallers() {
    Predicate<Span> inIncident = startsIn(FAILING_CATALOG.start(), FAILING_CATALOG.end());
    List<Span> during = TREES.entrySpans("catalog", inIncident);
    double share = during.stream().filter(Trees::failed).count() / (double) during.size();
    assertThat(during).hasSizeGreaterThan(200);
    assertThat(share).isBetween(0.4, 0.6);
    assertThat(TREES.entrySpans("catalog", inIncident.negate())).noneMatch(Trees::failed);
    assertThat(TREES.all)
        .filteredOn(written -> Trees.failed(written.span()))
        .allSatisfy(
            written -> assertThat(written.span().getEvents(0).getName()).isEqualTo("exception"))
        .allSatisfy(written -> assertThat(written.service()).isIn("catalog", "payments"));
    assertThat(TRAFFIC.truth().entrySpans().get("gateway").availability()).isEqualTo(1.0);
  }

  @Test
  void aSingleErrorFailsTheFirstEntrySpanOfItsServiceAfterIt() {
    List<Span> failed = TREES.entrySpans("payments", Trees::failed);
    assertThat(failed).hasSize(1);
    long at = nanos(ONE_PAYMENT_ERROR.at());
    assertThat(failed.get(0).getStartTimeUnixNano()).isBetween(at, at + 60_000 * MS);
    assertThat(
            TREES.entrySpans(
                "payments", startsIn(ONE_PAYMENT_ERROR.at(), START.plus(CONFIG.length()))))
        .filteredOn(span -> span.getStartTimeUnixNano() < failed.get(0).getStartTimeUnixNano())
        .isEmpty();
    assertThat(TRAFFIC.truth().entrySpans().get("payments").errors()).isEqualTo(1);
    assertThat(TRAFFIC.truth().singleErrors()).containsExactly(ONE_PAYMENT_ERROR);
  }

  @Test
  void aLatencyIncidentSlowsTheServiceAndExactlyTheCallersThatWaitForIt() {
    Predicate<Span> inIncident = startsIn(SLOW_PAYMENTS.start(), SLOW_PAYMENTS.end());
    List<Trees.Written> slowPayments = new ArrayList<>();
    for (Trees.Written written : TREES.all) {
      if (written.service().equals("payments")
          && Trees.isEntry(written.span())
          && inIncident.test(written.span())) {
        slowPayments.add(written);
      }
    }
    assertThat(slowPayments).hasSizeGreaterThan(200);
    Set<Span> waitingForPayments = new HashSet<>();
    Set<String> waitingServices = new HashSet<>();
    for (Trees.Written payment : slowPayments) {
      for (Trees.Written up = TREES.parent(payment); up != null; up = TREES.parent(up)) {
        if (Trees.isEntry(up.span())) {
          waitingForPayments.add(up.span());
          waitingServices.add(up.service());
        }
      }
    }
    assertThat(waitingServices).isEqualTo(ScenarioTopology.upstreamCallers("payments"));
    for (Trees.Written written : TREES.all) {
      if (!Trees.isEntry(written.span())) {
        continue;
      }
      long duration = Trees.duration(written.span());
      boolean slow =
          waitingForPayments.contains(written.span())
              || written.service().equals("payments") && inIncident.test(written.span());
      if (slow) {
        assertThat(duration).isBetween(1000 * MS, 1750 * MS);
      } else {
        assertThat(duration).isLessThanOrEqualTo(ScenarioTopology.HEALTHY_LATENCY_MAX.toNanos());
      }
    }
  }

  @Test
  void healthyServicesKeepTheirP95WellUnder200Ms() {
    Map<String, EntryStats> healthy = TRAFFIC.truth().entrySpans(START, SLOW_PAYMENTS.start());
    healthy.forEach(
        (service, stats) -> {
          List<Long> durations = sorted(stats.durationsNanos());
          assertThat(durations.get((int) (durations.size() * 0.95)))
              .as(service)
              .isLessThan(150 * MS);
        });
  }

  @Test
  void theRecommendedLatencyObjectivesAreBreachedByTheSlowServiceOnly() {
    Map<String, Duration> objectives =
        ScenarioTopology.latencyObjectives(TRAFFIC.truth().incidents());
    assertThat(objectives)
        .containsEntry("payments", ScenarioTopology.STRICT_LATENCY_OBJECTIVE)
        .containsEntry("orders", ScenarioTopology.LENIENT_LATENCY_OBJECTIVE)
        .containsEntry("gateway", ScenarioTopology.LENIENT_LATENCY_OBJECTIVE);
    Set<String> breaching = new HashSet<>();
    TRAFFIC
        .truth()
        .entrySpans()
        .forEach(
            (service, stats) -> {
              if (stats.durationsNanos().stream()
                  .anyMatch(nanos -> nanos > objectives.get(service).toNanos())) {
                breaching.add(service);
              }
            });
    assertThat(breaching).containsExactly("payments");
  }

  @Test
  void backgroundErrorsHitEntrySpansAndPeerCallsAlike() {
    ScenarioTraffic traffic =
        ScenarioTraffic.generate(
            Config.builder(START)
                .length(Duration.ofMinutes(20))
                .seed(3)
                .backgroundErrorRate(0.05)
                .build());
    assertTruthMatchesTheSpans(traffic, new Trees(traffic.requests()));
    ScenarioTruth truth = traffic.truth();
    assertThat(truth.edges().get(new Edge("orders", "postgresql", true)).errors()).isPositive();
    assertThat(truth.edges().get(new Edge("catalog", "inventory-legacy", true)).errors())
        .isPositive();
    truth
        .entrySpans()
        .forEach(
            (service, stats) -> assertThat(stats.availability()).as(service).isBetween(0.9, 0.99));
  }

  @Test
  void theSameConfigGivesTheSameBytes() {
    Config config =
        Config.builder(START)
            .length(Duration.ofMinutes(10))
            .incident(new Incident("orders", Incident.Kind.ERRORS, START, START.plusSeconds(300)))
            .build();
    List<byte[]> bodies = ScenarioTraffic.generate(config).requestBodies();
    assertThat(ScenarioTraffic.generate(config).requestBodies())
        .zipSatisfy(bodies, (again, first) -> assertThat(again).isEqualTo(first));
    Config otherSeed = Config.builder(START).length(Duration.ofMinutes(10)).seed(1).build();
    assertThat(ScenarioTraffic.generate(otherSeed).requestBodies().get(0))
        .isNotEqualTo(bodies.get(0));
  }

  @Test
  void anIncidentChangesOnlyTheTracesItHits() {
    Config.Builder base = Config.builder(START).length(Duration.ofMinutes(10));
    List<ExportTraceServiceRequest> healthy = ScenarioTraffic.generate(base.build()).requests();
    List<ExportTraceServiceRequest> failing =
        ScenarioTraffic.generate(
                base.incident(
                        new Incident(
                            "orders",
                            Incident.Kind.ERRORS,
                            START.plusSeconds(180),
                            START.plusSeconds(300)))
                    .build())
            .requests();
    for (int minute : new int[] {0, 1, 5, 6, 7, 8, 9}) {
      assertThat(failing.get(minute)).as("minute %d", minute).isEqualTo(healthy.get(minute));
    }
    assertThat(failing.get(3)).isNotEqualTo(healthy.get(3));
  }

  @Test
  void rejectsWhatItCannotGenerate() {
    assertThatThrownBy(() -> Config.builder(START.plusSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Config.builder(START).length(Duration.ofSeconds(90)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Config.builder(START).tracesPerMinute(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                Config.builder(START)
                    .singleError(new SingleError("orders", START.minusSeconds(1)))
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Incident("postgresql", Incident.Kind.LATENCY, START, START.plusSeconds(60)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Incident("orders", Incident.Kind.ERRORS, START, START))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Compares the truth's edges and entry spans with those found by walking the spans. */
  private static void assertTruthMatchesTheSpans(ScenarioTraffic traffic, Trees trees) {
    Map<Edge, List<Span>> edges = trees.edges();
    assertThat(traffic.truth().edges().keySet()).isEqualTo(edges.keySet());
    edges.forEach(
        (edge, calls) -> {
          EdgeStats truth = traffic.truth().edges().get(edge);
          assertThat(truth.calls()).as(edge.toString()).isEqualTo(calls.size());
          assertThat(truth.errors())
              .as(edge.toString())
              .isEqualTo(calls.stream().filter(Trees::failed).count());
          assertThat(sorted(truth.durationsNanos()))
              .isEqualTo(sorted(calls.stream().map(Trees::duration).toList()));
        });
    Map<String, EntryStats> entrySpans = traffic.truth().entrySpans();
    assertThat(entrySpans.keySet()).containsExactlyElementsOf(ScenarioTopology.services());
    for (String service : ScenarioTopology.services()) {
      List<Span> spans = trees.entrySpans(service, span -> true);
      EntryStats truth = entrySpans.get(service);
      assertThat(truth.total()).as(service).isEqualTo(spans.size()).isPositive();
      assertThat(truth.errors())
          .as(service)
          .isEqualTo(spans.stream().filter(Trees::failed).count());
      assertThat(sorted(truth.durationsNanos()))
          .isEqualTo(sorted(spans.stream().map(Trees::duration).toList()));
    }
  }

  /** The spans of some requests, each with its service, and their parent links. */
  private static final class Trees {
    record Written(String service, Span span) {}

    final List<Written> all = new ArrayList<>();
    final Map<ByteString, Written> byId = new HashMap<>();
    final Set<ByteString> parents = new HashSet<>();

    Trees(List<ExportTraceServiceRequest> requests) {
      for (ExportTraceServiceRequest request : requests) {
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
          String service =
              attribute(resourceSpans.getResource().getAttributesList(), "service.name");
          for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
            for (Span span : scopeSpans.getSpansList()) {
              Written written = new Written(service, span);
              all.add(written);
              if (byId.put(id(span.getTraceId(), span.getSpanId()), written) != null) {
                throw new AssertionError("span ID written twice: " + span.getName());
              }
              if (!span.getParentSpanId().isEmpty()) {
                parents.add(id(span.getTraceId(), span.getParentSpanId()));
              }
            }
          }
        }
      }
    }

    Written parent(Written child) {
      Span span = child.span();
      if (span.getParentSpanId().isEmpty()) {
        return null;
      }
      Written parent = byId.get(id(span.getTraceId(), span.getParentSpanId()));
      if (parent == null) {
        throw new AssertionError("the parent of " + span.getName() + " is missing");
      }
      return parent;
    }

    /** The edges by the reports' definitions, each with the spans that are its calls. */
    Map<Edge, List<Span>> edges() {
      Map<Edge, List<Span>> edges = new LinkedHashMap<>();
      for (Written written : all) {
        Span span = written.span();
        Written parent = parent(written);
        if (parent != null && !parent.service().equals(written.service())) {
          edges
              .computeIfAbsent(
                  new Edge(parent.service(), written.service(), false), e -> new ArrayList<>())
              .add(span);
        }
        boolean calls =
            span.getKind() == SpanKind.SPAN_KIND_CLIENT
                || span.getKind() == SpanKind.SPAN_KIND_PRODUCER;
        if (calls && !parents.contains(id(span.getTraceId(), span.getSpanId()))) {
          String peer = attribute(span.getAttributesList(), "peer.service");
          if (peer == null) {
            peer = attribute(span.getAttributesList(), "db.system");
          }
          if (peer == null) {
            peer = attribute(span.getAttributesList(), "server.address");
          }
          edges
              .computeIfAbsent(new Edge(written.service(), peer, true), e -> new ArrayList<>())
              .add(span);
        }
      }
      return edges;
    }

    List<Span> entrySpans(String service, Predicate<Span> filter) {
      return all.stream()
          .filter(written -> written.service().equals(service))
          .map(Written::span)
          .filter(Trees::isEntry)
          .filter(filter)
          .toList();
    }

    static boolean isEntry(Span span) {
      return span.getKind() == SpanKind.SPAN_KIND_SERVER
          || span.getKind() == SpanKind.SPAN_KIND_CONSUMER;
    }

    static boolean failed(Span span) {
      return span.getStatus().getCode() == StatusCode.STATUS_CODE_ERROR;
    }

    static long duration(Span span) {
      return span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
    }

    private static ByteString id(ByteString traceId, ByteString spanId) {
      return traceId.concat(spanId);
    }
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    for (KeyValue attribute : attributes) {
      if (attribute.getKey().equals(key)) {
        return attribute.getValue().getStringValue();
      }
    }
    return null;
  }

  private static Predicate<Span> startsIn(Instant from, Instant to) {
    return span ->
        span.getStartTimeUnixNano() >= nanos(from) && span.getStartTimeUnixNano() < nanos(to);
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  private static List<Long> sorted(List<Long> durations) {
    return durations.stream().sorted().toList();
  }
}
