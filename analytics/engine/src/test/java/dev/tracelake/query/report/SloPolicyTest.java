package dev.tracelake.query.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SloPolicyTest {
  @Test
  void anEmptyFileMeansTheDefaults() {
    assertThat(SloPolicy.parse("")).isEqualTo(SloPolicy.defaults());
  }

  @Test
  void yamlAndJsonReadTheSame() {
    SloPolicy yaml =
        SloPolicy.parse(
            """
            defaults:
              availability: 0.995
            services:
              checkout:
                latency_p95_ms: 800
                operations:
                  "POST /api/checkout": {latency_p95_ms: 1500}
            alerting:
              hold: 10m
              rules:
                - {kind: errors, long: 1h, short: 5m, burn_rate: 14.4}
            """);
    SloPolicy json =
        SloPolicy.parse(
            """
            {"defaults": {"availability": 0.995},
             "services": {"checkout": {"latency_p95_ms": 800,
               "operations": {"POST /api/checkout": {"latency_p95_ms": 1500}}}},
             "alerting": {"hold": "10m",
               "rules": [{"kind": "errors", "long": "1h", "short": "5m", "burn_rate": 14.4}]}}
            """);

    assertThat(yaml).isEqualTo(json);
    assertThat(yaml.objectives())
        .containsExactly(
            new SloPolicy.Objective(null, null, 0.995, SloPolicy.DEFAULT_LATENCY_P95_MS),
            new SloPolicy.Objective("checkout", null, null, 800.0),
            new SloPolicy.Objective("checkout", "POST /api/checkout", null, 1500.0));
    assertThat(yaml.hold()).isEqualTo(Duration.ofMinutes(10));
    assertThat(yaml.longestWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(yaml.objectivesJson())
        .isEqualTo(
            "[{\"service\":null,\"operation\":null,\"availability\":0.995,\"latency_ms\":500.0},"
                + "{\"service\":\"checkout\",\"operation\":null,\"availability\":null,"
                + "\"latency_ms\":800.0},{\"service\":\"checkout\",\"operation\":\"POST"
                + " /api/checkout\",\"availability\":null,\"latency_ms\":1500.0}]");
  }

  @Test
  void mistakesAreNamedWithWhereTheyAre() {
    assertThatThrownBy(() -> SloPolicy.parse("services: {checkout: {availabilty: 0.99}}"))
        .hasMessageContaining("services.checkout has an unknown key 'availabilty'");
    assertThatThrownBy(() -> SloPolicy.parse("defaults: {availability: 99.9}"))
        .hasMessageContaining("availability is a share between 0 and 1 exclusive, e.g. 0.999");
    assertThatThrownBy(() -> SloPolicy.parse("defaults: {latency_p95_ms: fast}"))
        .hasMessageContaining("defaults.latency_p95_ms is a number, not 'fast'");
    assertThatThrownBy(
            () ->
                SloPolicy.parse(
                    "alerting: {rules: [{kind: outage, long: 1h, short: 5m, burn_rate: 2}]}"))
        .hasMessageContaining("an incident kind is errors or latency, not 'outage'");
    assertThatThrownBy(
            () ->
                SloPolicy.parse(
                    "alerting: {rules: [{kind: errors, long: 5m, short: 1h, burn_rate: 2}]}"))
        .hasMessageContaining("the long one at least as long as the short one");
    assertThatThrownBy(() -> SloPolicy.parse("alerting: {rules: [{kind: errors, long: 1h}]}"))
        .hasMessageContaining("alerting.rules[0] needs short");
    assertThatThrownBy(() -> SloPolicy.parse("defaults: [1, 2"))
        .hasMessageContaining("not YAML or JSON");
  }
}
