package dev.tracelake.query.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** RFC 3339 times, the form the query API and the CLI take, e.g. 2017-01-26T15:46:31.639875Z. */
public final class Rfc3339 {
  private Rfc3339() {}

  /**
   * The instant a time names.
   *
   * @throws IllegalArgumentException saying what the text should look like
   */
  public static Instant parse(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an RFC 3339 time such as 2026-11-26T10:00:00Z", e);
    }
  }
}
