package dev.tracelake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** cdk-nag's AwsSolutions pack over every shape of the stack: nothing left but what is reasoned. */
class NagChecksTest {

  static Stream<TracelakeSettings> settings() {
    return Shapes.all().stream();
  }

  @ParameterizedTest
  @MethodSource("settings")
  void noUnsuppressedFindings(TracelakeSettings settings) {
    Synthesized stack = Synthesized.of(settings);

    assertThat(stack.errors().stream().map(m -> m.getId() + ": " + m.getEntry().getData()))
        .isEmpty();
    assertThat(stack.warnings().stream().map(m -> m.getId() + ": " + m.getEntry().getData()))
        .isEmpty();
  }

  @ParameterizedTest
  @MethodSource("settings")
  @SuppressWarnings("unchecked")
  void everySuppressionSaysWhy(TracelakeSettings settings) {
    Map<String, Object> resources =
        (Map<String, Object>) Synthesized.of(settings).json().get("Resources");
    List<Map<String, Object>> suppressions =
        resources.values().stream()
            .map(resource -> (Map<String, Object>) ((Map<String, Object>) resource).get("Metadata"))
            .filter(metadata -> metadata != null && metadata.get("cdk_nag") != null)
            .flatMap(
                metadata ->
                    ((List<Map<String, Object>>)
                            ((Map<String, Object>) metadata.get("cdk_nag"))
                                .get("rules_to_suppress"))
                        .stream())
            .collect(Collectors.toList());

    assertThat(suppressions).isNotEmpty();
    assertThat(suppressions)
        .allSatisfy(
            suppression -> {
              assertThat((String) suppression.get("id")).startsWith("AwsSolutions-");
              assertThat((String) suppression.get("reason")).hasSizeGreaterThan(40);
            });
  }
}
