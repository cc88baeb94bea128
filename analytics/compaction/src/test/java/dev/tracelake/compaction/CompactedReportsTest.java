package dev.tracelake.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.tracelake.index.TraceIndexKey;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.TimeRange;
import dev.tracelake.query.report.DependencyReport;
import dev.tracelake.query.report.IncidentReport;
import dev.tracelake.query.report.SlaReport;
import dev.tracelake.query.report.SloPolicy;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.ScenarioTopology;
import dev.tracelake.synthetic.ScenarioTraffic;
import dev.tracelake.synthetic.ScenarioTraffic.Incident;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports over two hours of a shop's traffic (with an error burst and a latency spike) before
 * and after compaction, which counts the spans into the aggregates the reports then read, and after
 * tail-based retention has dropped most traces: counts stay exact, percentiles move by at most the
 * histograms' 1%. Retention keeps exactly the traces its policy names.
 */
class CompactedReportsTest {
  private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");
  private static final TimeRange WINDOW =
      new TimeRange(START, START.plus(Duration.ofHours(2)).minusNanos(1));
  private static final String KEPT_CLIENT = "203.0.113.7";
  private static final double SAMPLE_RATE = 0.1;

  /** Roots are the gateway's; one of its operations has an objective of its own. */
  private static final SloPolicy OBJECTIVES =
      SloPolicy.parse(
          """
          defaults: {availability: 0.999, latency_p95_ms: 500}
          services:
            gateway:
              latency_p95_ms: 450
              operations:
                "POST /api/checkout": {latency_p95_ms: 900}
          """);

  @TempDir Path temp;

  private final SpanObjectKeys keys = new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX);
  private final InMemoryTraceIndex index = new InMemoryTraceIndex();
  private ScenarioTraffic traffic;
  private Path data;

  @BeforeEach
  void ingestTwoHoursOfTraffic() {
    data = temp.resolve("data");
    TraceIngester ingester = new TraceIngester(new LocalDirectoryObjectStore(data), keys, index);
    traffic =
        ScenarioTraffic.generate(
            ScenarioTraffic.Config.builder(START)
                .length(Duration.ofHours(2))
                .tracesPerMinute(20)
                .seed(11)
                .incident(
                    new Incident(
                        ScenarioTopology.PAYMENTS,
                        Incident.Kind.ERRORS,
                        Instant.parse("2026-11-20T10:40:00Z"),
                        Instant.parse("2026-11-20T10:55:00Z")))
                .incident(
                    new Incident(
                        ScenarioTopology.CATALOG,
                        Incident.Kind.LATENCY,
                        Instant.parse("2026-11-20T11:10:00Z"),
                        Instant.parse("2026-11-20T11:25:00Z")))
                .build());
    for (ExportTraceServiceRequest request : traffic.requests()) {
      ingester.ingest(request, request.toByteArray());
    }
  }

  @Test
  void reportsCountTheSameSpansFromAggregatesAsFromRawSpans() throws SQLException {
    try (QueryEngine engine = engine()) {
      Reports before = Reports.of(engine);

      assertThat(compact(RetentionPolicy.OFF))
          .hasSize(2)
          .allMatch(outcome -> outcome.state() == PartitionOutcome.State.COMPACTED);
      assertThat(count(engine, "SELECT count(*) FROM spans WHERE NOT aggregated")).isZero();
      Reports after = Reports.of(engine);

      assertThat(before.dependencies().edges()).hasSizeGreaterThan(5);
      assertThat(before.dependencies().edges()).anyMatch(DependencyReport.Edge::virtual);
      assertThat(before.incidents().incidents())
          .extracting(IncidentReport.Incident::service)
          .contains(ScenarioTopology.PAYMENTS, ScenarioTopology.CATALOG);
      after.assertSameAs(before);
    }
  }

  @Test
  void retentionKeepsExactlyThePolicysTracesAndTheReportsTheirTotals() throws SQLException {
    RetentionPolicy policy =
        new RetentionPolicy(
            Duration.ofDays(1), OBJECTIVES, Map.of("client.address", KEPT_CLIENT), SAMPLE_RATE);
    try (QueryEngine engine = engine()) {
      Reports before = Reports.of(engine);
      Map<String, Long> spansBefore = spansPerTrace(engine);
      Set<String> sampled =
          rows(
              engine,
              "SELECT DISTINCT trace_id FROM spans"
                  + " WHERE hash(trace_id) < "
                  + SAMPLE_RATE
                  + " * 18446744073709551615");
      Map<String, Reason> expected = new TreeMap<>();
      traceFacts()
          .forEach(
              (trace, facts) ->
                  facts
                      .reason(sampled.contains(trace))
                      .ifPresent(reason -> expected.put(trace, reason)));
      // Every reason keeps some traces, and most traces go.
      assertThat(Set.copyOf(expected.values())).containsExactlyInAnyOrder(Reason.values());
      assertThat(expected.size()).isLessThan(spansBefore.size() / 3);

      List<PartitionOutcome> outcomes = compact(policy);

      assertThat(outcomes).allMatch(outcome -> outcome.spansDropped() > 0);
      Map<String, Long> spansAfter = spansPerTrace(engine);
      assertThat(spansAfter.keySet()).isEqualTo(expected.keySet());
      spansAfter.forEach(
          (trace, spans) ->
              assertThat(spans)
                  .as("spans of kept trace %s", trace)
                  .isEqualTo(spansBefore.get(trace)));
      assertThat(index.keys().stream().map(TraceIndexKey::traceId).collect(Collectors.toSet()))
          .isEqualTo(expected.keySet());
      Reports.of(engine).assertSameAs(before);

      assertThat(compact(policy))
          .allMatch(outcome -> outcome.state() == PartitionOutcome.State.UP_TO_DATE);
    }
  }

  /** Why a trace is kept, in the order the policy's rules are checked. */
  private enum Reason {
    ERROR,
    SLOW_ROOT,
    ATTRIBUTE,
    SAMPLED
  }

  /** What the policy looks at in one trace, read from the requests sent. */
  private static final class TraceFacts {
    boolean error;
    boolean slowRoot;
    boolean keptClient;

    Optional<Reason> reason(boolean sampled) {
      return error
          ? Optional.of(Reason.ERROR)
          : slowRoot
              ? Optional.of(Reason.SLOW_ROOT)
              : keptClient
                  ? Optional.of(Reason.ATTRIBUTE)
                  : sampled ? Optional.of(Reason.SAMPLED) : Optional.empty();
    }
  }

  private Map<String, TraceFacts> traceFacts() {
    Map<String, TraceFacts> traces = new HashMap<>();
    for (ExportTraceServiceRequest request : traffic.requests()) {
      for (ResourceSpans resource : request.getResourceSpansList()) {
        String service =
            resource.getResource().getAttributesList().stream()
                .filter(attribute -> attribute.getKey().equals("service.name"))
                .map(attribute -> attribute.getValue().getStringValue())
                .findFirst()
                .orElseThrow();
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          for (Span span : scope.getSpansList()) {
            TraceFacts facts =
                traces.computeIfAbsent(
                    HexFormat.of().formatHex(span.getTraceId().toByteArray()),
                    unused -> new TraceFacts());
            facts.error |= span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
            double millis = (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e6;
            facts.slowRoot |=
                span.getParentSpanId().isEmpty()
                    && millis > latencyObjective(service, span.getName());
            facts.keptClient |=
                span.getAttributesList().stream()
                    .anyMatch(
                        attribute ->
                            attribute.getKey().equals("client.address")
                                && attribute.getValue().getStringValue().equals(KEPT_CLIENT));
          }
        }
      }
    }
    return traces;
  }

  /** The objectives above, most specific first, written out. */
  private static double latencyObjective(String service, String operation) {
    if (service.equals("gateway")) {
      return operation.equals("POST /api/checkout") ? 900 : 450;
    }
    return 500;
  }

  private QueryEngine engine() {
    return QueryEngine.open(
        new LocalSpanSource(data, keys),
        new SpanDatabase.Settings(2, "1GB", temp.resolve("query")),
        OBJECTIVES);
  }

  private List<PartitionOutcome> compact(RetentionPolicy retention) {
    return new Compactor(
            new LocalDirectoryObjectStore(data),
            keys,
            index,
            new CompactionSettings(
                    Duration.ofMinutes(30),
                    Duration.ZERO,
                    1_000_000,
                    122_880,
                    new SpanDatabase.Settings(2, "1GB", temp.resolve("compaction")))
                .withRetention(retention),
            Clock.systemUTC())
        .compact(WINDOW, outcome -> {});
  }

  private static Map<String, Long> spansPerTrace(QueryEngine engine) {
    try {
      return engine
          .sql()
          .execute("SELECT trace_id, count(*) FROM spans GROUP BY 1", WINDOW)
          .rows()
          .stream()
          .collect(
              Collectors.toMap(
                  row -> (String) row.get(0), row -> ((Number) row.get(1)).longValue()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> rows(QueryEngine engine, String sql) {
    try {
      return engine.sql().execute(sql, WINDOW).rows().stream()
          .map(row -> (String) row.get(0))
          .collect(Collectors.toSet());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The three reports over the whole window. */
  private record Reports(DependencyReport dependencies, SlaReport sla, IncidentReport incidents) {
    static Reports of(QueryEngine engine) throws SQLException {
      return new Reports(
          engine.reports().dependencies(WINDOW),
          engine.reports().sla(WINDOW, OBJECTIVES),
          engine.reports().incidents(WINDOW, OBJECTIVES));
    }

    /** The same counts as {@code expected}'s, and percentiles within 1% of its. */
    void assertSameAs(Reports expected) {
      assertSameEdges(dependencies, expected.dependencies());
      assertSameServiceLevels(sla, expected.sla());
      assertThat(incidents.incidents()).isEqualTo(expected.incidents().incidents());
    }
  }

  private static void assertSameEdges(DependencyReport actual, DependencyReport expected) {
    Map<String, DependencyReport.Edge> edges =
        byKey(actual.edges(), edge -> edge.caller() + ">" + edge.callee() + ":" + edge.virtual());
    assertThat(edges.keySet())
        .isEqualTo(
            byKey(
                    expected.edges(),
                    edge -> edge.caller() + ">" + edge.callee() + ":" + edge.virtual())
                .keySet());
    for (DependencyReport.Edge want : expected.edges()) {
      DependencyReport.Edge got =
          edges.get(want.caller() + ">" + want.callee() + ":" + want.virtual());
      assertThat(got.calls()).as("calls of %s", want).isEqualTo(want.calls());
      assertThat(got.errors()).as("errors of %s", want).isEqualTo(want.errors());
      assertThat(got.p50Ms()).as("p50 of %s", want).isCloseTo(want.p50Ms(), withinPercentage(1));
      assertThat(got.p95Ms()).as("p95 of %s", want).isCloseTo(want.p95Ms(), withinPercentage(1));
      assertThat(got.p99Ms()).as("p99 of %s", want).isCloseTo(want.p99Ms(), withinPercentage(1));
    }
  }

  private static void assertSameServiceLevels(SlaReport actual, SlaReport expected) {
    Map<String, SlaReport.ServiceLevel> services =
        byKey(actual.services(), SlaReport.ServiceLevel::service);
    assertThat(services.keySet())
        .isEqualTo(byKey(expected.services(), SlaReport.ServiceLevel::service).keySet());
    for (SlaReport.ServiceLevel want : expected.services()) {
      SlaReport.ServiceLevel got = services.get(want.service());
      assertThat(got.total()).as("total of %s", want.service()).isEqualTo(want.total());
      assertThat(got.errors()).as("errors of %s", want.service()).isEqualTo(want.errors());
      assertThat(got.availability()).isEqualTo(want.availability());
      assertThat(got.errorBudgetRemaining()).isEqualTo(want.errorBudgetRemaining());
      assertThat(got.p50Ms()).isCloseTo(want.p50Ms(), withinPercentage(1));
      assertThat(got.p95Ms()).isCloseTo(want.p95Ms(), withinPercentage(1));
      assertThat(got.p99Ms()).isCloseTo(want.p99Ms(), withinPercentage(1));
    }
  }

  private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
    return items.stream().collect(Collectors.toMap(key, item -> item));
  }

  private static long count(QueryEngine engine, String sql) {
    try {
      return ((Number) engine.sql().execute(sql, WINDOW).rows().get(0).get(0)).longValue();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
