package dev.tracelake.synthetic;

import dev.tracelake.synthetic.ScenarioTraffic.Config;
import dev.tracelake.synthetic.ScenarioTraffic.Incident;
import dev.tracelake.synthetic.ScenarioTraffic.SingleError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/** Decides, from a config's incidents, single errors and background rate, what fails or lags. */
final class FaultInjector {
  private final List<Incident> incidents;
  private final double backgroundErrorRate;
  private final List<SingleError> pendingSingleErrors;

  FaultInjector(Config config) {
    this.incidents = config.incidents();
    this.backgroundErrorRate = config.backgroundErrorRate();
    this.pendingSingleErrors = new ArrayList<>(config.singleErrors());
    pendingSingleErrors.sort(Comparator.comparing(SingleError::at));
  }

  /** Whether the entry span of {@code service} that starts then fails. */
  boolean entryFails(String service, long startNanos, SplittableRandom random) {
    double rate =
        hit(service, Incident.Kind.ERRORS, startNanos)
            ? ScenarioTopology.INCIDENT_ERROR_SHARE
            : backgroundErrorRate;
    // Drawn even when a single error decides, so that the rest of the trace stays the same.
    boolean drawn = random.nextDouble() < rate;
    return takeSingleError(service, startNanos) || drawn;
  }

  /** What a LATENCY incident adds to the own work of the entry span of {@code service}. */
  long incidentDelayNanos(String service, long startNanos, SplittableRandom random) {
    if (!hit(service, Incident.Kind.LATENCY, startNanos)) {
      return 0;
    }
    return random.nextLong(
        ScenarioTopology.INCIDENT_DELAY_MIN.toNanos(),
        ScenarioTopology.INCIDENT_DELAY_MAX.toNanos());
  }

  /** Whether a call to an uninstrumented peer fails. */
  boolean peerCallFails(SplittableRandom random) {
    return random.nextDouble() < backgroundErrorRate;
  }

  /** Fails if a single error is still pending: its service had no entry span after it. */
  void requireEverySingleErrorPlaced() {
    if (!pendingSingleErrors.isEmpty()) {
      throw new IllegalStateException(
          "no entry span of the service starts at or after the single errors "
              + pendingSingleErrors);
    }
  }

  private boolean hit(String service, Incident.Kind kind, long startNanos) {
    for (Incident incident : incidents) {
      if (incident.hits(service, kind, startNanos)) {
        return true;
      }
    }
    return false;
  }

  private boolean takeSingleError(String service, long startNanos) {
    Iterator<SingleError> pending = pendingSingleErrors.iterator();
    while (pending.hasNext()) {
      SingleError error = pending.next();
      if (error.service().equals(service) && ScenarioTraffic.nanos(error.at()) <= startNanos) {
        pending.remove();
        return true;
      }
    }
    return false;
  }
}
