package dev.tracelake.query.api;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Go writes them ({@code time.Duration.String()}, {@code time.ParseDuration}), the
 * form Jaeger's API takes: a sequence of decimal numbers with units, e.g. {@code 4500ns}, {@code
 * 2ms}, {@code 1.5s}, {@code 1h2m3s}.
 */
public final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "μs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDuration() {}

  /**
   * Nanoseconds.
   *
   * @throws IllegalArgumentException when the text is not a non-negative Go duration
   */
  public static long parseNanos(String text) {
    if (text.equals("0")) {
      return 0;
    }
    Matcher part = PART.matcher(text);
    BigDecimal nanos = BigDecimal.ZERO;
    int end = 0;
    while (part.lookingAt()) {
      nanos =
          nanos.add(
              new BigDecimal(part.group(1))
                  .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)))));
      end = part.end();
      part.region(end, text.length());
    }
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: use a number and a unit, e.g. 4500ns, 2ms, 1.5s, 1m");
    }
    return nanos.longValue();
  }
}
