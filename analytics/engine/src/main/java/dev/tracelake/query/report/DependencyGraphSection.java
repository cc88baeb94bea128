package dev.tracelake.query.report;

import static dev.tracelake.query.report.HtmlReport.otherWindow;
import static dev.tracelake.query.report.HtmlReport.swatch;
import static dev.tracelake.query.report.ReportFormat.count;
import static dev.tracelake.query.report.ReportFormat.html;
import static dev.tracelake.query.report.ReportFormat.ms;
import static dev.tracelake.query.report.ReportFormat.n;
import static dev.tracelake.query.report.ReportFormat.percent;
import static dev.tracelake.query.report.ReportFormat.textWidth;
import static dev.tracelake.query.report.ReportFormat.truncate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dependency graph section of {@link HtmlReport}: the graph as SVG, laid out by {@link
 * GraphLayout}.
 */
final class DependencyGraphSection {
  private static final String MUTED = "#6b7280";
  private static final double NAME_SIZE = 13;
  private static final double SMALL_SIZE = 11;
  private static final int MAX_NAME = 40;
  private static final double ARROW = 8;

  /** A graph up to this wide is scaled down to fit the page; a wider one scrolls. */
  private static final double FIT_WIDTH = 1600;

  private DependencyGraphSection() {}

  static void write(StringBuilder out, DependencyReport report, SlaReport sla, Instant[] window) {
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
}
