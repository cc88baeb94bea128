package dev.tracelake.query.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracelake.query.report.GraphLayout.Layout;
import dev.tracelake.query.report.GraphLayout.Link;
import dev.tracelake.query.report.GraphLayout.Node;
import dev.tracelake.query.report.GraphLayout.PlacedNode;
import dev.tracelake.query.report.GraphLayout.Point;
import dev.tracelake.query.report.GraphLayout.Rect;
import dev.tracelake.query.report.GraphLayout.Route;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layered layouts: no box overlaps another, links run left to right except those closing cycles.
 */
class GraphLayoutTest {
  @Test
  void anEmptyGraphHasNothingToPlace() {
    Layout layout = GraphLayout.layout(List.of(), List.of());

    assertThat(layout.nodes()).isEmpty();
    assertThat(layout.routes()).isEmpty();
    assertThat(layout.width()).isZero();
    assertThat(layout.height()).isZero();
  }

  @Test
  void oneNodeSitsInsideTheMargin() {
    Layout layout = GraphLayout.layout(List.of(new Node("solo", 120, 40)), List.of());

    assertThat(layout.nodes())
        .containsExactly(
            new PlacedNode("solo", 0, new Rect(GraphLayout.MARGIN, GraphLayout.MARGIN, 120, 40)));
    assertThat(layout.width()).isEqualTo(120 + 2 * GraphLayout.MARGIN);
    assertThat(layout.height()).isEqualTo(40 + 2 * GraphLayout.MARGIN);
  }

  @Test
  void aChainRunsLeftToRightWithItsLabelsBetween() {
    Layout layout =
        GraphLayout.layout(nodes("a", "b", "c"), List.of(link("a", "b"), link("b", "c")));

    assertThat(layout.nodes()).extracting(PlacedNode::layer).containsExactly(0, 1, 2);
    assertWellFormed(layout);
    Rect a = layout.nodes().get(0).box();
    Rect b = layout.nodes().get(1).box();
    Rect label = layout.routes().get(0).label();
    assertThat(label.x()).isGreaterThan(a.right());
    assertThat(label.right()).isLessThan(b.x());
    // Nothing pulls the chain apart: one straight line.
    assertThat(layout.nodes()).extracting(node -> node.box().centerY()).containsOnly(a.centerY());
  }

  @Test
  void aTwoServiceCycleIsDrawnBothWays() {
    Layout layout = GraphLayout.layout(nodes("a", "b"), List.of(link("a", "b"), link("b", "a")));

    assertWellFormed(layout);
    assertThat(layout.nodes()).extracting(PlacedNode::layer).containsExactly(0, 1);
    assertThat(layout.routes()).extracting(Route::reversed).containsExactly(false, true);
    assertThat(layout.routes().get(0).label().overlaps(layout.routes().get(1).label())).isFalse();
  }

  @Test
  void aLongerCycleIsBrokenOnce() {
    Layout layout =
        GraphLayout.layout(
            nodes("entry", "a", "b", "c"),
            List.of(link("entry", "a"), link("a", "b"), link("b", "c"), link("c", "a")));

    assertWellFormed(layout);
    assertThat(layout.nodes()).extracting(PlacedNode::layer).containsExactly(0, 1, 2, 3);
    assertThat(layout.routes())
        .extracting(Route::reversed)
        .containsExactly(false, false, false, true);
  }

  @Test
  void aLinkToItselfIsLeftToTheCaller() {
    Layout layout = GraphLayout.layout(nodes("a"), List.of(link("a", "a")));

    assertThat(layout.routes().get(0).points()).isEmpty();
    assertThat(layout.routes().get(0).label()).isNull();
    assertThat(layout.nodes()).hasSize(1);
  }

  @Test
  void unlinkedPartsAreStackedTopToBottom() {
    Layout layout =
        GraphLayout.layout(nodes("a", "b", "x", "y"), List.of(link("a", "b"), link("x", "y")));

    assertWellFormed(layout);
    Rect b = layout.nodes().get(1).box();
    Rect x = layout.nodes().get(2).box();
    assertThat(x.y()).isGreaterThanOrEqualTo(b.bottom() + GraphLayout.COMPONENT_GAP);
    assertThat(x.x()).isEqualTo(GraphLayout.MARGIN);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void thirtyServicesNeverOverlap(long seed) {
    Random random = new Random(seed);
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 34; i++) {
      nodes.add(new Node("service-" + i, 90 + random.nextInt(120), 34 + 14 * random.nextInt(3)));
    }
    List<Link> links = new ArrayList<>();
    for (int i = 1; i < nodes.size(); i++) {
      // Mostly calls deeper into the system, some back up it (cycles), some skipping layers.
      int callers = 1 + random.nextInt(3);
      for (int k = 0; k < callers; k++) {
        int from = random.nextInt(nodes.size());
        if (from != i) {
          links.add(new Link(nodes.get(from).id(), nodes.get(i).id(), 80 + random.nextInt(60), 36));
        }
      }
    }

    Layout layout = GraphLayout.layout(nodes, links);

    assertWellFormed(layout);
    assertThat(layout.routes()).anyMatch(Route::reversed);
  }

  @Test
  void unknownAndDuplicateNodesAreRejected() {
    assertThatThrownBy(() -> GraphLayout.layout(nodes("a"), List.of(link("a", "b"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown node");
    assertThatThrownBy(() -> GraphLayout.layout(nodes("a", "a"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two nodes");
  }

  /**
   * No two boxes (nodes and labels) overlap, all lie inside the drawing, every route runs from its
   * caller's side to its callee's, forwards to a later layer unless reversed, through its label.
   */
  private static void assertWellFormed(Layout layout) {
    List<Rect> boxes = new ArrayList<>();
    layout.nodes().forEach(node -> boxes.add(node.box()));
    layout.routes().stream()
        .filter(route -> route.label() != null)
        .forEach(r -> boxes.add(r.label()));
    for (int i = 0; i < boxes.size(); i++) {
      Rect box = boxes.get(i);
      assertThat(box.x()).isGreaterThanOrEqualTo(GraphLayout.MARGIN - 1e-9);
      assertThat(box.y()).isGreaterThanOrEqualTo(GraphLayout.MARGIN - 1e-9);
      assertThat(box.right()).isLessThanOrEqualTo(layout.width() - GraphLayout.MARGIN + 1e-9);
      assertThat(box.bottom()).isLessThanOrEqualTo(layout.height() - GraphLayout.MARGIN + 1e-9);
      for (int j = i + 1; j < boxes.size(); j++) {
        assertThat(box.overlaps(boxes.get(j))).as("%s overlaps %s", box, boxes.get(j)).isFalse();
      }
    }
    Map<String, PlacedNode> placed = new HashMap<>();
    layout.nodes().forEach(node -> placed.put(node.id(), node));
    for (Route route : layout.routes()) {
      PlacedNode from = placed.get(route.link().from());
      PlacedNode to = placed.get(route.link().to());
      if (from == to) {
        continue;
      }
      List<Point> points = route.points();
      assertThat(points.size() % 2).isZero();
      Point first = points.get(0);
      Point last = points.get(points.size() - 1);
      assertThat(first.x()).isEqualTo(route.reversed() ? from.box().x() : from.box().right());
      assertThat(last.x()).isEqualTo(route.reversed() ? to.box().right() : to.box().x());
      assertThat(first.y()).isBetween(from.box().y(), from.box().bottom());
      assertThat(last.y()).isBetween(to.box().y(), to.box().bottom());
      if (route.reversed()) {
        assertThat(from.layer()).isGreaterThan(to.layer());
      } else {
        assertThat(from.layer()).isLessThan(to.layer());
      }
      for (int i = 1; i < points.size(); i++) {
        double step = points.get(i).x() - points.get(i - 1).x();
        assertThat(route.reversed() ? -step : step).isGreaterThanOrEqualTo(0);
      }
      assertThat(points).anyMatch(p -> p.y() == route.label().centerY());
    }
  }

  private static List<Node> nodes(String... ids) {
    return Arrays.stream(ids).map(id -> new Node(id, 100, 40)).toList();
  }

  private static Link link(String from, String to) {
    return new Link(from, to, 90, 36);
  }
}
