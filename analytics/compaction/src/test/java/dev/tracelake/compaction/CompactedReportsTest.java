package dev.tracelake.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.tracelake.index.TraceIndex;
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
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports over two hours of a shop's traffic (with an error burst and a latency spike) before
 * and after compaction, which counts the spans into the aggregates the reports then read: counts
 * stay exact, percentiles move by at most the histograms' 1%.
 */
class CompactedReportsTest {
  private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");
  private static final TimeRange WINDOW =
      new TimeRange(START, START.plus(Duration.ofHours(2)).minusNanos(1));

  @TempDir Path temp;

  @Test
  void reportsCountTheSameSpansFromAggregatesAsFromRawSpans() throws SQLException {
    Path data = temp.resolve("data");
    SpanObjectKeys keys = new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX);
    TraceIngester ingester =
        new TraceIngester(new LocalDirectoryObjectStore(data), keys, TraceIndex.NONE);
    ScenarioTraffic traffic =
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

    try (QueryEngine engine =
        QueryEngine.open(
            new LocalSpanSource(data, keys),
            new SpanDatabase.Settings(2, "1GB", temp.resolve("query")),
            SloPolicy.defaults())) {
      Reports before = Reports.of(engine);
      List<PartitionOutcome> outcomes =
          new Compactor(
                  new LocalDirectoryObjectStore(data),
                  keys,
                  TraceIndex.NONE,
                  new CompactionSettings(
                      Duration.ofMinutes(30),
                      Duration.ZERO,
                      1_000_000,
                      122_880,
                      new SpanDatabase.Settings(2, "1GB", temp.resolve("compaction"))),
                  Clock.systemUTC())
              .compact(WINDOW, outcome -> {});
      assertThat(outcomes)
          .hasSize(2)
          .allMatch(outcome -> outcome.state() == PartitionOutcome.State.COMPACTED);
      assertThat(count(engine, "SELECT count(*) FROM spans WHERE NOT aggregated")).isZero();
      Reports after = Reports.of(engine);

      assertThat(before.dependencies().edges()).hasSizeGreaterThan(5);
      assertThat(before.dependencies().edges()).anyMatch(DependencyReport.Edge::virtual);
      assertSameEdges(after.dependencies(), before.dependencies());
      assertSameServiceLevels(after.sla(), before.sla());
      assertThat(before.incidents().incidents())
          .extracting(IncidentReport.Incident::service)
          .contains(ScenarioTopology.PAYMENTS, ScenarioTopology.CATALOG);
      assertThat(after.incidents().incidents()).isEqualTo(before.incidents().incidents());
    }
  }

  /** The three reports over the whole window. */
  private record Reports(DependencyReport dependencies, SlaReport sla, IncidentReport incidents) {
    static Reports of(QueryEngine engine) throws SQLException {
      return new Reports(
          engine.reports().dependencies(WINDOW),
          engine.reports().sla(WINDOW, SloPolicy.defaults()),
          engine.reports().incidents(WINDOW, SloPolicy.defaults()));
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
