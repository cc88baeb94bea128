package dev.tracelake.query.report;

import static dev.tracelake.query.report.ReportSpans.CLIENT;
import static dev.tracelake.query.report.ReportSpans.CONSUMER;
import static dev.tracelake.query.report.ReportSpans.INTERNAL;
import static dev.tracelake.query.report.ReportSpans.PRODUCER;
import static dev.tracelake.query.report.ReportSpans.SERVER;
import static dev.tracelake.query.report.ReportSpans.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.TimeRange;
import dev.tracelake.storage.SpanObjectKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports' SQL over spans written by hand through the ingest path, with answers known exactly:
 * edges and their counts, availability, percentiles, and the edge cases (a parent that never
 * arrived, a child that starts before its parent, an empty window, a single service).
 */
class ReportsTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final TimeRange HOUR = new TimeRange(T0, T0.plusSeconds(3599));

  @TempDir Path data;
  @TempDir Path work;
  private final ReportSpans spans = new ReportSpans();
  private QueryEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private Reports reports() {
    engine =
        QueryEngine.open(
            new LocalSpanSource(data, new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX)),
            SpanDatabase.Settings.defaults(work));
    return engine.reports();
  }

  /** gateway → orders (HTTP) → payments (HTTP), orders → postgresql, orders ⇒ notifier (queue). */
  private void checkoutTrace(long number, Instant start, boolean paymentFails) {
    ByteString trace = traceId(number);
    ByteString root =
        spans.add(
            "gateway", SERVER, "POST /checkout", trace, null, start, Duration.ofMillis(100), false);
    ByteString call =
        spans.add(
            "gateway",
            CLIENT,
            "POST",
            trace,
            root,
            start.plusMillis(1),
            Duration.ofMillis(90),
            false);
    ByteString orders =
        spans.add(
            "orders",
            SERVER,
            "POST /orders",
            trace,
            call,
            start.plusMillis(2),
            Duration.ofMillis(80 + number % 10),
            false);
    ByteString pay =
        spans.add(
            "orders",
            CLIENT,
            "POST",
            trace,
            orders,
            start.plusMillis(3),
            Duration.ofMillis(40),
            paymentFails);
    spans.add(
        "payments",
        SERVER,
        "POST /pay",
        trace,
        pay,
        start.plusMillis(4),
        Duration.ofMillis(30),
        paymentFails);
    spans.add(
        "orders",
        CLIENT,
        "INSERT orders",
        trace,
        orders,
        start.plusMillis(50),
        Duration.ofMillis(5),
        false,
        "db.system",
        "postgresql");
    ByteString publish =
        spans.add(
            "orders",
            PRODUCER,
            "orders publish",
            trace,
            orders,
            start.plusMillis(60),
            Duration.ofMillis(2),
            false);
    spans.add(
        "notifier",
        CONSUMER,
        "orders process",
        trace,
        publish,
        start.plusMillis(70),
        Duration.ofMillis(20),
        false);
  }

  @Test
  void edgesAreCrossServiceParentChildPairsAndCallsToUninstrumentedPeers() throws Exception {
    for (int i = 0; i < 10; i++) {
      checkoutTrace(i, T0.plusSeconds(60 * i), i % 5 == 0);
    }
    // Calls to peers named by peer.service, then server.address; one naming nothing is left out.
    ByteString trace = traceId(100);
    ByteString root =
        spans.add("gateway", SERVER, "GET /", trace, null, T0, Duration.ofMillis(10), false);
    spans.add(
        "gateway",
        CLIENT,
        "GET",
        trace,
        root,
        T0,
        Duration.ofMillis(4),
        true,
        "peer.service",
        "legacy-crm",
        "server.address",
        "crm.internal");
    spans.add(
        "gateway",
        CLIENT,
        "GET",
        trace,
        root,
        T0,
        Duration.ofMillis(4),
        false,
        "server.address",
        "api.example.com");
    spans.add("gateway", CLIENT, "GET", trace, root, T0, Duration.ofMillis(4), false);
    spans.ingest(data);

    DependencyReport report = reports().dependencies(HOUR);

    assertThat(report.edges())
        .extracting(
            e ->
                e.caller()
                    + ">"
                    + e.callee()
                    + " "
                    + e.calls()
                    + "/"
                    + e.errors()
                    + " "
                    + e.virtual())
        .containsExactly(
            "gateway>api.example.com 1/0 true",
            "gateway>legacy-crm 1/1 true",
            "gateway>orders 10/0 false",
            "orders>notifier 10/0 false",
            "orders>payments 10/2 false",
            "orders>postgresql 10/0 true");
    DependencyReport.Edge orders = report.edges().get(2);
    // gateway → orders calls last 80 + i ms for i = 0..9: quantile_cont interpolates linearly.
    assertThat(orders.p50Ms()).isCloseTo(84.5, within(1e-9));
    assertThat(orders.p95Ms()).isCloseTo(88.55, within(1e-9));
    assertThat(orders.p99Ms()).isCloseTo(88.91, within(1e-9));
  }

  @Test
  void aSpanWhoseParentNeverArrivedMakesNoEdgeButStillCountsForItsService() throws Exception {
    ByteString trace = traceId(1);
    ByteString missingParent = ByteString.copyFromUtf8("lost1234");
    spans.add(
        "orders", SERVER, "POST /orders", trace, missingParent, T0, Duration.ofMillis(5), true);
    spans.ingest(data);
    Reports reports = reports();

    assertThat(reports.dependencies(HOUR).edges()).isEmpty();
    SlaReport sla = reports.sla(HOUR, SloPolicy.defaults());
    assertThat(sla.services())
        .singleElement()
        .satisfies(
            level -> {
              assertThat(level.service()).isEqualTo("orders");
              assertThat(level.total()).isEqualTo(1);
              assertThat(level.errors()).isEqualTo(1);
            });
  }

  @Test
  void aChildThatStartsBeforeItsParentIsStillAnEdge() throws Exception {
    ByteString trace = traceId(1);
    ByteString parent =
        spans.add(
            "gateway", CLIENT, "GET", trace, null, T0.plusSeconds(10), Duration.ofMillis(5), false);
    // Clock skew: the callee's host clock is two seconds behind.
    spans.add(
        "search", SERVER, "GET /q", trace, parent, T0.plusSeconds(8), Duration.ofMillis(3), false);
    spans.ingest(data);

    assertThat(reports().dependencies(HOUR).edges())
        .extracting(e -> e.caller() + ">" + e.callee() + " " + e.calls())
        .containsExactly("gateway>search 1");
  }

  @Test
  void aCallerBeforeTheWindowStillNamesTheEdgeOfACallInIt() throws Exception {
    ByteString trace = traceId(1);
    ByteString parent =
        spans.add(
            "batch",
            INTERNAL,
            "nightly",
            trace,
            null,
            T0.minusSeconds(600),
            Duration.ofMinutes(20),
            false);
    spans.add(
        "store", SERVER, "PUT", trace, parent, T0.plusSeconds(1), Duration.ofMillis(3), false);
    spans.ingest(data);

    assertThat(reports().dependencies(HOUR).edges())
        .extracting(e -> e.caller() + ">" + e.callee())
        .containsExactly("batch>store");
  }

  @Test
  void aWindowWithoutDataHasNoEdgesNoServicesAndNoIncidents() throws Exception {
    checkoutTrace(1, T0, false);
    spans.ingest(data);
    TimeRange later = new TimeRange(T0.plusSeconds(7200), T0.plusSeconds(10800));
    Reports reports = reports();

    assertThat(reports.dependencies(later).edges()).isEmpty();
    assertThat(reports.sla(later, SloPolicy.defaults()).services()).isEmpty();
    IncidentReport incidents = reports.incidents(later, SloPolicy.defaults());
    assertThat(incidents.incidents()).isEmpty();
    assertThat(incidents.byService()).isEmpty();
    assertThat(incidents.mttdSeconds()).isNull();
    assertThat(incidents.mttrSeconds()).isNull();
  }

  @Test
  void oneServiceHasNoEdgesAndOneServiceLevel() throws Exception {
    for (int i = 0; i < 4; i++) {
      spans.add(
          "solo",
          SERVER,
          "GET /",
          traceId(i),
          null,
          T0.plusSeconds(i),
          Duration.ofMillis(10 * (i + 1)),
          i == 3);
    }
    spans.ingest(data);
    Reports reports = reports();

    assertThat(reports.dependencies(HOUR).edges()).isEmpty();
    SlaReport.ServiceLevel solo = reports.sla(HOUR, SloPolicy.defaults()).services().get(0);
    assertThat(solo.total()).isEqualTo(4);
    assertThat(solo.errors()).isEqualTo(1);
    assertThat(solo.availability()).isEqualTo(0.75);
    assertThat(solo.p50Ms()).isCloseTo(25.0, within(1e-9));
    assertThat(solo.compliant()).isFalse();
    assertThat(solo.burnRate()).isCloseTo(0.25 / 0.001, within(1e-6));
    assertThat(solo.errorBudgetRemaining()).isCloseTo(1 - 250, within(1e-6));
  }

  @Test
  void slaTakesEachObjectiveFromTheMostSpecificEntryAndReportsConfiguredOperations()
      throws Exception {
    for (int i = 0; i < 100; i++) {
      checkoutTrace(i, T0.plusSeconds(30 * i), i < 3);
    }
    spans.ingest(data);
    SloPolicy policy =
        SloPolicy.parse(
            """
            defaults: {availability: 0.99, latency_p95_ms: 50}
            services:
              orders:
                latency_p95_ms: 100
                operations:
                  "POST /orders": {availability: 0.999}
              payments: {availability: 0.95}
            """);

    List<SlaReport.ServiceLevel> levels = reports().sla(HOUR, policy).services();

    assertThat(levels)
        .extracting(
            l ->
                l.service()
                    + "/"
                    + l.operation()
                    + " "
                    + l.total()
                    + "/"
                    + l.errors()
                    + " "
                    + l.availabilityTarget()
                    + " "
                    + l.latencyTargetMs()
                    + " "
                    + l.compliant())
        .containsExactly(
            "gateway/null 100/0 0.99 50.0 false",
            "notifier/null 100/0 0.99 50.0 true",
            "orders/null 100/0 0.99 100.0 true",
            "orders/POST /orders 100/0 0.999 100.0 true",
            "payments/null 100/3 0.95 50.0 true");
    SlaReport.ServiceLevel payments = levels.get(4);
    assertThat(payments.availability()).isEqualTo(0.97);
    assertThat(payments.burnRate()).isCloseTo(0.6, within(1e-9));
    assertThat(payments.errorBudgetRemaining()).isCloseTo(0.4, within(1e-9));
  }
}
