package dev.tracelake.functions.query;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The query function's settings, under {@code tracelake.*} (environment: {@code TRACELAKE_*}).
 * Spans are read from exactly one place: a local directory ({@link #dataDir()}) or the bucket and
 * trace index the ingest function writes ({@link #bucket()}).
 */
@ConfigMapping(prefix = "tracelake")
public interface QueryConfig {
  /** A local directory with the bucket's key layout, instead of S3: for tests and local runs. */
  Optional<Path> dataDir();

  /** The bucket the ingest function writes span objects to. */
  Optional<String> bucket();

  /** The key prefix of span objects, in the bucket or under the data directory. */
  @WithDefault("spans")
  String spansPrefix();

  /** The DynamoDB table of the trace index, which finds a trace's objects without a scan. */
  Optional<String> indexTable();

  /** Where span objects fetched from S3 are kept between invocations of one function instance. */
  @WithDefault("/tmp/tracelake-cache")
  Path cacheDir();

  /**
   * How much of {@link #cacheDir()} the cache may fill: 2 GiB, for a function whose ephemeral
   * storage is raised to 3 GiB (Lambda's default /tmp of 512 MiB would need this lowered).
   */
  @WithDefault("2147483648")
  long cacheMaxBytes();

  /**
   * The objectives and alerting rules of the SLA and incident reports: an SLO document (YAML or
   * JSON, as {@code --slo} files are); the defaults when absent.
   */
  Optional<String> slo();

  /**
   * The statement timeout of {@code POST /api/sql}: below the function's own timeout (29 s, API
   * Gateway's), so that a runaway query is cancelled with a message that says so rather than cut
   * off by Lambda.
   */
  @WithDefault("25s")
  Duration sqlTimeout();

  /** DuckDB's resources. */
  Duckdb duckdb();

  /** Where AWS is: defaults to the SDK's chain; endpoints for LocalStack or emulators. */
  Aws aws();

  /** DuckDB's resources; its own defaults (every core, 80% of RAM) do not suit a function. */
  interface Duckdb {
    /** Worker threads per query; default: the processors the function has. */
    OptionalInt threads();

    /**
     * DuckDB's {@code memory_limit}, e.g. {@code 1GB}; default: half the function's memory, the
     * other half being the JVM's.
     */
    Optional<String> memoryLimit();

    /** DuckDB's scratch space: spills and its empty placeholder object. */
    @WithDefault("/tmp/tracelake-duckdb")
    Path workDir();
  }

  /** AWS endpoints. */
  interface Aws {
    Optional<String> region();

    Optional<URI> s3Endpoint();

    Optional<URI> dynamodbEndpoint();
  }
}
