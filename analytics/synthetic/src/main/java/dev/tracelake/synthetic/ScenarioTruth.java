package dev.tracelake.synthetic;

import dev.tracelake.synthetic.ScenarioTraffic.Incident;
import dev.tracelake.synthetic.ScenarioTraffic.SingleError;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What {@link ScenarioTraffic} generated, counted span by span as it wrote them, with the
 * definitions of the reports:
 *
 * <ul>
 *   <li>An entry span is a SERVER or CONSUMER span; it failed if its status is ERROR.
 *   <li>A span whose parent belongs to another service is a call on the edge from the parent's
 *       service to its own. A CLIENT or PRODUCER span without a child is a call on the virtual edge
 *       from its service to the peer its {@code peer.service}, else {@code db.system}, else {@code
 *       server.address} names.
 * </ul>
 */
public final class ScenarioTruth {
  private final Map<Edge, EdgeStats> edges;
  private final Map<String, List<EntrySpan>> entrySpans;
  private final List<Incident> incidents;
  private final List<SingleError> singleErrors;

  private ScenarioTruth(
      Map<Edge, EdgeStats> edges,
      Map<String, List<EntrySpan>> entrySpans,
      List<Incident> incidents,
      List<SingleError> singleErrors) {
    this.edges = edges;
    this.entrySpans = entrySpans;
    this.incidents = incidents;
    this.singleErrors = singleErrors;
  }

  /** The calls of every edge of the dependency graph, in the order the edges first occurred. */
  public Map<Edge, EdgeStats> edges() {
    return edges;
  }

  /**
   * The entry spans of every instrumented service, in {@link ScenarioTopology#services()} order.
   */
  public Map<String, EntryStats> entrySpans() {
    return entrySpans(span -> true);
  }

  /**
   * The entry spans that start in [from, to) of every instrumented service, in {@link
   * ScenarioTopology#services()} order; a service without any has total 0.
   */
  public Map<String, EntryStats> entrySpans(Instant from, Instant to) {
    long fromNanos = ScenarioTraffic.nanos(from);
    long toNanos = ScenarioTraffic.nanos(to);
    return entrySpans(span -> span.startNanos() >= fromNanos && span.startNanos() < toNanos);
  }

  private Map<String, EntryStats> entrySpans(Predicate<EntrySpan> filter) {
    Map<String, EntryStats> stats = new LinkedHashMap<>();
    entrySpans.forEach(
        (service, spans) -> {
          long errors = 0;
          List<Long> durations = new ArrayList<>();
          for (EntrySpan span : spans) {
            if (filter.test(span)) {
              durations.add(span.durationNanos());
              errors += span.error() ? 1 : 0;
            }
          }
          stats.put(service, new EntryStats(durations.size(), errors, List.copyOf(durations)));
        });
    return Collections.unmodifiableMap(stats);
  }

  /** The incidents injected, as configured. */
  public List<Incident> incidents() {
    return incidents;
  }

  /** The single errors injected, as configured; each failed one entry span. */
  public List<SingleError> singleErrors() {
    return singleErrors;
  }

  /**
   * An edge of the dependency graph.
   *
   * @param virtual whether the callee is an uninstrumented peer, known only from its caller's
   *     CLIENT or PRODUCER spans
   */
  public record Edge(String caller, String callee, boolean virtual) {}

  /**
   * The calls on an edge.
   *
   * @param calls how many spans define the edge: the callee's spans with a parent in the caller, or
   *     for a virtual edge the caller's childless CLIENT and PRODUCER spans
   * @param errors how many of them have status ERROR
   * @param durationsNanos their durations, in the order they were written
   */
  public record EdgeStats(long calls, long errors, List<Long> durationsNanos) {}

  /**
   * The entry spans of a service.
   *
   * @param total how many
   * @param errors how many of them have status ERROR
   * @param durationsNanos their durations, in the order they were written
   */
  public record EntryStats(long total, long errors, List<Long> durationsNanos) {
    /** 1 − errors / total; 1 without any entry span. */
    public double availability() {
      return total == 0 ? 1 : 1 - (double) errors / total;
    }
  }

  private record EntrySpan(long startNanos, long durationNanos, boolean error) {}

  /** Counts the spans as they are written. */
  static final class Recorder {
    private final Map<Edge, List<Long>> edgeDurations = new LinkedHashMap<>();
    private final Map<Edge, Long> edgeErrors = new LinkedHashMap<>();
    private final Map<String, List<EntrySpan>> entrySpans = new LinkedHashMap<>();

    Recorder() {
      ScenarioTopology.services().forEach(service -> entrySpans.put(service, new ArrayList<>()));
    }

    /**
     * Counts a written span.
     *
     * @param service the span's service
     * @param parentService the service of its parent span; null for a root span
     * @param virtualPeer the peer a childless CLIENT or PRODUCER span calls; null for other spans
     */
    void record(String service, String parentService, String virtualPeer, Span span) {
      long duration = span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
      boolean error = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
      if (span.getKind() == SpanKind.SPAN_KIND_SERVER
          || span.getKind() == SpanKind.SPAN_KIND_CONSUMER) {
        entrySpans.get(service).add(new EntrySpan(span.getStartTimeUnixNano(), duration, error));
      }
      if (parentService != null && !parentService.equals(service)) {
        call(new Edge(parentService, service, false), duration, error);
      }
      if (virtualPeer != null) {
        call(new Edge(service, virtualPeer, true), duration, error);
      }
    }

    private void call(Edge edge, long durationNanos, boolean error) {
      edgeDurations.computeIfAbsent(edge, e -> new ArrayList<>()).add(durationNanos);
      edgeErrors.merge(edge, error ? 1L : 0L, Long::sum);
    }

    ScenarioTruth truth(List<Incident> incidents, List<SingleError> singleErrors) {
      Map<Edge, EdgeStats> edges = new LinkedHashMap<>();
      edgeDurations.forEach(
          (edge, durations) ->
              edges.put(
                  edge,
                  new EdgeStats(durations.size(), edgeErrors.get(edge), List.copyOf(durations))));
      Map<String, List<EntrySpan>> entries = new LinkedHashMap<>();
      entrySpans.forEach((service, spans) -> entries.put(service, List.copyOf(spans)));
      return new ScenarioTruth(
          Collections.unmodifiableMap(edges),
          Collections.unmodifiableMap(entries),
          incidents,
          singleErrors);
    }
  }
}
