package dev.tracelake.query.report;

import java.time.Instant;
import java.util.List;

/**
 * The service dependency graph of a time window ({@code sql/reports/dependencies.sql}).
 *
 * @param from the window's start
 * @param to the window's end
 * @param edges caller-callee pairs, by caller then callee
 */
public record DependencyReport(Instant from, Instant to, List<Edge> edges) {
  public DependencyReport {
    edges = List.copyOf(edges);
  }

  /**
   * Calls from one service to another.
   *
   * @param caller the parent span's service
   * @param callee the child span's service, or for a virtual edge the peer the call names
   * @param calls how many calls
   * @param errors how many of them failed (status ERROR)
   * @param p50Ms median call duration, ms
   * @param p95Ms 95th percentile, ms
   * @param p99Ms 99th percentile, ms
   * @param virtual whether the callee reports no spans (a database, a third-party API)
   */
  public record Edge(
      String caller,
      String callee,
      long calls,
      long errors,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      boolean virtual) {
    /** The share of calls that failed, 0 to 1. */
    public double errorRate() {
      return calls == 0 ? 0 : (double) errors / calls;
    }
  }
}
