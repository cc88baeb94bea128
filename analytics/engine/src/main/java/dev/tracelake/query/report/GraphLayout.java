package dev.tracelake.query.report;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layered left-to-right drawing of a directed graph, in the manner of Sugiyama, Tagawa and Toda:
 *
 * <ol>
 *   <li>Cycles are broken: a depth-first search from the roots (nodes no link leads to), in input
 *       order, then from any node left, lays out each link that leads back to a node still on its
 *       path reversed, right to left.
 *   <li>Layers: each node's is the longest path to it from a root, so every link runs to a later
 *       layer.
 *   <li>Columns: layer {@code i} is column {@code 2i}; the columns between hold the links' labels,
 *       each a box of its own in the column closest to the middle of its link. A link passing more
 *       columns passes through a thin placeholder in each, so no line crosses a box.
 *   <li>Order within columns: barycenter sweeps, alternately down and up, each box moved to the
 *       mean position of its neighbours in the column before (after), up to 24 sweeps or until six
 *       in a row found nothing better; the order with the fewest crossings wins.
 *   <li>Vertical positions: each box is pulled to the mean height of its neighbours, and the
 *       column's boxes then placed as close to those heights as the order and the gaps between them
 *       allow (a least-squares fit, by pooling adjacent violators), a few sweeps down and up. Boxes
 *       in a column therefore never overlap, nor do boxes in different columns.
 * </ol>
 *
 * <p>Parts of the graph not linked to each other are laid out one by one and stacked top to bottom,
 * in the order of their first nodes.
 *
 * <p>Coordinates are SVG's: x to the right, y down, in px, with a margin around the drawing.
 */
public final class GraphLayout {
  /** Horizontal space between columns, where the links curve. */
  public static final double COLUMN_GAP = 44;

  /** Vertical space between the drawings of unconnected parts of the graph. */
  public static final double COMPONENT_GAP = 36;

  /** Vertical space between boxes in a column. */
  public static final double BOX_GAP = 18;

  /** The space around the drawing. */
  public static final double MARGIN = 16;

  private static final double PASS_HEIGHT = 4;
  private static final double PASS_GAP = 6;
  private static final int ORDER_SWEEPS = 24;
  private static final int POSITION_SWEEPS = 8;
  private static final double PORT_SPACING = 9;

  private GraphLayout() {}

  /** A node to place, with the size of its box. */
  public record Node(String id, double width, double height) {}

  /** A link from one node to another, with the size of its label's box (0 × 0 for none). */
  public record Link(String from, String to, double labelWidth, double labelHeight) {}

  /** A point. */
  public record Point(double x, double y) {}

  /** A box: its top left corner and its size. */
  public record Rect(double x, double y, double width, double height) {
    public double right() {
      return x + width;
    }

    public double bottom() {
      return y + height;
    }

    public double centerY() {
      return y + height / 2;
    }

    /** Whether the two boxes share any area. */
    public boolean overlaps(Rect other) {
      return x < other.right() && other.x < right() && y < other.bottom() && other.y < bottom();
    }
  }

  /** A node where it was placed. */
  public record PlacedNode(String id, int layer, Rect box) {}

  /**
   * How to draw a link.
   *
   * @param link the link
   * @param points from the side of the {@code from} node's box to the side of the {@code to}
   *     node's, in pairs: the two points of a pair are joined by a straight line across one column,
   *     the last of one pair and the first of the next by a curve across the gap between columns,
   *     leaving and arriving horizontally. Empty for a link from a node to itself, which the caller
   *     draws as it likes.
   * @param label where the label goes, centred on the route; null for a link to itself
   * @param reversed whether the route runs right to left: the link closes a cycle
   */
  public record Route(Link link, List<Point> points, Rect label, boolean reversed) {}

  /**
   * A placed graph.
   *
   * @param nodes the nodes in input order
   * @param routes the links in input order
   * @param width the drawing's width, margins included; 0 without nodes
   * @param height its height
   */
  public record Layout(List<PlacedNode> nodes, List<Route> routes, double width, double height) {}

  /** One box in a column: a node, a link's label, or a link passing through. */
  private static final class Vertex {
    final int rank;
    double width;
    final double height;
    final boolean pass;
    final List<Vertex> up = new ArrayList<>();
    final List<Vertex> down = new ArrayList<>();
    int order;
    double y;

    Vertex(int rank, double width, double height, boolean pass) {
      this.rank = rank;
      this.width = width;
      this.height = height;
      this.pass = pass;
    }
  }

  /**
   * Places the nodes and routes the links.
   *
   * @throws IllegalArgumentException when two nodes share an id or a link names an unknown node
   */
  public static Layout layout(List<Node> nodes, List<Link> links) {
    Map<String, Integer> index = new LinkedHashMap<>();
    for (Node node : nodes) {
      if (index.putIfAbsent(node.id(), index.size()) != null) {
        throw new IllegalArgumentException("two nodes are called '" + node.id() + "'");
      }
    }
    int[][] ends = new int[links.size()][];
    for (int i = 0; i < links.size(); i++) {
      Link link = links.get(i);
      Integer from = index.get(link.from());
      Integer to = index.get(link.to());
      if (from == null || to == null) {
        throw new IllegalArgumentException(
            "the link " + link.from() + " -> " + link.to() + " names an unknown node");
      }
      ends[i] = new int[] {from, to};
    }
    if (nodes.isEmpty()) {
      return new Layout(List.of(), List.of(), 0, 0);
    }

    // Each connected component on its own, stacked top to bottom in order of their first nodes.
    int[] component = components(nodes.size(), ends);
    int components = Arrays.stream(component).max().orElseThrow() + 1;
    PlacedNode[] placed = new PlacedNode[nodes.size()];
    Route[] routes = new Route[links.size()];
    double top = MARGIN;
    double width = 0;
    for (int c = 0; c < components; c++) {
      List<Integer> members = new ArrayList<>();
      for (int n = 0; n < nodes.size(); n++) {
        if (component[n] == c) {
          members.add(n);
        }
      }
      List<Integer> memberLinks = new ArrayList<>();
      for (int i = 0; i < links.size(); i++) {
        if (component[ends[i][0]] == c) {
          memberLinks.add(i);
        }
      }
      Layout part =
          connected(
              members.stream().map(nodes::get).toList(),
              memberLinks.stream().map(links::get).toList());
      double dy = top - MARGIN;
      for (int k = 0; k < members.size(); k++) {
        PlacedNode node = part.nodes().get(k);
        placed[members.get(k)] = new PlacedNode(node.id(), node.layer(), shift(node.box(), dy));
      }
      for (int k = 0; k < memberLinks.size(); k++) {
        Route route = part.routes().get(k);
        routes[memberLinks.get(k)] =
            new Route(
                route.link(),
                route.points().stream().map(p -> new Point(p.x(), p.y() + dy)).toList(),
                route.label() == null ? null : shift(route.label(), dy),
                route.reversed());
      }
      width = Math.max(width, part.width());
      top += part.height() - 2 * MARGIN + COMPONENT_GAP;
    }
    return new Layout(List.of(placed), List.of(routes), width, top - COMPONENT_GAP + MARGIN);
  }

  private static Rect shift(Rect box, double dy) {
    return new Rect(box.x(), box.y() + dy, box.width(), box.height());
  }

  /** Each node's connected component, numbered in order of the components' first nodes. */
  private static int[] components(int nodes, int[][] ends) {
    int[] parent = new int[nodes];
    for (int n = 0; n < nodes; n++) {
      parent[n] = n;
    }
    for (int[] link : ends) {
      int a = root(parent, link[0]);
      int b = root(parent, link[1]);
      parent[Math.max(a, b)] = Math.min(a, b);
    }
    int[] component = new int[nodes];
    Map<Integer, Integer> numbers = new HashMap<>();
    for (int n = 0; n < nodes; n++) {
      component[n] = numbers.computeIfAbsent(root(parent, n), root -> numbers.size());
    }
    return component;
  }

  private static int root(int[] parent, int node) {
    while (parent[node] != node) {
      parent[node] = parent[parent[node]];
      node = parent[node];
    }
    return node;
  }

  /** {@link #layout} of a connected graph, whose links' ends are known nodes. */
  private static Layout connected(List<Node> nodes, List<Link> links) {
    Map<String, Integer> index = new HashMap<>();
    for (Node node : nodes) {
      index.put(node.id(), index.size());
    }
    int[][] ends = new int[links.size()][];
    for (int i = 0; i < links.size(); i++) {
      ends[i] = new int[] {index.get(links.get(i).from()), index.get(links.get(i).to())};
    }
    boolean[] reversed = breakCycles(nodes.size(), ends);
    int[] layers = layers(nodes.size(), ends, reversed);
    int ranks = 2 * Arrays.stream(layers).max().orElse(0) + 1;

    List<List<Vertex>> columns = new ArrayList<>();
    for (int r = 0; r < ranks; r++) {
      columns.add(new ArrayList<>());
    }
    Vertex[] nodeVertices = new Vertex[nodes.size()];
    for (int n = 0; n < nodes.size(); n++) {
      Node node = nodes.get(n);
      nodeVertices[n] = new Vertex(2 * layers[n], node.width(), node.height(), false);
      columns.get(2 * layers[n]).add(nodeVertices[n]);
    }
    List<List<Vertex>> chains = new ArrayList<>();
    Map<Vertex, Integer> labels = new HashMap<>();
    for (int i = 0; i < links.size(); i++) {
      if (ends[i][0] == ends[i][1]) {
        chains.add(null);
        continue;
      }
      int from = reversed[i] ? ends[i][1] : ends[i][0];
      int to = reversed[i] ? ends[i][0] : ends[i][1];
      int first = 2 * layers[from] + 1;
      int last = 2 * layers[to] - 1;
      int labelRank = first + 2 * ((layers[to] - layers[from] - 1) / 2);
      List<Vertex> chain = new ArrayList<>();
      chain.add(nodeVertices[from]);
      for (int r = first; r <= last; r++) {
        Link link = links.get(i);
        Vertex vertex =
            r == labelRank
                ? new Vertex(r, link.labelWidth(), link.labelHeight(), false)
                : new Vertex(r, 0, PASS_HEIGHT, true);
        if (r == labelRank) {
          labels.put(vertex, i);
        }
        columns.get(r).add(vertex);
        chain.add(vertex);
      }
      chain.add(nodeVertices[to]);
      for (int k = 1; k < chain.size(); k++) {
        chain.get(k - 1).down.add(chain.get(k));
        chain.get(k).up.add(chain.get(k - 1));
      }
      chains.add(chain);
    }

    order(columns);
    double[] columnX = new double[ranks];
    double[] columnWidth = new double[ranks];
    double x = MARGIN;
    for (int r = 0; r < ranks; r++) {
      columnX[r] = x;
      columnWidth[r] = columns.get(r).stream().mapToDouble(v -> v.width).max().orElse(0);
      x += columnWidth[r] + COLUMN_GAP;
    }
    double width = x - COLUMN_GAP + MARGIN;
    for (List<Vertex> column : columns) {
      for (Vertex vertex : column) {
        if (vertex.pass) {
          vertex.width = columnWidth[vertex.rank];
        }
      }
    }
    double height = position(columns);

    List<PlacedNode> placed = new ArrayList<>();
    for (int n = 0; n < nodes.size(); n++) {
      placed.add(
          new PlacedNode(nodes.get(n).id(), layers[n], box(nodeVertices[n], columnX, columnWidth)));
    }
    Map<Vertex, Double> outPorts = ports(nodeVertices, false);
    Map<Vertex, Double> inPorts = ports(nodeVertices, true);
    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < links.size(); i++) {
      List<Vertex> chain = chains.get(i);
      if (chain == null) {
        routes.add(new Route(links.get(i), List.of(), null, false));
        continue;
      }
      List<Point> points = new ArrayList<>();
      Rect label = null;
      for (int k = 0; k < chain.size(); k++) {
        Vertex vertex = chain.get(k);
        double left = columnX[vertex.rank];
        double right = left + columnWidth[vertex.rank];
        if (k == 0) {
          double y = outPorts.get(chain.get(1));
          points.add(new Point(box(vertex, columnX, columnWidth).right(), y));
          points.add(new Point(right, y));
        } else if (k == chain.size() - 1) {
          double y = inPorts.get(chain.get(k - 1));
          points.add(new Point(left, y));
          points.add(new Point(box(vertex, columnX, columnWidth).x(), y));
        } else {
          points.add(new Point(left, vertex.y));
          points.add(new Point(right, vertex.y));
          if (labels.containsKey(vertex)) {
            label = box(vertex, columnX, columnWidth);
          }
        }
      }
      if (reversed[i]) {
        Collections.reverse(points);
      }
      routes.add(new Route(links.get(i), List.copyOf(points), label, reversed[i]));
    }
    return new Layout(List.copyOf(placed), List.copyOf(routes), width, height);
  }

  /** Which links a depth-first search from the roots finds leading back up its path. */
  private static boolean[] breakCycles(int nodes, int[][] ends) {
    List<List<Integer>> out = new ArrayList<>();
    int[] incoming = new int[nodes];
    for (int n = 0; n < nodes; n++) {
      out.add(new ArrayList<>());
    }
    for (int i = 0; i < ends.length; i++) {
      if (ends[i][0] != ends[i][1]) {
        out.get(ends[i][0]).add(i);
        incoming[ends[i][1]]++;
      }
    }
    boolean[] reversed = new boolean[ends.length];
    int[] state = new int[nodes]; // 0 unseen, 1 on the path, 2 done
    List<Integer> starts = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      if (incoming[n] == 0) {
        starts.add(n);
      }
    }
    for (int n = 0; n < nodes; n++) {
      starts.add(n);
    }
    for (int start : starts) {
      if (state[start] != 0) {
        continue;
      }
      Deque<int[]> path = new ArrayDeque<>(); // node, next outgoing link to follow
      path.push(new int[] {start, 0});
      state[start] = 1;
      while (!path.isEmpty()) {
        int[] top = path.peek();
        List<Integer> links = out.get(top[0]);
        if (top[1] == links.size()) {
          state[top[0]] = 2;
          path.pop();
          continue;
        }
        int link = links.get(top[1]++);
        int target = ends[link][1];
        if (state[target] == 1) {
          reversed[link] = true;
        } else if (state[target] == 0) {
          state[target] = 1;
          path.push(new int[] {target, 0});
        }
      }
    }
    return reversed;
  }

  /** Each node's layer: the longest path to it from a root, links taken as reversed says. */
  private static int[] layers(int nodes, int[][] ends, boolean[] reversed) {
    List<List<Integer>> out = new ArrayList<>();
    int[] incoming = new int[nodes];
    for (int n = 0; n < nodes; n++) {
      out.add(new ArrayList<>());
    }
    for (int i = 0; i < ends.length; i++) {
      if (ends[i][0] != ends[i][1]) {
        int from = reversed[i] ? ends[i][1] : ends[i][0];
        int to = reversed[i] ? ends[i][0] : ends[i][1];
        out.get(from).add(to);
        incoming[to]++;
      }
    }
    int[] layers = new int[nodes];
    Deque<Integer> ready = new ArrayDeque<>();
    for (int n = 0; n < nodes; n++) {
      if (incoming[n] == 0) {
        ready.add(n);
      }
    }
    while (!ready.isEmpty()) {
      int node = ready.poll();
      for (int next : out.get(node)) {
        layers[next] = Math.max(layers[next], layers[node] + 1);
        if (--incoming[next] == 0) {
          ready.add(next);
        }
      }
    }
    return layers;
  }

  /** Orders each column by barycenter sweeps, keeping the order with the fewest crossings. */
  private static void order(List<List<Vertex>> columns) {
    renumber(columns);
    List<List<Vertex>> best = snapshot(columns);
    long fewest = crossings(columns);
    int unimproved = 0;
    for (int sweep = 0; sweep < ORDER_SWEEPS && fewest > 0 && unimproved < 6; sweep++) {
      boolean down = sweep % 2 == 0;
      if (down) {
        for (int r = 1; r < columns.size(); r++) {
          sortByBarycenter(columns.get(r), true);
        }
      } else {
        for (int r = columns.size() - 2; r >= 0; r--) {
          sortByBarycenter(columns.get(r), false);
        }
      }
      long crossings = crossings(columns);
      if (crossings < fewest) {
        fewest = crossings;
        best = snapshot(columns);
        unimproved = 0;
      } else {
        unimproved++;
      }
    }
    for (int r = 0; r < columns.size(); r++) {
      columns.get(r).clear();
      columns.get(r).addAll(best.get(r));
    }
    renumber(columns);
  }

  private static void sortByBarycenter(List<Vertex> column, boolean byUp) {
    Map<Vertex, Double> barycenters = new HashMap<>();
    for (Vertex vertex : column) {
      List<Vertex> neighbours = byUp ? vertex.up : vertex.down;
      barycenters.put(
          vertex,
          neighbours.isEmpty()
              ? vertex.order
              : neighbours.stream().mapToDouble(v -> v.order).average().orElseThrow());
    }
    column.sort(Comparator.comparingDouble(barycenters::get)); // stable: ties keep their order
    for (int i = 0; i < column.size(); i++) {
      column.get(i).order = i;
    }
  }

  private static long crossings(List<List<Vertex>> columns) {
    long crossings = 0;
    for (List<Vertex> column : columns) {
      List<int[]> segments = new ArrayList<>();
      for (Vertex vertex : column) {
        for (Vertex next : vertex.down) {
          segments.add(new int[] {vertex.order, next.order});
        }
      }
      for (int i = 0; i < segments.size(); i++) {
        for (int j = i + 1; j < segments.size(); j++) {
          int[] a = segments.get(i);
          int[] b = segments.get(j);
          if ((long) (a[0] - b[0]) * (a[1] - b[1]) < 0) {
            crossings++;
          }
        }
      }
    }
    return crossings;
  }

  private static List<List<Vertex>> snapshot(List<List<Vertex>> columns) {
    return columns.stream().map(column -> (List<Vertex>) new ArrayList<>(column)).toList();
  }

  private static void renumber(List<List<Vertex>> columns) {
    for (List<Vertex> column : columns) {
      for (int i = 0; i < column.size(); i++) {
        column.get(i).order = i;
      }
    }
  }

  /** Sets each vertex's centre y; returns the drawing's height. */
  private static double position(List<List<Vertex>> columns) {
    for (List<Vertex> column : columns) {
      double[] offsets = offsets(column);
      double middle = column.isEmpty() ? 0 : offsets[column.size() - 1] / 2;
      for (int i = 0; i < column.size(); i++) {
        column.get(i).y = offsets[i] - middle;
      }
    }
    for (int sweep = 0; sweep < POSITION_SWEEPS; sweep++) {
      for (int r = 1; r < columns.size(); r++) {
        place(columns.get(r), true, false);
      }
      for (int r = columns.size() - 2; r >= 0; r--) {
        place(columns.get(r), false, true);
      }
    }
    for (int r = 0; r < columns.size(); r++) {
      place(columns.get(r), true, true);
    }
    double top = Double.MAX_VALUE;
    double bottom = -Double.MAX_VALUE;
    for (List<Vertex> column : columns) {
      for (Vertex vertex : column) {
        top = Math.min(top, vertex.y - vertex.height / 2);
        bottom = Math.max(bottom, vertex.y + vertex.height / 2);
      }
    }
    for (List<Vertex> column : columns) {
      for (Vertex vertex : column) {
        vertex.y += MARGIN - top;
      }
    }
    return bottom - top + 2 * MARGIN;
  }

  /**
   * Each vertex's centre relative to the first's when the column's boxes are packed tight, in
   * order, with the gaps between them.
   */
  private static double[] offsets(List<Vertex> column) {
    double[] offsets = new double[column.size()];
    for (int i = 1; i < column.size(); i++) {
      Vertex before = column.get(i - 1);
      Vertex vertex = column.get(i);
      double gap = before.pass && vertex.pass ? PASS_GAP : BOX_GAP;
      offsets[i] = offsets[i - 1] + before.height / 2 + gap + vertex.height / 2;
    }
    return offsets;
  }

  /**
   * Moves a column's vertices as close as their order and gaps allow to the mean height of their
   * neighbours above ({@code up}, i.e. in the column before) and/or below. With centres {@code y =
   * offset + shift}, keeping order and gaps is a non-decreasing shift: the least-squares fit of
   * {@code wanted - offset} by pooling adjacent violators.
   */
  private static void place(List<Vertex> column, boolean up, boolean down) {
    int n = column.size();
    if (n == 0) {
      return;
    }
    double[] offsets = offsets(column);
    double[] sums = new double[n];
    int[] counts = new int[n];
    int blocks = 0;
    for (int i = 0; i < n; i++) {
      Vertex vertex = column.get(i);
      double sum = 0;
      int count = 0;
      if (up) {
        for (Vertex neighbour : vertex.up) {
          sum += neighbour.y;
          count++;
        }
      }
      if (down) {
        for (Vertex neighbour : vertex.down) {
          sum += neighbour.y;
          count++;
        }
      }
      double wanted = count == 0 ? vertex.y : sum / count;
      sums[blocks] = wanted - offsets[i];
      counts[blocks] = 1;
      blocks++;
      while (blocks > 1
          && sums[blocks - 2] / counts[blocks - 2] > sums[blocks - 1] / counts[blocks - 1]) {
        sums[blocks - 2] += sums[blocks - 1];
        counts[blocks - 2] += counts[blocks - 1];
        blocks--;
      }
    }
    int i = 0;
    for (int b = 0; b < blocks; b++) {
      double shift = sums[b] / counts[b];
      for (int k = 0; k < counts[b]; k++, i++) {
        column.get(i).y = offsets[i] + shift;
      }
    }
  }

  private static Rect box(Vertex vertex, double[] columnX, double[] columnWidth) {
    double x = columnX[vertex.rank] + (columnWidth[vertex.rank] - vertex.width) / 2;
    return new Rect(x, vertex.y - vertex.height / 2, vertex.width, vertex.height);
  }

  /**
   * Where on its node's side each link arrives ({@code in}: the left side, keyed by the link's
   * vertex before the node) or leaves (the right side, keyed by the vertex after it): spread over
   * the side in the order of the neighbours' heights, so that arrowheads do not pile up.
   */
  private static Map<Vertex, Double> ports(Vertex[] nodes, boolean in) {
    Map<Vertex, Double> ports = new HashMap<>();
    for (Vertex node : nodes) {
      List<Vertex> sorted = new ArrayList<>(in ? node.up : node.down);
      sorted.sort(Comparator.comparingDouble(v -> v.y));
      int n = sorted.size();
      double spacing = n < 2 ? 0 : Math.min(PORT_SPACING, (node.height - 12) / (n - 1));
      for (int i = 0; i < n; i++) {
        ports.put(sorted.get(i), node.y + (i - (n - 1) / 2.0) * Math.max(spacing, 0));
      }
    }
    return ports;
  }
}
