package dev.tracelake.functions.ingest;

import dev.tracelake.ingest.IngestLimits;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/** The ingest function's settings, under {@code tracelake.*} (environment: {@code TRACELAKE_*}). */
@ConfigMapping(prefix = "tracelake")
public interface IngestConfig {
  /** The bucket span objects go to. */
  String bucket();

  /** The key prefix of span objects in the bucket. */
  @WithDefault("spans")
  String spansPrefix();

  /** The DynamoDB table of the trace index. */
  String indexTable();

  /**
   * Days after their spans' hour that index items expire; compaction expires the hour's objects
   * then (the stack sets both from one setting).
   */
  @WithDefault("30")
  int retentionDays();

  /** Limits on one request. */
  Limits limits();

  /** Where AWS is: defaults to the SDK's chain; endpoints for LocalStack or emulators. */
  Aws aws();

  /** Request limits. */
  interface Limits {
    /** Largest body as sent: Lambda's own payload limit. */
    @WithDefault("" + IngestLimits.DEFAULT_MAX_BODY_BYTES)
    int maxBodyBytes();

    /** Largest body once decompressed. */
    @WithDefault("" + IngestLimits.DEFAULT_MAX_DECOMPRESSED_BYTES)
    int maxDecompressedBytes();

    /** Seconds a 503 asks exporters to wait. */
    @WithDefault("" + IngestLimits.DEFAULT_RETRY_AFTER_SECONDS)
    int retryAfterSeconds();
  }

  /** AWS endpoints. */
  interface Aws {
    Optional<String> region();

    Optional<URI> s3Endpoint();

    Optional<URI> dynamodbEndpoint();
  }
}
