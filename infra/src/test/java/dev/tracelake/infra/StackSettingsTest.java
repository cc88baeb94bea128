package dev.tracelake.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The context a deployment gives, and what the app says when something is missing or wrong. */
class StackSettingsTest {

  @Test
  void contextValuesOverrideTheDefaults() {
    TracelakeSettings settings =
        settings(
            Map.of(
                "stackName", "Traces-Dev",
                "apiShape", "rest",
                "auth", "iam",
                "retentionDays", "7",
                "hotDays", "3",
                "compactionEveryMinutes", "20",
                "queryMemoryMb", 6144,
                "corsOrigins", "https://a.example.com, https://b.example.com",
                "functionTracing", "true",
                "bucketName", "acme-spans"));

    assertThat(settings.stackName()).isEqualTo("Traces-Dev");
    assertThat(settings.apiShape()).isEqualTo(TracelakeSettings.ApiShape.REST);
    assertThat(settings.auth()).isEqualTo(TracelakeSettings.Auth.IAM);
    assertThat(settings.retentionDays()).isEqualTo(7);
    assertThat(settings.hotDays()).contains(3);
    assertThat(settings.compactionEveryMinutes()).isEqualTo(20);
    assertThat(settings.queryMemoryMb()).isEqualTo(6144);
    assertThat(settings.ingestMemoryMb()).isEqualTo(1024);
    assertThat(settings.corsOrigins())
        .containsExactly("https://a.example.com", "https://b.example.com");
    assertThat(settings.functionTracing()).isTrue();
    assertThat(settings.bucketName()).contains("acme-spans");
    assertThat(settings.indexTableName()).isEmpty();
    assertThat(settings(Map.of("auth", "apiKey")).auth()).isEqualTo(TracelakeSettings.Auth.API_KEY);
    assertThat(settings(Map.of())).isEqualTo(TracelakeSettings.defaults());
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> settings(Map.of("apiShape", "graphql")))
        .hasMessage("context apiShape: 'graphql' is not one of [http, rest]");
    assertThatThrownBy(() -> settings(Map.of("retentionDays", "a month")))
        .hasMessageContaining("context retentionDays: 'a month' is not a number");
    assertThatThrownBy(() -> settings(Map.of("ingestMemoryMb", "128")))
        .hasMessage("context ingestMemoryMb: 128 is not in 512..10240");
    assertThatThrownBy(() -> settings(Map.of("retentionDays", "7", "hotDays", "7")))
        .hasMessage("context hotDays: 7 is not in 1..6");
    assertThatThrownBy(() -> settings(Map.of("compactionEveryMinutes", "7")))
        .hasMessage(
            "context compactionEveryMinutes: 7 does not divide an hour; use 5, 6, 10, 12, 15, 20,"
                + " 30 or 60");
    assertThatThrownBy(() -> settings(Map.of("compactionEveryMinutes", "2")))
        .hasMessage("context compactionEveryMinutes: 2 is not in 5..60");
  }

  @Test
  void aMissingFunctionPackageSaysHowToBuildIt(@TempDir Path root) {
    assertThatThrownBy(() -> FunctionArtifacts.inRepository(root))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("functions/ingest/target/function.zip is missing")
        .hasMessageContaining("./mvnw -B package -DskipTests -pl functions/ingest");
  }

  @Test
  void theGlueDatabaseIsNamedAfterTheStack() {
    TracelakeSettings d = TracelakeSettings.defaults();
    TracelakeSettings named =
        new TracelakeSettings(
            "Traces-Dev",
            d.apiShape(),
            d.auth(),
            d.retentionDays(),
            d.hotDays(),
            d.compactionEveryMinutes(),
            d.ingestMemoryMb(),
            d.queryMemoryMb(),
            List.of(),
            d.throttleRateLimit(),
            d.throttleBurstLimit(),
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty());
    assertThat(Synthesized.of(named).stack().getStackName()).isEqualTo("Traces-Dev");
    assertThat(
            StackSecurityTest.path(
                Synthesized.of(named).json(), "Outputs", "AthenaDatabase", "Value"))
        .isEqualTo("traces_dev");
  }

  private static TracelakeSettings settings(Map<String, Object> context) {
    return Shapes.fromContext(context);
  }
}
