package dev.tracelake.query;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A trace search, with the filters of Jaeger's FindTraces.
 *
 * @param window when a matching span started
 * @param service the matching span's service, if given
 * @param operation the matching span's name, if given
 * @param spanKind the matching span's kind (OTLP's numbering), if given
 * @param durationMinNanos the matching span's shortest duration, if given
 * @param durationMaxNanos the matching span's longest duration, if given
 * @param attributes attributes every one of which the matching span carries somewhere, compared as
 *     text: 123, 72.5 and true match the typed value and the string alike
 * @param limit the most traces to return
 */
public record TraceQuery(
    TimeRange window,
    Optional<String> service,
    Optional<String> operation,
    OptionalInt spanKind,
    OptionalLong durationMinNanos,
    OptionalLong durationMaxNanos,
    Map<String, String> attributes,
    int limit) {

  /** Jaeger UI's default look-back: the window when only its end, or nothing, is given. */
  public static final Duration DEFAULT_LOOKBACK = Duration.ofHours(1);

  /** Jaeger's default number of traces to return. */
  public static final int DEFAULT_LIMIT = 20;

  public TraceQuery {
    Objects.requireNonNull(window, "window");
    attributes = Map.copyOf(attributes);
    if (limit < 1) {
      throw new IllegalArgumentException("the search depth must be at least 1, not " + limit);
    }
    if (durationMinNanos.isPresent()
        && durationMaxNanos.isPresent()
        && durationMinNanos.getAsLong() > durationMaxNanos.getAsLong()) {
      throw new IllegalArgumentException("the minimum duration is above the maximum");
    }
  }
}
