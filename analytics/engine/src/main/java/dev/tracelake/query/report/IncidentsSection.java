package dev.tracelake.query.report;

import static dev.tracelake.query.report.HtmlReport.ERRORS_COLOUR;
import static dev.tracelake.query.report.HtmlReport.LATENCY_COLOUR;
import static dev.tracelake.query.report.HtmlReport.otherWindow;
import static dev.tracelake.query.report.HtmlReport.swatch;
import static dev.tracelake.query.report.ReportFormat.count;
import static dev.tracelake.query.report.ReportFormat.duration;
import static dev.tracelake.query.report.ReportFormat.html;
import static dev.tracelake.query.report.ReportFormat.n;
import static dev.tracelake.query.report.ReportFormat.textWidth;
import static dev.tracelake.query.report.ReportFormat.truncate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/** The incidents section of {@link HtmlReport}: a timeline lane per service, then the tables. */
final class IncidentsSection {
  private static final double TIMELINE_WIDTH = 1140;
  private static final double AXIS_HEIGHT = 28;
  private static final double BAR_HEIGHT = 14;
  private static final double BAR_PITCH = 20;
  private static final double MIN_LANE = 38;
  private static final DateTimeFormatter TICK_CLOCK =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TICK_DAY_CLOCK =
      DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TICK_DAY =
      DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final long[] TICK_STEPS = {
    60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800
  };

  private IncidentsSection() {}

  static void write(StringBuilder out, IncidentReport report, Instant[] window) {
    out.append("<section id=\"incidents\">\n<h2>Incidents</h2>\n<p class=\"sub\">")
        .append("Breaches of an objective that a burn-rate alert caught: from onset to resolution,")
        .append(" the diamond where the alert fired.")
        .append(otherWindow(window, report.from(), report.to()))
        .append("</p>\n");
    List<String> lanes = new ArrayList<>();
    report.byService().forEach(service -> addOnce(lanes, service.service()));
    report.incidents().forEach(incident -> addOnce(lanes, incident.service()));
    if (lanes.isEmpty()) {
      out.append("<p class=\"empty\">No services with entry spans in this window.</p>\n")
          .append("</section>\n");
      return;
    }
    out.append("<div class=\"scroll\">\n");
    timeline(out, report, lanes);
    out.append("</div>\n<div class=\"legend\">")
        .append(swatch(ERRORS_COLOUR))
        .append("errors</span>")
        .append(swatch(LATENCY_COLOUR))
        .append("latency</span>")
        .append("<span class=\"item\"><span class=\"swatch open\"></span>still open</span>")
        .append("<span class=\"item\"><span class=\"diamond\">◆</span>detected</span>")
        .append("<span class=\"item\"><span class=\"swatch healthy\"></span>no incidents</span>")
        .append("</div>\n");
    if (report.incidents().isEmpty()) {
      out.append("<p class=\"empty good\">No incidents in this window.</p>\n</section>\n");
      return;
    }
    out.append("<h3>Incidents</h3>\n<div class=\"scroll\">\n<table class=\"incidents\">\n")
        .append("<thead><tr><th>Service</th><th>Kind</th><th>Onset</th><th>Detected</th>")
        .append("<th>Resolved</th><th class=\"num\">Time to detect</th>")
        .append("<th class=\"num\">Time to resolve</th></tr></thead>\n<tbody>\n");
    List<IncidentReport.Incident> sorted = new ArrayList<>(report.incidents());
    sorted.sort(
        Comparator.comparing(IncidentReport.Incident::onset)
            .thenComparing(IncidentReport.Incident::service));
    for (IncidentReport.Incident incident : sorted) {
      out.append("<tr><td class=\"who\">")
          .append(html(incident.service()))
          .append("</td><td><span class=\"kind ")
          .append(incident.kind().label())
          .append("\">")
          .append(incident.kind().label())
          .append("</span></td><td>")
          .append(ReportFormat.time(incident.onset(), report.from(), report.to()))
          .append("</td><td>")
          .append(ReportFormat.time(incident.detectedAt(), report.from(), report.to()))
          .append("</td><td>")
          .append(
              incident.resolvedAt() == null
                  ? "<span class=\"badge open\">open</span>"
                  : ReportFormat.time(incident.resolvedAt(), report.from(), report.to()))
          .append("</td><td class=\"num\">")
          .append(duration(incident.ttdSeconds()))
          .append("</td><td class=\"num\">")
          .append(
              incident.ttrSeconds() == null
                  ? "<span class=\"muted\">open</span>"
                  : duration(incident.ttrSeconds()))
          .append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n</div>\n");

    out.append("<h3>Time to detect and resolve</h3>\n<div class=\"scroll\">\n")
        .append("<table class=\"mttr\">\n<thead><tr><th>Service</th>")
        .append("<th class=\"num\">Incidents</th><th class=\"num\">MTTD</th>")
        .append("<th class=\"num\">MTTR</th></tr></thead>\n<tbody>\n");
    Map<String, Long> counts = new LinkedHashMap<>();
    report.incidents().forEach(incident -> counts.merge(incident.service(), 1L, Long::sum));
    Set<String> listed = new LinkedHashSet<>();
    for (IncidentReport.ServiceIncidents service : report.byService()) {
      if (service.incidents() > 0) {
        listed.add(service.service());
        mttrRow(
            out,
            html(service.service()),
            service.incidents(),
            service.mttdSeconds(),
            service.mttrSeconds(),
            "");
      }
    }
    for (Map.Entry<String, Long> service : counts.entrySet()) {
      if (!listed.contains(service.getKey())) {
        mttrRow(out, html(service.getKey()), service.getValue(), null, null, "");
      }
    }
    mttrRow(
        out,
        "All services",
        report.incidents().size(),
        report.mttdSeconds(),
        report.mttrSeconds(),
        " class=\"total\"");
    out.append("</tbody>\n</table>\n</div>\n");
    long healthy = report.byService().stream().filter(service -> service.incidents() == 0).count();
    if (healthy > 0) {
      out.append("<p class=\"sub\">")
          .append(count(healthy))
          .append(healthy == 1 ? " other service had" : " other services had")
          .append(" no incidents.</p>\n");
    }
    out.append("</section>\n");
  }

  private static void mttrRow(
      StringBuilder out, String name, long incidents, Double mttd, Double mttr, String rowClass) {
    out.append("<tr")
        .append(rowClass)
        .append("><td class=\"who\">")
        .append(name)
        .append("</td><td class=\"num\">")
        .append(count(incidents))
        .append("</td><td class=\"num\">")
        .append(duration(mttd))
        .append("</td><td class=\"num\">")
        .append(duration(mttr))
        .append("</td></tr>\n");
  }

  private static void addOnce(List<String> list, String value) {
    if (!list.contains(value)) {
      list.add(value);
    }
  }

  private static void timeline(StringBuilder out, IncidentReport report, List<String> lanes) {
    Map<String, List<IncidentReport.Incident>> byLane = new HashMap<>();
    for (IncidentReport.Incident incident : report.incidents()) {
      byLane.computeIfAbsent(incident.service(), name -> new ArrayList<>()).add(incident);
    }
    double labelWidth = 120;
    for (String lane : lanes) {
      labelWidth = Math.max(labelWidth, textWidth(truncate(lane, 28), 12.5, true) + 28);
    }
    labelWidth = Math.min(labelWidth, 280);
    double x0 = labelWidth;
    double x1 = TIMELINE_WIDTH - 16;
    long from = report.from().getEpochSecond();
    long span = Math.max(1, report.to().getEpochSecond() - from);
    DoubleUnaryOperator xOf = second -> x0 + (second - from) / span * (x1 - x0);

    // Each lane's incidents in rows, so that overlapping ones do not hide each other.
    List<List<List<IncidentReport.Incident>>> rows = new ArrayList<>();
    double height = AXIS_HEIGHT;
    for (String lane : lanes) {
      List<IncidentReport.Incident> incidents =
          new ArrayList<>(byLane.getOrDefault(lane, List.of()));
      incidents.sort(Comparator.comparing(IncidentReport.Incident::onset));
      List<List<IncidentReport.Incident>> laneRows = new ArrayList<>();
      List<Long> ends = new ArrayList<>();
      for (IncidentReport.Incident incident : incidents) {
        long start = incident.onset().getEpochSecond();
        long end = end(incident, report);
        int row = 0;
        while (row < ends.size() && ends.get(row) > start) {
          row++;
        }
        if (row == ends.size()) {
          laneRows.add(new ArrayList<>());
          ends.add(end);
        }
        laneRows.get(row).add(incident);
        ends.set(row, end);
      }
      rows.add(laneRows);
      height += laneHeight(laneRows.size());
    }
    height += 8;

    out.append("<svg class=\"timeline\" width=\"")
        .append(n(TIMELINE_WIDTH))
        .append("\" height=\"")
        .append(n(height))
        .append("\" viewBox=\"0 0 ")
        .append(n(TIMELINE_WIDTH))
        .append(' ')
        .append(n(height))
        .append("\" role=\"img\" aria-label=\"Incident timeline\">\n<defs>\n")
        .append("<pattern id=\"tl-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"")
        .append(" patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"6\" fill=\"#fff\"")
        .append(" fill-opacity=\"0.55\"/></pattern>\n");
    for (IncidentKind kind : IncidentKind.values()) {
      out.append("<linearGradient id=\"tl-fade-")
          .append(kind.label())
          .append("\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"")
          .append(colour(kind))
          .append("\"/><stop offset=\"1\" stop-color=\"")
          .append(colour(kind))
          .append("\" stop-opacity=\"0.12\"/></linearGradient>\n");
      out.append("<linearGradient id=\"tl-fade-in-")
          .append(kind.label())
          .append("\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"")
          .append(colour(kind))
          .append("\" stop-opacity=\"0.12\"/><stop offset=\"1\" stop-color=\"")
          .append(colour(kind))
          .append("\"/></linearGradient>\n");
    }
    out.append("</defs>\n");

    // Lanes: stripes, names, tracks.
    double y = AXIS_HEIGHT;
    for (int l = 0; l < lanes.size(); l++) {
      double laneHeight = laneHeight(rows.get(l).size());
      boolean healthy = rows.get(l).isEmpty();
      if (l % 2 == 0) {
        out.append("<rect class=\"stripe\" x=\"0\" y=\"")
            .append(n(y))
            .append("\" width=\"")
            .append(n(TIMELINE_WIDTH))
            .append("\" height=\"")
            .append(n(laneHeight))
            .append("\"/>\n");
      }
      long laneIncidents = rows.get(l).stream().mapToLong(List::size).sum();
      out.append("<g class=\"lane\" data-service=\"")
          .append(html(lanes.get(l)))
          .append("\"><title>")
          .append(html(lanes.get(l)))
          .append("</title><text class=\"lane-name\" x=\"12\" y=\"")
          .append(n(y + laneHeight / 2 - 2))
          .append("\">")
          .append(html(truncate(lanes.get(l), 28)))
          .append("</text><text class=\"lane-note")
          .append(healthy ? " good" : "")
          .append("\" x=\"12\" y=\"")
          .append(n(y + laneHeight / 2 + 12))
          .append("\">")
          .append(
              healthy
                  ? "✓ healthy"
                  : laneIncidents + (laneIncidents == 1 ? " incident" : " incidents"))
          .append("</text><line class=\"track")
          .append(healthy ? " healthy" : "")
          .append("\" x1=\"")
          .append(n(x0))
          .append("\" x2=\"")
          .append(n(x1))
          .append("\" y1=\"")
          .append(n(y + laneHeight / 2))
          .append("\" y2=\"")
          .append(n(y + laneHeight / 2))
          .append("\"/></g>\n");
      y += laneHeight;
    }

    // The time axis and its grid.
    DateTimeFormatter format = span <= 86_400 ? TICK_CLOCK : TICK_DAY_CLOCK;
    double tickWidth = textWidth(format.format(report.from()), 11, false);
    long most = Math.max(2, (long) ((x1 - x0) / (tickWidth + 36)));
    long step = TICK_STEPS[TICK_STEPS.length - 1];
    for (long candidate : TICK_STEPS) {
      if (span / candidate <= most) {
        step = candidate;
        break;
      }
    }
    if (step >= 86_400) {
      format = TICK_DAY;
    }
    out.append("<line class=\"axis\" x1=\"")
        .append(n(x0))
        .append("\" x2=\"")
        .append(n(x1))
        .append("\" y1=\"")
        .append(n(AXIS_HEIGHT - 0.5))
        .append("\" y2=\"")
        .append(n(AXIS_HEIGHT - 0.5))
        .append("\"/>\n");
    for (long tick = Math.floorDiv(from + step - 1, step) * step;
        tick <= from + span;
        tick += step) {
      double x = xOf.applyAsDouble(tick);
      out.append("<line class=\"grid\" x1=\"")
          .append(n(x))
          .append("\" x2=\"")
          .append(n(x))
          .append("\" y1=\"")
          .append(n(AXIS_HEIGHT - 4))
          .append("\" y2=\"")
          .append(n(height - 8))
          .append("\"/><text class=\"tick\" x=\"")
          .append(n(x))
          .append("\" y=\"")
          .append(n(AXIS_HEIGHT - 9))
          .append(
              x > x1 - tickWidth / 2
                  ? "\" text-anchor=\"end"
                  : x < x0 + tickWidth / 2 ? "\" text-anchor=\"start" : "\" text-anchor=\"middle")
          .append("\">")
          .append(format.format(Instant.ofEpochSecond(tick)))
          .append("</text>\n");
    }

    // The incidents.
    y = AXIS_HEIGHT;
    for (int l = 0; l < lanes.size(); l++) {
      List<List<IncidentReport.Incident>> laneRows = rows.get(l);
      double laneHeight = laneHeight(laneRows.size());
      double firstBar = y + (laneHeight - laneRows.size() * BAR_PITCH + BAR_PITCH - BAR_HEIGHT) / 2;
      for (int r = 0; r < laneRows.size(); r++) {
        for (IncidentReport.Incident incident : laneRows.get(r)) {
          bar(out, incident, report, xOf, firstBar + r * BAR_PITCH, x0, x1);
        }
      }
      y += laneHeight;
    }
    out.append("</svg>\n");
  }

  private static double laneHeight(int rows) {
    return Math.max(MIN_LANE, rows * BAR_PITCH + 18);
  }

  /** Where an incident's bar ends, in epoch seconds: its resolution, or the window's end. */
  private static long end(IncidentReport.Incident incident, IncidentReport report) {
    Instant end = incident.resolvedAt() == null ? report.to() : incident.resolvedAt();
    return Math.max(end.getEpochSecond(), incident.onset().getEpochSecond());
  }

  private static String colour(IncidentKind kind) {
    return kind == IncidentKind.ERRORS ? ERRORS_COLOUR : LATENCY_COLOUR;
  }

  private static void bar(
      StringBuilder out,
      IncidentReport.Incident incident,
      IncidentReport report,
      DoubleUnaryOperator xOf,
      double top,
      double x0,
      double x1) {
    boolean open = incident.resolvedAt() == null;
    double start = clamp(xOf.applyAsDouble(incident.onset().getEpochSecond()), x0, x1);
    double end = clamp(xOf.applyAsDouble(end(incident, report)), x0, x1);
    end = Math.max(end, Math.min(start + 4, x1));
    start = Math.min(start, end - 4);
    String colour = colour(incident.kind());
    String title =
        incident.service()
            + ": "
            + incident.kind().label()
            + "\nonset "
            + ReportFormat.time(incident.onset(), report.from(), report.to())
            + ", detected "
            + ReportFormat.time(incident.detectedAt(), report.from(), report.to())
            + " (after "
            + duration(incident.ttdSeconds())
            + ")\n"
            + (open
                ? "still open"
                : "resolved "
                    + ReportFormat.time(incident.resolvedAt(), report.from(), report.to())
                    + " (after "
                    + duration(
                        incident.ttrSeconds() == null ? null : incident.ttrSeconds().doubleValue())
                    + ")");
    out.append("<g class=\"incident ")
        .append(incident.kind().label())
        .append(open ? " open" : "")
        .append("\"><title>")
        .append(html(title))
        .append("</title>");
    double width = end - start;
    if (incident.onset().isBefore(report.from())) {
      // Began before the window: the bar fades in from its left edge.
      double fade = Math.min(40, width * 0.4);
      rect(out, start, top, fade, "url(#tl-fade-in-" + incident.kind().label() + ")", null);
      width -= fade;
      start += fade;
    }
    if (open) {
      double fade = Math.min(56, width * 0.6);
      rect(out, start, top, width - fade, colour, null);
      rect(out, end - fade, top, fade, "url(#tl-fade-" + incident.kind().label() + ")", null);
      rect(out, end - fade, top, fade, "url(#tl-hatch)", null);
    } else {
      rect(out, start, top, width, colour, "3");
    }
    double detectedSecond = incident.detectedAt().getEpochSecond();
    boolean detectedInside =
        detectedSecond >= report.from().getEpochSecond()
            && detectedSecond <= report.to().getEpochSecond();
    double detected = clamp(xOf.applyAsDouble(detectedSecond), x0, x1);
    double textStart = detectedInside && detected - start < 60 ? detected + 8 : start + 6;
    double textEnd = open ? end - Math.min(56, width * 0.6) : end;
    if (textEnd - textStart > textWidth(incident.kind().label(), 10.5, true) + 6) {
      out.append("<text class=\"bar-text\" x=\"")
          .append(n(textStart))
          .append("\" y=\"")
          .append(n(top + BAR_HEIGHT - 3.5))
          .append("\">")
          .append(incident.kind().label())
          .append("</text>");
    }
    if (!detectedInside) {
      out.append("</g>\n");
      return;
    }
    double cy = top + BAR_HEIGHT / 2;
    out.append("<path class=\"detected\" d=\"M")
        .append(n(detected))
        .append(',')
        .append(n(cy - 7))
        .append(" L")
        .append(n(detected + 5))
        .append(',')
        .append(n(cy))
        .append(" L")
        .append(n(detected))
        .append(',')
        .append(n(cy + 7))
        .append(" L")
        .append(n(detected - 5))
        .append(',')
        .append(n(cy))
        .append(" Z\"/></g>\n");
  }

  private static void rect(
      StringBuilder out, double x, double y, double width, String fill, String rx) {
    if (width <= 0) {
      return;
    }
    out.append("<rect x=\"")
        .append(n(x))
        .append("\" y=\"")
        .append(n(y))
        .append("\" width=\"")
        .append(n(width))
        .append("\" height=\"")
        .append(n(BAR_HEIGHT))
        .append('"')
        .append(rx == null ? "" : " rx=\"" + rx + '"')
        .append(" fill=\"")
        .append(fill)
        .append("\"/>");
  }

  private static double clamp(double value, double low, double high) {
    return Math.max(low, Math.min(high, value));
  }
}
