package dev.tracelake.query.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTML page: self-contained, escaped, one drawing element per service and per edge. */
class HtmlReportTest {
  static final Instant FROM = Instant.parse("2026-11-26T14:00:00Z");
  static final Instant TO = Instant.parse("2026-11-26T15:00:00Z");
  static final String SCRIPT = "<script>alert(1)</script>";
  static final String AMPERSAND = "a&b\"";

  static DependencyReport.Edge edge(String caller, String callee, long calls, long errors) {
    return new DependencyReport.Edge(caller, callee, calls, errors, 5, 12.34, 30, false);
  }

  static DependencyReport.Edge virtual(String caller, String callee, long calls) {
    return new DependencyReport.Edge(caller, callee, calls, 0, 1, 3, 8, true);
  }

  static SlaReport.ServiceLevel level(
      String service, String operation, double availability, boolean compliant, double budget) {
    return new SlaReport.ServiceLevel(
        service,
        operation,
        1000,
        3,
        availability,
        10,
        120,
        300,
        0.999,
        500,
        compliant,
        budget,
        1 - budget);
  }

  static DependencyReport dependencies() {
    return new DependencyReport(
        FROM,
        TO,
        List.of(
            edge("frontend", SCRIPT, 1200, 6),
            edge(SCRIPT, AMPERSAND, 300, 30),
            edge(AMPERSAND, SCRIPT, 20, 0),
            virtual(AMPERSAND, "postgresql", 2400)));
  }

  static SlaReport sla() {
    return new SlaReport(
        FROM,
        TO,
        List.of(
            level(AMPERSAND, null, 0.997, false, -2.3),
            level(SCRIPT, null, 0.9995, true, 0.5),
            level(SCRIPT, "GET /<b>", 0.9999, true, 0.9),
            level("frontend", null, 0.99999, true, 0.99)));
  }

  static IncidentReport incidents() {
    List<IncidentReport.Incident> incidents =
        List.of(
            new IncidentReport.Incident(
                AMPERSAND,
                IncidentKind.ERRORS,
                FROM.plusSeconds(600),
                FROM.plusSeconds(780),
                FROM.plusSeconds(1500),
                180,
                900L),
            new IncidentReport.Incident(
                SCRIPT,
                IncidentKind.LATENCY,
                FROM.plusSeconds(2400),
                FROM.plusSeconds(2760),
                null,
                360,
                null));
    return new IncidentReport(
        FROM,
        TO,
        incidents,
        270.0,
        900.0,
        List.of(
            new IncidentReport.ServiceIncidents(AMPERSAND, 1, 180.0, 900.0),
            new IncidentReport.ServiceIncidents(SCRIPT, 1, 360.0, null),
            new IncidentReport.ServiceIncidents("frontend", 0, null, null)));
  }

  @Test
  void thePageNeedsNothingFromElsewhere() {
    String page = HtmlReport.render(dependencies(), sla(), incidents());

    assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(page.toLowerCase())
        .doesNotContain(
            "http://",
            "https://",
            "src=",
            "href=",
            "<link",
            "<script",
            "<img",
            "@import",
            "@font-face",
            "url(http",
            "url(//",
            "xlink:");
    // The only url() references are to the page's own SVG definitions.
    Matcher urls = Pattern.compile("url\\(([^)]*)\\)").matcher(page);
    while (urls.find()) {
      assertThat(urls.group(1)).startsWith("#");
    }
  }

  @Test
  void namesAreEscapedEverywhere() {
    String page = HtmlReport.render(dependencies(), sla(), incidents());

    assertThat(page).doesNotContain(SCRIPT, "alert(1)</", AMPERSAND, "a&b", "<b>");
    assertThat(page)
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("a&amp;b&quot;")
        .contains("GET /&lt;b&gt;")
        .contains("data-service=\"a&amp;b&quot;\"");
  }

  @Test
  void theGraphHasOneNodePerServiceAndOnePathPerEdge() {
    String page = HtmlReport.render(dependencies(), null, null);

    assertThat(count(page, "<g class=\"node")).isEqualTo(4);
    assertThat(count(page, "<g class=\"node virtual\"")).isEqualTo(1);
    assertThat(count(page, "<path class=\"edge")).isEqualTo(4);
    assertThat(count(page, "<path class=\"edge virtual\"")).isEqualTo(1);
    assertThat(count(page, "<g class=\"edge-label\"")).isEqualTo(4);
    // 1,200 calls at 0.5% errors is green, 300 at 10% red.
    assertThat(page).contains("0.5% err").contains("10% err").contains("p95 12.3 ms");
    assertThat(page)
        .contains("stroke=\"" + ReportFormat.GREEN)
        .contains("stroke=\"" + ReportFormat.RED);
  }

  @Test
  void aLargeGraphDrawsEveryServiceOnce() {
    List<DependencyReport.Edge> edges = new ArrayList<>();
    for (int i = 1; i < 40; i++) {
      edges.add(edge("service-" + (i / 3), "service-" + i, 100L * i, i % 7));
    }
    edges.add(edge("service-39", "service-0", 5, 0));
    edges.add(virtual("service-12", "mysql", 50));
    String page = HtmlReport.render(new DependencyReport(FROM, TO, edges), null, null);

    assertThat(count(page, "<g class=\"node")).isEqualTo(41);
    assertThat(count(page, "<path class=\"edge")).isEqualTo(edges.size());
  }

  @Test
  void anEmptyGraphSaysSo() {
    String page = HtmlReport.render(new DependencyReport(FROM, TO, List.of()), null, null);

    assertThat(page).contains("No calls in this window.").doesNotContain("<svg");
  }

  @Test
  void aCallToItselfIsALoop() {
    String page =
        HtmlReport.render(
            new DependencyReport(FROM, TO, List.of(virtual("worker", "worker", 7))), null, null);

    assertThat(count(page, "<g class=\"node")).isEqualTo(1);
    assertThat(count(page, "<path class=\"edge")).isEqualTo(1);
    assertThat(page).contains("↻ 7 calls");
  }

  @Test
  void theHeaderSumsUp() {
    String page = HtmlReport.render(dependencies(), sla(), incidents());

    assertThat(page)
        .contains("<h1>tracelake report</h1>")
        .contains("2026-11-26 14:00 – 15:00 UTC")
        .contains("<div class=\"value\">3</div><div class=\"label\">services</div>")
        .contains("<div class=\"value\">3,920</div><div class=\"label\">calls</div>")
        .contains("<div class=\"value\">2/3</div><div class=\"label\">compliant services</div>")
        .contains("<div class=\"value\">2</div><div class=\"label\">incidents</div>")
        .contains("1 open")
        .contains("<div class=\"value\">4m 30s</div><div class=\"label\">MTTD</div>")
        .contains("<div class=\"value\">15m</div><div class=\"label\">MTTR</div>");
  }

  @Test
  void theSlaTableShowsTargetsAndBudgets() {
    String page = HtmlReport.render(null, sla(), null);

    assertThat(page)
        .contains("99.7%", "target 99.9%", "99.999%", "target ≤ 500 ms")
        .contains("overspent by 230%")
        .contains("50% left")
        .contains("style=\"width:0%;")
        .contains("style=\"width:50%;")
        .contains("<tr class=\"operation\">")
        .contains("✓ yes", "✗ no");
    assertThat(count(page, "<tr class=\"service\">")).isEqualTo(3);
    assertThat(page).doesNotContain("id=\"dependencies\"", "id=\"incidents\"");
  }

  @Test
  void theTimelineHasALanePerServiceAndABarPerIncident() {
    String page = HtmlReport.render(null, null, incidents());

    assertThat(count(page, "<g class=\"lane\"")).isEqualTo(3);
    assertThat(count(page, "<g class=\"incident errors\"")).isEqualTo(1);
    assertThat(count(page, "<g class=\"incident latency open\"")).isEqualTo(1);
    assertThat(count(page, "<path class=\"detected\"")).isEqualTo(2);
    assertThat(page).contains("✓ healthy").contains("url(#tl-hatch)");
    // The table: times within the window's day, TTD and TTR as durations, the open one marked.
    assertThat(page)
        .contains("<td>14:10</td><td>14:13</td><td>14:25</td>")
        .contains("<span class=\"badge open\">open</span>")
        .contains("All services");
  }

  @Test
  void aSectionOverAnotherWindowNamesIt() {
    SlaReport earlier = new SlaReport(FROM.minusSeconds(3_600), FROM, sla().services());

    assertThat(HtmlReport.render(dependencies(), earlier, null))
        .contains("Window: 2026-11-26 13:00 – 14:00 UTC.")
        .containsOnlyOnce("Window:");
  }

  @Test
  void noIncidentsAndNoReportsAreSaidPlainly() {
    IncidentReport quiet =
        new IncidentReport(
            FROM,
            TO,
            List.of(),
            null,
            null,
            List.of(new IncidentReport.ServiceIncidents("frontend", 0, null, null)));

    assertThat(HtmlReport.render(null, null, quiet))
        .contains("No incidents in this window.")
        .contains("<div class=\"value\">—</div><div class=\"label\">MTTD</div>");
    assertThat(HtmlReport.render(null, null, null)).contains("No reports to show.");
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }
}
