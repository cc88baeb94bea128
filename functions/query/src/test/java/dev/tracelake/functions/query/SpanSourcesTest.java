package dev.tracelake.functions.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracelake.query.S3SpanSource;
import dev.tracelake.query.SpanSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A function instance starts only with exactly one place to read spans from. */
class SpanSourcesTest {
  @TempDir Path data;

  @Test
  void aDataDirectoryIsReadInPlace() {
    assertThat(SpanSources.of(config(Optional.of(data), Optional.empty())).location())
        .isEqualTo(data.resolve("spans").toString());
  }

  @Test
  void aBucketIsReadThroughTheCache() {
    try (SpanSource source = SpanSources.of(config(Optional.empty(), Optional.of("traces")))) {
      assertThat(source).isInstanceOf(S3SpanSource.class);
      assertThat(source.location()).isEqualTo("s3://traces/spans");
      assertThat(source.readableDirectories()).containsExactly(data.resolve("cache"));
    }
  }

  @Test
  void neitherOrBothIsAConfigurationError() {
    assertThatThrownBy(() -> SpanSources.of(config(Optional.empty(), Optional.empty())))
        .hasMessageContaining("set tracelake.bucket (TRACELAKE_BUCKET)");
    assertThatThrownBy(() -> SpanSources.of(config(Optional.of(data), Optional.of("traces"))))
        .hasMessageContaining("both tracelake.data-dir and tracelake.bucket are set");
  }

  @Test
  void aMissingDataDirectoryFailsRatherThanAnswerNothing() {
    Path missing = data.resolve("typo");
    assertThatThrownBy(() -> SpanSources.of(config(Optional.of(missing), Optional.empty())))
        .hasMessageContaining(missing + " is not a directory");
  }

  private QueryConfig config(Optional<Path> dataDir, Optional<String> bucket) {
    return new QueryConfig() {
      @Override
      public Optional<Path> dataDir() {
        return dataDir;
      }

      @Override
      public Optional<String> bucket() {
        return bucket;
      }

      @Override
      public String spansPrefix() {
        return "spans";
      }

      @Override
      public Optional<String> indexTable() {
        return Optional.empty();
      }

      @Override
      public Path cacheDir() {
        return data.resolve("cache");
      }

      @Override
      public long cacheMaxBytes() {
        return 1L << 31;
      }

      @Override
      public Optional<String> slo() {
        return Optional.empty();
      }

      @Override
      public Duration sqlTimeout() {
        return Duration.ofSeconds(25);
      }

      @Override
      public Duckdb duckdb() {
        return null;
      }

      @Override
      public Aws aws() {
        return new Aws() {
          @Override
          public Optional<String> region() {
            return Optional.of("us-east-1");
          }

          @Override
          public Optional<URI> s3Endpoint() {
            return Optional.empty();
          }

          @Override
          public Optional<URI> dynamodbEndpoint() {
            return Optional.empty();
          }
        };
      }
    };
  }
}
