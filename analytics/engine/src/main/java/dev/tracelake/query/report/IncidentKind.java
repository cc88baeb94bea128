package dev.tracelake.query.report;

import java.util.Locale;

/** What an incident breaks: the availability objective or the latency objective. */
public enum IncidentKind {
  /** Entry spans failed (status ERROR) faster than the availability objective allows. */
  ERRORS,
  /** Entry spans were slower than the latency objective more often than one in twenty. */
  LATENCY;

  /** The name reports and the SLO file use: {@code errors} or {@code latency}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The kind a label names.
   *
   * @throws IllegalArgumentException naming the labels there are
   */
  public static IncidentKind of(String label) {
    for (IncidentKind kind : values()) {
      if (kind.label().equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "an incident kind is errors or latency, not '" + label + "'");
  }
}
