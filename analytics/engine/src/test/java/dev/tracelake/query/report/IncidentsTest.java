package dev.tracelake.query.report;

import static dev.tracelake.query.report.ReportSpans.SERVER;
import static dev.tracelake.query.report.ReportSpans.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.TimeRange;
import dev.tracelake.storage.SpanObjectKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident report's alerting rule, minute by minute, over three hours of four services with 20
 * entry spans a minute: each breach is placed so that the minute the rule fires follows from the
 * definitions in {@code sql/reports/incidents.sql} by hand.
 */
class IncidentsTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final int MINUTES = 180;
  private static final int PER_MINUTE = 20;

  @TempDir Path data;
  @TempDir Path work;
  private QueryEngine engine;

  @BeforeEach
  void writeThreeHours() {
    ReportSpans spans = new ReportSpans();
    // api: half its requests fail in minutes 60-69; one lone error at minute 100.
    service(
        spans,
        "api",
        minute -> minute >= 60 && minute < 70,
        (minute, i) -> minute == 100 && i == 0,
        false);
    // search: every request takes 900 ms in minutes 30-39 (the objective is 500 ms).
    service(spans, "search", minute -> minute >= 30 && minute < 40, null, true);
    // late: half fail in minutes 176-177, two minutes before the data ends.
    service(spans, "late", minute -> minute >= 176 && minute < 178, null, false);
    // steady: a lone error every 50 minutes (5% of that minute), well within its budget of 1%.
    service(spans, "steady", minute -> false, (minute, i) -> minute % 50 == 0 && i == 0, false);
    spans.ingest(data);
    engine =
        QueryEngine.open(
            new LocalSpanSource(data, new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX)),
            SpanDatabase.Settings.defaults(work));
  }

  private interface SpanPredicate {
    boolean test(int minute, int index);
  }

  private static void service(
      ReportSpans spans, String name, IntPredicate breach, SpanPredicate loneError, boolean slow) {
    for (int minute = 0; minute < MINUTES; minute++) {
      for (int i = 0; i < PER_MINUTE; i++) {
        boolean inBreach = breach.test(minute);
        boolean error =
            (!slow && inBreach && i % 2 == 0) || (loneError != null && loneError.test(minute, i));
        spans.add(
            name,
            SERVER,
            "GET /",
            traceId(minute * 1000L + i + name.hashCode() * 1_000_000L),
            null,
            T0.plusSeconds(60L * minute + 3L * i),
            Duration.ofMillis(slow && inBreach ? 900 : 10),
            error);
      }
    }
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void eachBreachIsFoundWithTheMinuteItsRuleFired() throws Exception {
    SloPolicy policy =
        SloPolicy.parse(
            "defaults: {availability: 0.999, latency_p95_ms: 500}\n"
                + "services: {steady: {availability: 0.99}}");
    IncidentReport report =
        engine.reports().incidents(new TimeRange(T0, T0.plusSeconds(60L * MINUTES - 1)), policy);

    assertThat(report.incidents())
        .extracting(
            i ->
                i.service()
                    + " "
                    + i.kind().label()
                    + " "
                    + i.onset()
                    + " "
                    + i.detectedAt()
                    + " "
                    + i.resolvedAt()
                    + " "
                    + i.ttdSeconds()
                    + " "
                    + i.ttrSeconds())
        .containsExactly(
            // 6h/30m fires first: 10 errors in 1,220 spans (0.82% >= 6 x 0.1%), 10 in the last 600.
            "api errors 2026-11-26T11:00:00Z 2026-11-26T11:01:00Z 2026-11-26T11:10:00Z 60 600",
            // Open: the data ends two minutes later, before the five-minute hold.
            "late errors 2026-11-26T12:56:00Z 2026-11-26T12:58:00Z null 120 null",
            // 1h/5m at burn rate 2 needs 10% slow over the hour so far: 80 of 680 at 10:33.
            "search latency 2026-11-26T10:30:00Z 2026-11-26T10:34:00Z 2026-11-26T10:40:00Z 240 600");
    assertThat(report.mttdSeconds()).isEqualTo(140.0);
    assertThat(report.mttrSeconds()).isEqualTo(600.0);
    assertThat(report.byService())
        .extracting(
            s -> s.service() + " " + s.incidents() + " " + s.mttdSeconds() + " " + s.mttrSeconds())
        .containsExactly(
            "api 1 60.0 600.0", "late 1 120.0 null", "search 1 240.0 600.0", "steady 0 null null");
  }

  @Test
  void aWindowReportsOnlyTheIncidentsOverlappingIt() throws Exception {
    IncidentReport report =
        engine
            .reports()
            .incidents(
                new TimeRange(T0.plusSeconds(60 * 65), T0.plusSeconds(60 * 90)),
                SloPolicy.defaults());

    assertThat(report.incidents())
        .extracting(IncidentReport.Incident::service)
        .containsExactly("api");
  }
}
