package dev.tracelake.query.report;

import static dev.tracelake.query.report.HtmlReport.otherWindow;
import static dev.tracelake.query.report.ReportFormat.count;
import static dev.tracelake.query.report.ReportFormat.html;
import static dev.tracelake.query.report.ReportFormat.ms;
import static dev.tracelake.query.report.ReportFormat.n;
import static dev.tracelake.query.report.ReportFormat.percent;

import java.time.Instant;

/** The SLA section of {@link HtmlReport}: figures against objectives, error budget bars. */
final class SlaSection {

  private SlaSection() {}

  static void write(StringBuilder out, SlaReport report, Instant[] window) {
    out.append("<section id=\"sla\">\n<h2>SLA / SLO compliance</h2>\n<p class=\"sub\">")
        .append("Entry spans (SERVER and CONSUMER) per service, and per operation with objectives")
        .append(" of its own, against the availability and p95 latency objectives.")
        .append(otherWindow(window, report.from(), report.to()))
        .append("</p>\n");
    if (report.services().isEmpty()) {
      out.append("<p class=\"empty\">No entry spans in this window.</p>\n</section>\n");
      return;
    }
    out.append("<div class=\"scroll\">\n<table class=\"sla\">\n<thead><tr>")
        .append("<th>Service</th><th class=\"num\">Requests</th><th class=\"num\">Errors</th>")
        .append("<th class=\"num\">Availability</th><th class=\"num\">p50</th>")
        .append("<th class=\"num\">p95</th><th class=\"num\">p99</th><th>Compliant</th>")
        .append("<th>Error budget left</th><th class=\"num\">Burn rate</th>")
        .append("</tr></thead>\n<tbody>\n");
    for (SlaReport.ServiceLevel level : report.services()) {
      boolean operation = level.operation() != null;
      boolean available = level.availability() >= level.availabilityTarget();
      boolean fast = level.p95Ms() <= level.latencyTargetMs();
      out.append(operation ? "<tr class=\"operation\">" : "<tr class=\"service\">")
          .append("<td class=\"who\">")
          .append(
              operation
                  ? "<span class=\"op\">↳ " + html(level.operation()) + "</span>"
                  : html(level.service()))
          .append("</td><td class=\"num\">")
          .append(count(level.total()))
          .append("</td><td class=\"num\">")
          .append(count(level.errors()))
          .append("</td><td class=\"num")
          .append(available ? "" : " bad")
          .append("\">")
          .append(percent(level.availability()))
          .append("<div class=\"target\">target ")
          .append(percent(level.availabilityTarget()))
          .append("</div></td><td class=\"num\">")
          .append(ms(level.p50Ms()))
          .append("</td><td class=\"num")
          .append(fast ? "" : " bad")
          .append("\">")
          .append(ms(level.p95Ms()))
          .append("<div class=\"target\">target ≤ ")
          .append(ms(level.latencyTargetMs()))
          .append("</div></td><td class=\"num\">")
          .append(ms(level.p99Ms()))
          .append("</td><td>")
          .append(
              level.compliant()
                  ? "<span class=\"badge good\">✓ yes</span>"
                  : "<span class=\"badge bad\">✗ no</span>")
          .append("</td><td>")
          .append(budget(level.errorBudgetRemaining()))
          .append("</td><td class=\"num")
          .append(level.burnRate() > 1 ? " bad" : "")
          .append("\">")
          .append(ReportFormat.times(level.burnRate()))
          .append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n</div>\n</section>\n");
  }

  /** The error budget left as a bar, clamped to 0–100%, and as text. */
  private static String budget(double remaining) {
    if (!Double.isFinite(remaining)) {
      return "—";
    }
    double fill = Math.max(0, Math.min(1, remaining));
    String colour =
        remaining >= 0.5
            ? ReportFormat.GREEN
            : remaining > 0 ? ReportFormat.AMBER : ReportFormat.RED;
    String text =
        remaining >= 0 ? percent(remaining) + " left" : "overspent by " + percent(-remaining);
    return "<div class=\"budget\"><div class=\"bar"
        + (remaining < 0 ? " over" : "")
        + "\"><div class=\"fill\" style=\"width:"
        + n(fill * 100)
        + "%;background:"
        + colour
        + "\"></div></div><span class=\""
        + (remaining < 0 ? "bad" : "")
        + "\">"
        + html(text)
        + "</span></div>";
  }
}
