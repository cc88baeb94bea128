package dev.tracelake.query.report;

import java.time.Instant;
import java.util.List;

/**
 * The incidents of a time window and how fast they were detected and resolved ({@code
 * sql/reports/incidents.sql}).
 *
 * @param from the window's start
 * @param to the window's end
 * @param incidents the incidents overlapping the window, by service then onset
 * @param mttdSeconds mean time to detect over all incidents, or null without any
 * @param mttrSeconds mean time to resolve over the resolved incidents, or null without any
 * @param byService the same per service, for every service with entry spans in the window or an
 *     incident overlapping it
 */
public record IncidentReport(
    Instant from,
    Instant to,
    List<Incident> incidents,
    Double mttdSeconds,
    Double mttrSeconds,
    List<ServiceIncidents> byService) {
  public IncidentReport {
    incidents = List.copyOf(incidents);
    byService = List.copyOf(byService);
  }

  /**
   * One incident.
   *
   * @param service the service that broke its objective
   * @param kind which objective
   * @param onset when the breach began
   * @param detectedAt when the alerting rule fired
   * @param resolvedAt when the service was back within its objective (and stayed there for the hold
   *     time), or null while it is not
   * @param ttdSeconds detectedAt - onset
   * @param ttrSeconds resolvedAt - onset, or null while unresolved
   */
  public record Incident(
      String service,
      IncidentKind kind,
      Instant onset,
      Instant detectedAt,
      Instant resolvedAt,
      long ttdSeconds,
      Long ttrSeconds) {}

  /**
   * A service's incidents in the window.
   *
   * @param service the service
   * @param incidents how many
   * @param mttdSeconds their mean time to detect, or null without any
   * @param mttrSeconds their mean time to resolve, or null without a resolved one
   */
  public record ServiceIncidents(
      String service, long incidents, Double mttdSeconds, Double mttrSeconds) {}
}
