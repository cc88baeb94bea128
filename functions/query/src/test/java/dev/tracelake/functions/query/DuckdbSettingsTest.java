package dev.tracelake.functions.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.query.SpanDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** DuckDB's resources follow the function's size unless configured. */
class DuckdbSettingsTest {
  private static final Path WORK = Path.of("/tmp/work");

  @Test
  void halfOfTheLambdaFunctionsMemoryByDefault() {
    SpanDatabase.Settings settings =
        QueryEngineProducer.settings(
            duckdb(OptionalInt.empty(), Optional.empty()),
            Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048"));

    assertThat(settings.memoryLimit()).isEqualTo("1024MB");
    assertThat(settings.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(settings.workDirectory()).isEqualTo(WORK);
  }

  @Test
  void halfOfTheMachinesMemoryOutsideLambda() {
    assertThat(QueryEngineProducer.defaultMemoryLimit(Map.of())).matches("[1-9][0-9]*MB");
  }

  @Test
  void configuredValuesWin() {
    SpanDatabase.Settings settings =
        QueryEngineProducer.settings(
            duckdb(OptionalInt.of(3), Optional.of("700MB")),
            Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048"));

    assertThat(settings.threads()).isEqualTo(3);
    assertThat(settings.memoryLimit()).isEqualTo("700MB");
  }

  private static QueryConfig.Duckdb duckdb(OptionalInt threads, Optional<String> memoryLimit) {
    return new QueryConfig.Duckdb() {
      @Override
      public OptionalInt threads() {
        return threads;
      }

      @Override
      public Optional<String> memoryLimit() {
        return memoryLimit;
      }

      @Override
      public Path workDir() {
        return WORK;
      }
    };
  }
}
