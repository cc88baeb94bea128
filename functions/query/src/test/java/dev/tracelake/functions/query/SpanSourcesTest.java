package dev.tracelake.functions.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
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
  void aBucketIsRefusedUntilThereIsAnS3Source() {
    assertThatThrownBy(() -> SpanSources.of(config(Optional.empty(), Optional.of("traces"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot read S3 (tracelake.bucket=traces)");
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

  private static QueryConfig config(Optional<Path> dataDir, Optional<String> bucket) {
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
        return Path.of("/tmp/tracelake-cache");
      }

      @Override
      public long cacheMaxBytes() {
        return 1L << 31;
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
            return Optional.empty();
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
