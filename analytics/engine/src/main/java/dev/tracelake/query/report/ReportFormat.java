package dev.tracelake.query.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the report renderings ({@link HtmlReport}, {@link DependencyGraphText}) write numbers,
 * durations and times for people, and how they escape text. Numbers use {@code ,} between thousands
 * and {@code .} before decimals whatever the default locale.
 */
final class ReportFormat {
  /** An edge whose error rate is below this is green. */
  static final double EDGE_WARN_ERROR_RATE = 0.01;

  /** An edge whose error rate is at least this is red; between the two it is amber. */
  static final double EDGE_BAD_ERROR_RATE = 0.05;

  static final String GREEN = "#2f9e5b";
  static final String AMBER = "#d08700";
  static final String RED = "#d64545";

  private static final DecimalFormatSymbols SYMBOLS = DecimalFormatSymbols.getInstance(Locale.ROOT);
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ReportFormat() {}

  /** A count with thousands separators: {@code 12,345}. */
  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /**
   * A share of 1 as a percentage: two decimals at most below 10% and from 90% to 100% ({@code
   * 0.05%}, {@code 99.95%}), one from 10% to 90% ({@code 12.5%}), none from 100% on ({@code 509%});
   * never rounded to 100% or 0% unless exactly so ({@code 99.999%}, {@code <0.01%}). Not a number:
   * {@code —}.
   */
  static String percent(double share) {
    if (!Double.isFinite(share)) {
      return "—";
    }
    double value = share * 100;
    if (value == 0 || value == 100) {
      return decimal(value, 0) + "%";
    }
    if (Math.abs(value) < 0.005) {
      return value > 0 ? "<0.01%" : ">-0.01%";
    }
    double size = Math.abs(value);
    int decimals = size >= 100 ? 0 : size >= 10 && size < 90 ? 1 : 2;
    String text = decimal(value, decimals);
    while (decimals < 6 && (text.equals("100") || text.equals("-100"))) {
      text = decimal(value, ++decimals);
    }
    return text + "%";
  }

  /** Milliseconds with up to one decimal: {@code 12.3 ms}, {@code 1,250 ms}. */
  static String ms(double value) {
    if (!Double.isFinite(value)) {
      return "—";
    }
    if (value > 0 && value < 0.05) {
      return "<0.1 ms";
    }
    return decimal(value, 1) + " ms";
  }

  /** A burn rate: {@code 0.25×}, {@code 14.4×}. */
  static String times(double value) {
    return Double.isFinite(value) ? decimal(value, 2) + "×" : "—";
  }

  /**
   * Seconds as a person says them, the two largest units: {@code 45s}, {@code 4m 30s}, {@code 1h
   * 5m}, {@code 2d 3h}; null as {@code —}.
   */
  static String duration(Double seconds) {
    if (seconds == null || !Double.isFinite(seconds)) {
      return "—";
    }
    long total = Math.round(seconds);
    String sign = total < 0 ? "-" : "";
    total = Math.abs(total);
    long[] sizes = {86_400, 3_600, 60, 1};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length - 1; i++) {
      if (total >= sizes[i]) {
        long major = total / sizes[i];
        long minor = total % sizes[i] / sizes[i + 1];
        return sign + major + units[i] + (minor == 0 ? "" : " " + minor + units[i + 1]);
      }
    }
    return sign + total + "s";
  }

  /** {@link #duration(Double)} of whole seconds. */
  static String duration(long seconds) {
    return duration((double) seconds);
  }

  /**
   * A time window in UTC: {@code 2026-11-26 14:00 – 15:00 UTC}, the date again when the end falls
   * on another day, seconds when either has any.
   */
  static String window(Instant from, Instant to) {
    DateTimeFormatter clock =
        from.getEpochSecond() % 60 == 0 && to.getEpochSecond() % 60 == 0 ? MINUTE : SECOND;
    String start = DATE.format(from) + " " + clock.format(from);
    String end =
        DATE.format(from).equals(DATE.format(to))
            ? clock.format(to)
            : DATE.format(to) + " " + clock.format(to);
    return start + " – " + end + " UTC";
  }

  /**
   * A time inside a window: its clock time, with the date when the window spans more than one day
   * or the time falls on another day than the window's start.
   */
  static String time(Instant time, Instant windowFrom, Instant windowTo) {
    if (time == null) {
      return "—";
    }
    DateTimeFormatter clock = time.getEpochSecond() % 60 == 0 ? MINUTE : SECOND;
    boolean oneDay =
        DATE.format(windowFrom).equals(DATE.format(windowTo))
            && DATE.format(time).equals(DATE.format(windowFrom));
    return oneDay ? clock.format(time) : DATE.format(time) + " " + clock.format(time);
  }

  /** A dependency edge's figures: {@code 1,200 calls · 0.5% errors · p95 12.3 ms}. */
  static String edgeSummary(DependencyReport.Edge edge) {
    return count(edge.calls())
        + " calls · "
        + percent(edge.errorRate())
        + " errors · p95 "
        + ms(edge.p95Ms());
  }

  /**
   * The colour of an edge by its error rate: green below 1%, amber below 5%, red from 5% on ({@link
   * #EDGE_WARN_ERROR_RATE}, {@link #EDGE_BAD_ERROR_RATE}).
   */
  static String edgeColour(double errorRate) {
    if (errorRate >= EDGE_BAD_ERROR_RATE) {
      return RED;
    }
    return errorRate >= EDGE_WARN_ERROR_RATE ? AMBER : GREEN;
  }

  /** Text for HTML or XML, in element content and in quoted attribute values alike. */
  static String html(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            escaped.append(' ');
          } else {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }

  /** An SVG coordinate or CSS length: at most one decimal. */
  static String n(double value) {
    long tenths = Math.round(value * 10);
    return tenths % 10 == 0
        ? Long.toString(tenths / 10)
        : (tenths < 0 && tenths > -10 ? "-" : "") + (tenths / 10) + "." + Math.abs(tenths % 10);
  }

  /** Text cut to at most {@code max} characters, the cut marked with an ellipsis. */
  static String truncate(String text, int max) {
    if (text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
  }

  /**
   * About how wide text is in a sans-serif font of {@code size} px, erring wide: the advance widths
   * of DejaVu Sans (the widest common fallback), bold ones an eighth wider.
   */
  static double textWidth(String text, double size, boolean bold) {
    double em = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      em += advance(c);
    }
    return Math.ceil(em * size * (bold ? 1.12 : 1.0));
  }

  private static double advance(int c) {
    if (c >= '0' && c <= '9') {
      return 0.64;
    }
    if (c >= 'A' && c <= 'Z') {
      return switch (c) {
        case 'I', 'J' -> 0.32;
        case 'M', 'W' -> 0.95;
        default -> 0.72;
      };
    }
    if (c >= 'a' && c <= 'z') {
      return switch (c) {
        case 'i', 'j', 'l' -> 0.28;
        case 'f', 't' -> 0.4;
        case 'r' -> 0.42;
        case 'm' -> 0.98;
        case 'w' -> 0.82;
        default -> 0.62;
      };
    }
    return switch (c) {
      case ' ', '.', ',', ':', ';', '\'', '!', '|', '·' -> 0.32;
      case '(', ')', '[', ']', '{', '}', '/', '\\', '-' -> 0.4;
      case '%', '@', '&' -> 0.95;
      case '×', '✓', '✗', '→', '↳', '…' -> 0.84;
      default -> c < 0x2000 ? 0.7 : 1.0;
    };
  }

  private static String decimal(double value, int decimals) {
    DecimalFormat format =
        new DecimalFormat(decimals == 0 ? "#,##0" : "#,##0." + "#".repeat(decimals), SYMBOLS);
    format.setRoundingMode(RoundingMode.HALF_UP);
    String text = format.format(BigDecimal.valueOf(value));
    return text.equals("-0") ? "0" : text;
  }
}
