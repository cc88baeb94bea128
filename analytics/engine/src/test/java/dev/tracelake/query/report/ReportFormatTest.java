package dev.tracelake.query.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Numbers, durations and times as the renderings write them. */
class ReportFormatTest {
  @Test
  void percentagesKeepTheDigitsThatMatter() {
    assertThat(ReportFormat.percent(0.9995)).isEqualTo("99.95%");
    assertThat(ReportFormat.percent(0.99999)).isEqualTo("99.999%");
    assertThat(ReportFormat.percent(1)).isEqualTo("100%");
    assertThat(ReportFormat.percent(0)).isEqualTo("0%");
    assertThat(ReportFormat.percent(0.00001)).isEqualTo("<0.01%");
    assertThat(ReportFormat.percent(0.005)).isEqualTo("0.5%");
    assertThat(ReportFormat.percent(0.1234)).isEqualTo("12.3%");
    assertThat(ReportFormat.percent(66.7419)).isEqualTo("6,674%");
    assertThat(ReportFormat.percent(Double.NaN)).isEqualTo("—");
  }

  @Test
  void millisecondsHaveOneDecimalAtMost() {
    assertThat(ReportFormat.ms(12.34)).isEqualTo("12.3 ms");
    assertThat(ReportFormat.ms(1450)).isEqualTo("1,450 ms");
    assertThat(ReportFormat.ms(0.04)).isEqualTo("<0.1 ms");
    assertThat(ReportFormat.ms(0)).isEqualTo("0 ms");
  }

  @Test
  void durationsUseTheTwoLargestUnits() {
    assertThat(ReportFormat.duration(270.0)).isEqualTo("4m 30s");
    assertThat(ReportFormat.duration(45L)).isEqualTo("45s");
    assertThat(ReportFormat.duration(0L)).isEqualTo("0s");
    assertThat(ReportFormat.duration(900L)).isEqualTo("15m");
    assertThat(ReportFormat.duration(3_900L)).isEqualTo("1h 5m");
    assertThat(ReportFormat.duration(183_600L)).isEqualTo("2d 3h");
    assertThat(ReportFormat.duration((Double) null)).isEqualTo("—");
  }

  @Test
  void windowsAndTimesAreUtc() {
    Instant from = Instant.parse("2026-11-26T14:00:00Z");
    Instant to = Instant.parse("2026-11-26T15:00:00Z");
    assertThat(ReportFormat.window(from, to)).isEqualTo("2026-11-26 14:00 – 15:00 UTC");
    assertThat(ReportFormat.window(from, Instant.parse("2026-11-27T02:00:30Z")))
        .isEqualTo("2026-11-26 14:00:00 – 2026-11-27 02:00:30 UTC");
    assertThat(ReportFormat.time(from.plusSeconds(600), from, to)).isEqualTo("14:10");
    assertThat(ReportFormat.time(from.minusSeconds(16 * 3_600), from, to))
        .isEqualTo("2026-11-25 22:00");
  }

  @Test
  void htmlEscapesMarkupAndQuotes() {
    assertThat(ReportFormat.html("<a href='x'>&\"</a>"))
        .isEqualTo("&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  }
}
