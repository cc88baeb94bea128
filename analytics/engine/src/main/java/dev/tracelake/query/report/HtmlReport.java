package dev.tracelake.query.report;

import static dev.tracelake.query.report.ReportFormat.count;
import static dev.tracelake.query.report.ReportFormat.duration;
import static dev.tracelake.query.report.ReportFormat.html;
import static dev.tracelake.query.report.ReportFormat.ms;
import static dev.tracelake.query.report.ReportFormat.percent;
import static dev.tracelake.query.report.ReportFormat.textWidth;
import static dev.tracelake.query.report.ReportFormat.truncate;

import java.time.Duration;
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

/**
 * The reports as one self-contained HTML page for people: inline CSS and inline SVG only, no
 * scripts, fonts, images or links to fetch, so the file can be mailed, archived or opened offline.
 *
 * <p>The page has, for whichever reports it is given:
 *
 * <ul>
 *   <li>a header with the window (UTC) and headline figures: services, calls, compliant services,
 *       incidents, MTTD and MTTR;
 *   <li>the dependency graph, drawn left to right by {@link GraphLayout}: services as boxes (with
 *       their availability and p95 when the SLA report is there), virtual peers as dashed
 *       cylinders, edges as curves whose width grows with the calls (log scale) and whose colour
 *       gives the error rate: green below 1%, amber below 5%, red from 5% on; each edge labelled
 *       with its calls, error rate and p95;
 *   <li>the SLA table: per service and, indented, per operation with its own objectives, the
 *       figures against their targets, compliance, the error budget left as a bar (an overspent
 *       budget shows an empty bar and says by how much) and the burn rate;
 *   <li>the incident timeline: a lane per service over the window, each incident a bar from onset
 *       to resolution coloured by kind (open ones fade out at the window's end), a diamond where it
 *       was detected; then the incidents and MTTD/MTTR per service as tables.
 * </ul>
 *
 * <p>All report text (service and operation names are whatever the spans said) is escaped.
 */
public final class HtmlReport {
  private static final String FONT_STACK =
      "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans',"
          + " 'Liberation Sans', sans-serif";

  private static final String ERRORS_COLOUR = "#d64545";
  private static final String LATENCY_COLOUR = "#7c4dde";
  private static final String MUTED = "#6b7280";

  private static final double NAME_SIZE = 13;
  private static final double SMALL_SIZE = 11;
  private static final int MAX_NAME = 40;
  private static final double ARROW = 8;

  /** A graph up to this wide is scaled down to fit the page; a wider one scrolls. */
  private static final double FIT_WIDTH = 1600;

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

  private HtmlReport() {}

  /**
   * The page for the given reports; any of them may be null, and its parts are left out. The
   * header's window is that of the first report given; a section whose report covers another window
   * names it.
   */
  public static String render(
      DependencyReport dependencies, SlaReport sla, IncidentReport incidents) {
    StringBuilder out = new StringBuilder(64 * 1024);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"color-scheme\" content=\"light\">\n")
        .append("<title>tracelake report</title>\n<style>\n")
        .append(css())
        .append("</style>\n</head>\n<body>\n<main>\n");
    header(out, dependencies, sla, incidents);
    Instant[] window = window(dependencies, sla, incidents);
    if (dependencies != null) {
      dependencies(out, dependencies, sla, window);
    }
    if (sla != null) {
      sla(out, sla, window);
    }
    if (incidents != null) {
      incidents(out, incidents, window);
    }
    if (dependencies == null && sla == null && incidents == null) {
      out.append("<section><p class=\"empty\">No reports to show.</p></section>\n");
    }
    out.append("<footer>Generated by tracelake. Times are UTC.</footer>\n")
        .append("</main>\n</body>\n</html>\n");
    return out.toString();
  }

  // ---------------------------------------------------------------- header

  private static void header(
      StringBuilder out, DependencyReport dependencies, SlaReport sla, IncidentReport incidents) {
    out.append("<header>\n<h1>tracelake report</h1>\n");
    Instant[] window = window(dependencies, sla, incidents);
    if (window != null) {
      out.append("<p class=\"window\">")
          .append(html(ReportFormat.window(window[0], window[1])))
          .append(" <span class=\"muted\">(")
          .append(duration(Duration.between(window[0], window[1]).toSeconds()))
          .append(")</span></p>\n");
    }
    List<String> cards = new ArrayList<>();
    Set<String> services = services(dependencies, sla, incidents);
    if (window != null) {
      cards.add(card(count(services.size()), "services", null, null));
    }
    if (dependencies != null) {
      long calls = dependencies.edges().stream().mapToLong(DependencyReport.Edge::calls).sum();
      cards.add(card(count(calls), "calls", null, null));
    }
    if (sla != null) {
      List<SlaReport.ServiceLevel> levels =
          sla.services().stream().filter(level -> level.operation() == null).toList();
      long compliant = levels.stream().filter(SlaReport.ServiceLevel::compliant).count();
      cards.add(
          card(
              compliant + "/" + levels.size(),
              "compliant services",
              compliant == levels.size() ? "good" : "bad",
              null));
    }
    if (incidents != null) {
      long open = incidents.incidents().stream().filter(i -> i.resolvedAt() == null).count();
      cards.add(
          card(
              count(incidents.incidents().size()),
              "incidents",
              incidents.incidents().isEmpty() ? "good" : open > 0 ? "bad" : null,
              open > 0 ? open + " open" : null));
      cards.add(card(duration(incidents.mttdSeconds()), "MTTD", null, "mean time to detect"));
      cards.add(card(duration(incidents.mttrSeconds()), "MTTR", null, "mean time to resolve"));
    }
    if (!cards.isEmpty()) {
      out.append("<div class=\"cards\">\n");
      cards.forEach(out::append);
      out.append("</div>\n");
    }
    out.append("</header>\n");
  }

  private static String card(String value, String label, String tone, String note) {
    return "<div class=\"card"
        + (tone == null ? "" : " " + tone)
        + "\"><div class=\"value\">"
        + html(value)
        + "</div><div class=\"label\">"
        + html(label)
        + "</div>"
        + (note == null ? "" : "<div class=\"note\">" + html(note) + "</div>")
        + "</div>\n";
  }

  private static Instant[] window(
      DependencyReport dependencies, SlaReport sla, IncidentReport incidents) {
    if (dependencies != null) {
      return new Instant[] {dependencies.from(), dependencies.to()};
    }
    if (sla != null) {
      return new Instant[] {sla.from(), sla.to()};
    }
    return incidents == null ? null : new Instant[] {incidents.from(), incidents.to()};
  }

  /** The services any report names; virtual peers are not services. */
  private static Set<String> services(
      DependencyReport dependencies, SlaReport sla, IncidentReport incidents) {
    Set<String> services = new LinkedHashSet<>();
    if (dependencies != null) {
      DependencyGraphText.peers(dependencies).stream()
          .filter(peer -> !peer.virtual())
          .forEach(peer -> services.add(peer.name()));
    }
    if (sla != null) {
      sla.services().forEach(level -> services.add(level.service()));
    }
    if (incidents != null) {
      incidents.byService().forEach(service -> services.add(service.service()));
      incidents.incidents().forEach(incident -> services.add(incident.service()));
    }
    return services;
  }

  /** A note naming a section's window when it is not the header's. */
  private static String otherWindow(Instant[] header, Instant from, Instant to) {
    if (header == null || (header[0].equals(from) && header[1].equals(to))) {
      return "";
    }
    return " Window: " + html(ReportFormat.window(from, to)) + ".";
  }

  // ---------------------------------------------------------------- dependency graph

  private static void dependencies(
      StringBuilder out, DependencyReport report, SlaReport sla, Instant[] window) {
    List<DependencyGraphText.Peer> peers = DependencyGraphText.peers(report);
    long virtual = peers.stream().filter(DependencyGraphText.Peer::virtual).count();
    out.append("<section id=\"dependencies\">\n<h2>Service dependencies</h2>\n")
        .append("<p class=\"sub\">")
        .append(count(peers.size() - virtual))
        .append(peers.size() - virtual == 1 ? " service, " : " services, ")
        .append(count(virtual))
        .append(virtual == 1 ? " virtual peer, " : " virtual peers, ")
        .append(count(report.edges().size()))
        .append(report.edges().size() == 1 ? " edge." : " edges.")
        .append(otherWindow(window, report.from(), report.to()))
        .append("</p>\n");
    if (report.edges().isEmpty()) {
      out.append("<p class=\"empty\">No calls in this window.</p>\n</section>\n");
      return;
    }
    out.append("<div class=\"scroll\">\n");
    graph(out, report, peers, sla);
    out.append("</div>\n<div class=\"legend\">")
        .append(swatch(ReportFormat.GREEN))
        .append("errors &lt; 1%</span>")
        .append(swatch(ReportFormat.AMBER))
        .append("1–5%</span>")
        .append(swatch(ReportFormat.RED))
        .append("≥ 5%</span>")
        .append("<span class=\"item\">line width: calls (log scale)</span>")
        .append("<span class=\"item\"><span class=\"dashed\"></span>virtual peer: no spans of its")
        .append(" own (a database, an external API)</span>")
        .append("<span class=\"item\">curves running right to left close a cycle</span>")
        .append("</div>\n</section>\n");
  }

  /** Opens a legend item with a colour swatch; the caller adds the text and closes it. */
  private static String swatch(String colour) {
    return "<span class=\"item\"><span class=\"swatch\" style=\"background:"
        + colour
        + "\"></span>";
  }

  /** Drawing data for one node of the graph. */
  private record Box(String name, boolean virtual, List<String> lines, String lineColour) {}

  private static void graph(
      StringBuilder out,
      DependencyReport report,
      List<DependencyGraphText.Peer> peers,
      SlaReport sla) {
    Map<String, SlaReport.ServiceLevel> levels = new HashMap<>();
    if (sla != null) {
      sla.services().stream()
          .filter(level -> level.operation() == null)
          .forEach(level -> levels.putIfAbsent(level.service(), level));
    }
    Map<String, List<DependencyReport.Edge>> loops = new HashMap<>();
    for (DependencyReport.Edge edge : report.edges()) {
      if (edge.caller().equals(edge.callee())) {
        loops.computeIfAbsent(edge.caller(), name -> new ArrayList<>()).add(edge);
      }
    }
    Map<String, Box> boxes = new LinkedHashMap<>();
    List<GraphLayout.Node> nodes = new ArrayList<>();
    for (DependencyGraphText.Peer peer : peers) {
      List<String> lines = new ArrayList<>();
      String lineColour = MUTED;
      SlaReport.ServiceLevel level = levels.get(peer.name());
      if (peer.virtual()) {
        lines.add("virtual peer");
      } else if (level != null) {
        lines.add(percent(level.availability()) + " · p95 " + ms(level.p95Ms()));
        lineColour = level.compliant() ? ReportFormat.GREEN : ReportFormat.RED;
      }
      for (DependencyReport.Edge loop : loops.getOrDefault(peer.name(), List.of())) {
        lines.add("↻ " + count(loop.calls()) + " calls · " + percent(loop.errorRate()));
      }
      Box box = new Box(peer.name(), peer.virtual(), lines, lineColour);
      boxes.put(peer.name(), box);
      double width = textWidth(truncate(peer.name(), MAX_NAME), NAME_SIZE, true);
      for (String line : lines) {
        width = Math.max(width, textWidth(line, SMALL_SIZE, false));
      }
      double height = 34 + 14 * lines.size() + (peer.virtual() ? 10 : 0);
      nodes.add(new GraphLayout.Node(peer.name(), Math.max(96, width + 28), height));
    }
    List<GraphLayout.Link> links = new ArrayList<>();
    for (DependencyReport.Edge edge : report.edges()) {
      double width =
          Math.max(
              textWidth(edgeLine1(edge), SMALL_SIZE, false),
              textWidth(edgeLine2(edge), SMALL_SIZE, false));
      links.add(new GraphLayout.Link(edge.caller(), edge.callee(), width + 16, 36));
    }
    GraphLayout.Layout layout = GraphLayout.layout(nodes, links);
    double width = layout.width() + 24; // room for loops on the last column
    long maxCalls = report.edges().stream().mapToLong(DependencyReport.Edge::calls).max().orElse(1);

    out.append("<svg class=\"graph")
        .append(width <= FIT_WIDTH ? " fit" : "")
        .append("\" width=\"")
        .append(n(width))
        .append("\" height=\"")
        .append(n(layout.height()))
        .append("\" viewBox=\"0 0 ")
        .append(n(width))
        .append(' ')
        .append(n(layout.height()))
        .append("\" role=\"img\" aria-label=\"Service dependency graph\">\n<defs>\n");
    for (String colour : List.of(ReportFormat.GREEN, ReportFormat.AMBER, ReportFormat.RED)) {
      out.append("<marker id=\"arrow-")
          .append(colour.substring(1))
          .append("\" viewBox=\"0 0 10 10\" refX=\"0\" refY=\"5\" markerWidth=\"")
          .append(n(ARROW + 1))
          .append("\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">")
          .append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"")
          .append(colour)
          .append("\"/></marker>\n");
    }
    out.append("</defs>\n");

    Map<String, GraphLayout.PlacedNode> placed = new HashMap<>();
    layout.nodes().forEach(node -> placed.put(node.id(), node));
    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < report.edges().size(); i++) {
      DependencyReport.Edge edge = report.edges().get(i);
      GraphLayout.Route route = layout.routes().get(i);
      String colour = ReportFormat.edgeColour(edge.errorRate());
      double stroke = 1.5 + 3 * Math.log1p(edge.calls()) / Math.log1p(Math.max(maxCalls, 1));
      String d =
          route.points().isEmpty()
              ? loopPath(placed.get(edge.caller()).box())
              : edgePath(route.points());
      out.append("<path class=\"edge")
          .append(edge.virtual() ? " virtual" : "")
          .append("\" d=\"")
          .append(d)
          .append("\" stroke=\"")
          .append(colour)
          .append("\" stroke-width=\"")
          .append(n(stroke))
          .append("\" marker-end=\"url(#arrow-")
          .append(colour.substring(1))
          .append(")\"><title>")
          .append(html(edgeTitle(edge)))
          .append("</title></path>\n");
      if (route.label() != null) {
        edgeLabel(labels, edge, route.label(), colour);
      }
    }
    out.append(labels);
    for (GraphLayout.PlacedNode node : layout.nodes()) {
      node(out, boxes.get(node.id()), node.box(), levels.get(node.id()));
    }
    out.append("</svg>\n");
  }

  private static String edgeLine1(DependencyReport.Edge edge) {
    return count(edge.calls()) + " calls · " + percent(edge.errorRate()) + " err";
  }

  private static String edgeLine2(DependencyReport.Edge edge) {
    return "p95 " + ms(edge.p95Ms());
  }

  private static String edgeTitle(DependencyReport.Edge edge) {
    return edge.caller()
        + " → "
        + edge.callee()
        + (edge.virtual() ? " (virtual peer)" : "")
        + "\n"
        + count(edge.calls())
        + " calls, "
        + count(edge.errors())
        + " errors ("
        + percent(edge.errorRate())
        + ")\np50 "
        + ms(edge.p50Ms())
        + " · p95 "
        + ms(edge.p95Ms())
        + " · p99 "
        + ms(edge.p99Ms());
  }

  /**
   * A route as one path: straight within columns, a cubic Bézier curve leaving and arriving
   * horizontally across each gap; the end pulled back by the arrowhead's length.
   */
  private static String edgePath(List<GraphLayout.Point> points) {
    List<GraphLayout.Point> p = new ArrayList<>(points);
    GraphLayout.Point last = p.get(p.size() - 1);
    GraphLayout.Point before = p.get(p.size() - 2);
    double direction = Math.signum(last.x() - before.x());
    if (direction == 0) {
      direction = Math.signum(last.x() - p.get(p.size() - 3).x());
    }
    GraphLayout.Point end = new GraphLayout.Point(last.x() - direction * ARROW, last.y());
    p.set(p.size() - 1, end);
    if ((before.x() - end.x()) * direction > 0) {
      p.set(p.size() - 2, end); // the last straight is shorter than the arrowhead: end the curve
    }
    StringBuilder d =
        new StringBuilder("M").append(n(p.get(0).x())).append(',').append(n(p.get(0).y()));
    GraphLayout.Point at = p.get(0);
    for (int i = 1; i < p.size(); i++) {
      GraphLayout.Point next = p.get(i);
      if (i % 2 == 1) {
        if (Math.abs(next.x() - at.x()) > 0.05 || Math.abs(next.y() - at.y()) > 0.05) {
          d.append(" L").append(n(next.x())).append(',').append(n(next.y()));
        }
      } else {
        double k = (next.x() - at.x()) / 2;
        d.append(" C")
            .append(n(at.x() + k))
            .append(',')
            .append(n(at.y()))
            .append(' ')
            .append(n(next.x() - k))
            .append(',')
            .append(n(next.y()))
            .append(' ')
            .append(n(next.x()))
            .append(',')
            .append(n(next.y()));
      }
      at = next;
    }
    return d.toString();
  }

  /** A call from a node to itself: a loop out of its right side and back. */
  private static String loopPath(GraphLayout.Rect box) {
    double x = box.right();
    double y = box.centerY();
    return "M"
        + n(x)
        + ','
        + n(y - 8)
        + " C"
        + n(x + 30)
        + ','
        + n(y - 26)
        + ' '
        + n(x + 30)
        + ','
        + n(y + 26)
        + ' '
        + n(x + ARROW)
        + ','
        + n(y + 9);
  }

  private static void edgeLabel(
      StringBuilder out, DependencyReport.Edge edge, GraphLayout.Rect box, String colour) {
    double cx = box.x() + box.width() / 2;
    String errorColour = edge.errorRate() >= ReportFormat.EDGE_WARN_ERROR_RATE ? colour : MUTED;
    out.append("<g class=\"edge-label\"><rect x=\"")
        .append(n(box.x()))
        .append("\" y=\"")
        .append(n(box.y()))
        .append("\" width=\"")
        .append(n(box.width()))
        .append("\" height=\"")
        .append(n(box.height()))
        .append("\" rx=\"7\" stroke=\"")
        .append(colour)
        .append("\"/><text x=\"")
        .append(n(cx))
        .append("\" y=\"")
        .append(n(box.y() + 15))
        .append("\"><tspan>")
        .append(count(edge.calls()))
        .append(" calls</tspan><tspan fill=\"")
        .append(errorColour)
        .append("\"> · ")
        .append(percent(edge.errorRate()))
        .append(" err</tspan></text><text x=\"")
        .append(n(cx))
        .append("\" y=\"")
        .append(n(box.y() + 29))
        .append("\" fill=\"")
        .append(MUTED)
        .append("\">")
        .append(html(edgeLine2(edge)))
        .append("</text></g>\n");
  }

  private static void node(
      StringBuilder out, Box box, GraphLayout.Rect at, SlaReport.ServiceLevel level) {
    double cx = at.x() + at.width() / 2;
    String stroke = level != null && !level.compliant() ? ReportFormat.RED : "#9aa3b2";
    out.append("<g class=\"node")
        .append(box.virtual() ? " virtual" : "")
        .append("\" data-service=\"")
        .append(html(box.name()))
        .append("\"><title>")
        .append(html(box.name()))
        .append(box.virtual() ? " (virtual peer: reports no spans of its own)" : "")
        .append("</title>");
    double top = at.y();
    if (box.virtual()) {
      double rx = at.width() / 2;
      double ry = 6;
      double bottom = at.bottom() - ry;
      // A cylinder: the top ellipse's back arc, the sides and the bottom arc, then its front arc.
      out.append(
          String.format(
              "<path class=\"cylinder\" d=\"M%1$s,%2$s A%3$s,%4$s 0 0 1 %5$s,%2$s V%6$s"
                  + " A%3$s,%4$s 0 0 1 %1$s,%6$s Z M%1$s,%2$s A%3$s,%4$s 0 0 0 %5$s,%2$s\"/>",
              n(at.x()), n(top + ry), n(rx), n(ry), n(at.right()), n(bottom)));
      top += 2 * ry - 2;
    } else {
      out.append("<rect x=\"")
          .append(n(at.x()))
          .append("\" y=\"")
          .append(n(at.y()))
          .append("\" width=\"")
          .append(n(at.width()))
          .append("\" height=\"")
          .append(n(at.height()))
          .append("\" rx=\"8\" stroke=\"")
          .append(stroke)
          .append("\"/>");
    }
    out.append("<text class=\"name\" x=\"")
        .append(n(cx))
        .append("\" y=\"")
        .append(n(top + 21))
        .append("\">")
        .append(html(truncate(box.name(), MAX_NAME)))
        .append("</text>");
    double y = top + 21;
    for (int i = 0; i < box.lines().size(); i++) {
      y += 15;
      out.append("<text class=\"line\" x=\"")
          .append(n(cx))
          .append("\" y=\"")
          .append(n(y))
          .append("\" fill=\"")
          .append(i == 0 ? box.lineColour() : MUTED)
          .append("\">")
          .append(html(box.lines().get(i)))
          .append("</text>");
    }
    out.append("</g>\n");
  }

  // ---------------------------------------------------------------- SLA

  private static void sla(StringBuilder out, SlaReport report, Instant[] window) {
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

  // ---------------------------------------------------------------- incidents

  private static void incidents(StringBuilder out, IncidentReport report, Instant[] window) {
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

  // ---------------------------------------------------------------- bits

  /** An SVG coordinate: at most one decimal. */
  private static String n(double value) {
    long tenths = Math.round(value * 10);
    return tenths % 10 == 0
        ? Long.toString(tenths / 10)
        : (tenths < 0 && tenths > -10 ? "-" : "") + (tenths / 10) + "." + Math.abs(tenths % 10);
  }

  private static String css() {
    return """
        :root { --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f4f5f7;
          --good: #1f7a45; --warn: #a86200; --bad: #c23030; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg);
          font: 14px/1.45 FONTS; -webkit-font-smoothing: antialiased; }
        main { max-width: 1240px; margin: 0 auto; padding: 28px 24px 40px; }
        h1 { margin: 0; font-size: 26px; letter-spacing: -0.01em; }
        h2 { margin: 0 0 2px; font-size: 18px; }
        h3 { margin: 22px 0 6px; font-size: 14px; }
        .window { margin: 4px 0 18px; font-size: 15px; }
        .muted { color: var(--muted); }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr));
          gap: 12px; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 10px;
          padding: 12px 16px; }
        .card .value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
        .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase;
          letter-spacing: .05em; }
        .card .note { color: var(--muted); font-size: 12px; }
        .card.good .value { color: var(--good); }
        .card.bad .value { color: var(--bad); }
        section { background: #fff; border: 1px solid var(--line); border-radius: 12px;
          padding: 20px 24px; margin-top: 20px; }
        .sub { color: var(--muted); margin: 0 0 14px; font-size: 13px; }
        .empty { color: var(--muted); font-size: 15px; padding: 28px 0; text-align: center;
          margin: 0; }
        .empty.good { color: var(--good); padding: 12px 0 0; }
        .scroll { overflow-x: auto; }
        svg { display: block; font-family: FONTS; }
        svg.timeline, svg.fit { max-width: 100%; height: auto; }
        .legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin-top: 10px;
          font-size: 12.5px; color: var(--muted); }
        .legend .item { display: inline-flex; align-items: center; gap: 6px; }
        .swatch { display: inline-block; width: 18px; height: 10px; border-radius: 3px; }
        .swatch.open { background: repeating-linear-gradient(45deg, #6b7280 0 3px,
          #d1d5db 3px 6px); }
        .swatch.healthy { background: #bfe3cc; }
        .dashed { display: inline-block; width: 18px; height: 12px; border: 1.5px dashed #8a94a6;
          border-radius: 6px / 3px; background: #eef1f5; }
        .diamond { color: #111827; font-size: 12px; }
        .edge { fill: none; stroke-opacity: .8; }
        .edge.virtual { stroke-dasharray: 6 4; }
        .edge-label rect { fill: #fff; stroke-opacity: .55; }
        .edge-label text { font-size: 11px; text-anchor: middle; fill: var(--fg); }
        .node rect { fill: #fff; stroke-width: 1.5; }
        .node .cylinder { fill: #eef1f5; stroke: #8a94a6; stroke-width: 1.5;
          stroke-dasharray: 5 3; }
        .node text { text-anchor: middle; }
        .node .name { font-size: 13px; font-weight: 650; fill: var(--fg); }
        .node .line { font-size: 11px; }
        .node.virtual .name { fill: #4b5563; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        th { text-align: left; font-size: 11.5px; text-transform: uppercase; letter-spacing: .05em;
          color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line);
          padding: 8px 9px; white-space: nowrap; }
        td { padding: 7px 9px; border-bottom: 1px solid #eff0f2; vertical-align: top; }
        tr:last-child td { border-bottom: none; }
        .num { text-align: right; white-space: nowrap; }
        td.bad, span.bad { color: var(--bad); font-weight: 600; }
        .target { font-size: 11.5px; color: var(--muted); font-weight: 400; }
        tr.service td.who { font-weight: 600; }
        tr.operation td { background: #fafbfc; }
        tr.operation td.who { padding-left: 28px; color: #4b5563; }
        .op { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono',
          monospace; font-size: 12.5px; }
        .who { overflow-wrap: break-word; }
        tr.total td { font-weight: 650; border-top: 2px solid var(--line); }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px;
          font-weight: 600; white-space: nowrap; }
        .badge.good { background: #e3f4ea; color: var(--good); }
        .badge.bad { background: #fbe5e5; color: var(--bad); }
        .badge.open { background: #fff1d6; color: var(--warn); }
        .kind { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px;
          font-weight: 600; color: #fff; }
        .kind.errors { background: ERRORS; }
        .kind.latency { background: LATENCY; }
        .budget { display: flex; flex-direction: column; gap: 3px; white-space: nowrap;
          padding-top: 5px; }
        .budget .bar { width: 120px; height: 8px; border-radius: 4px; background: #eceef1;
          overflow: hidden; flex: none; }
        .budget .bar.over { outline: 1.5px solid var(--bad); outline-offset: 1px; }
        .budget .fill { height: 100%; border-radius: 4px; }
        .budget span { font-size: 11.5px; }
        .timeline .stripe { fill: #f8f9fb; }
        .timeline .lane-name { font-size: 12.5px; font-weight: 650; fill: var(--fg); }
        .timeline .lane-note { font-size: 11px; fill: var(--muted); }
        .timeline .lane-note.good { fill: var(--good); }
        .timeline .track { stroke: #d9dde3; stroke-width: 2; }
        .timeline .track.healthy { stroke: #bfe3cc; stroke-width: 4; stroke-linecap: round; }
        .timeline .axis { stroke: #c9ced6; }
        .timeline .grid { stroke: #e8eaee; }
        .timeline .tick { font-size: 11px; fill: var(--muted); }
        .timeline .bar-text { font-size: 10.5px; font-weight: 650; fill: #fff; }
        .timeline .detected { fill: #fff; stroke: #111827; stroke-width: 1.6; }
        footer { margin-top: 22px; color: var(--muted); font-size: 12px; text-align: center; }
        """
        .replace("FONTS", FONT_STACK)
        .replace("ERRORS", ERRORS_COLOUR)
        .replace("LATENCY", LATENCY_COLOUR);
  }
}
