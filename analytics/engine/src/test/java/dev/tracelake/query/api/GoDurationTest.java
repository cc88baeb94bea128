package dev.tracelake.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "4500ns, 4500",
    "2ms, 2000000",
    "1.5s, 1500000000",
    "300us, 300000",
    "300µs, 300000",
    "1h2m3s, 3723000000000",
    ".5ms, 500000"
  })
  void parsesGoDurations(String text, long nanos) {
    assertThat(GoDuration.parseNanos(text)).isEqualTo(nanos);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "5", "-1s", "1.5", "2 ms", "1sx", "ms"})
  void refusesAnythingElse(String text) {
    assertThatThrownBy(() -> GoDuration.parseNanos(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a duration");
  }
}
