package dev.tracelake.functions.compaction;

import dev.tracelake.compaction.CompactionSettings;
import dev.tracelake.compaction.RetentionPolicy;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.api.GoDuration;
import dev.tracelake.query.report.SloPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The compaction function's settings, from its environment (the stack sets them; the README lists
 * them).
 *
 * @param bucket the span bucket
 * @param indexTable the trace index table, when there is one
 * @param spansPrefix key prefix of span objects
 * @param lookback how far back each run looks for hours to compact
 * @param compaction grace, retirement, object and row group sizes, DuckDB's resources, retention,
 *     and the expiry ({@code TRACELAKE_RETENTION_DAYS}, which the index items it writes get too)
 * @param region the AWS region, when not the SDK's default
 * @param s3Endpoint another S3 endpoint (an emulator)
 * @param dynamoDbEndpoint another DynamoDB endpoint (an emulator)
 */
record CompactionConfig(
    String bucket,
    Optional<String> indexTable,
    String spansPrefix,
    Duration lookback,
    CompactionSettings compaction,
    Optional<String> region,
    Optional<URI> s3Endpoint,
    Optional<URI> dynamoDbEndpoint) {

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  static CompactionConfig fromEnvironment(Map<String, String> environment) {
    Env env = new Env(environment);
    String bucket =
        env.text("TRACELAKE_BUCKET")
            .orElseThrow(() -> new IllegalArgumentException("TRACELAKE_BUCKET is not set"));
    Path work = Path.of(env.text("TRACELAKE_DUCKDB_WORK_DIR").orElse("/tmp/tracelake-compaction"));
    CompactionSettings defaults = CompactionSettings.defaults(work);
    // Lambda's memory is the function's; give DuckDB half, as the query function does.
    String memoryLimit =
        env.text("TRACELAKE_DUCKDB_MEMORY_LIMIT")
            .orElse(
                env.text("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
                    .map(mb -> Integer.parseInt(mb) / 2 + "MB")
                    .orElse(defaults.database().memoryLimit()));
    SpanDatabase.Settings database =
        new SpanDatabase.Settings(
            env.number("TRACELAKE_DUCKDB_THREADS")
                .map(Math::toIntExact)
                .orElse(Runtime.getRuntime().availableProcessors()),
            memoryLimit,
            work);
    return new CompactionConfig(
        bucket,
        env.text("TRACELAKE_INDEX_TABLE"),
        env.text("TRACELAKE_SPANS_PREFIX").orElse("spans"),
        env.duration("TRACELAKE_COMPACTION_LOOKBACK").orElse(Duration.ofHours(48)),
        new CompactionSettings(
            env.duration("TRACELAKE_COMPACTION_GRACE").orElse(defaults.grace()),
            env.duration("TRACELAKE_COMPACTION_RETIRE_AFTER").orElse(defaults.retireAfter()),
            env.number("TRACELAKE_COMPACTION_SPANS_PER_OBJECT").orElse(defaults.spansPerObject()),
            defaults.rowGroupSpans(),
            database,
            retention(env),
            Duration.ofDays(env.number("TRACELAKE_RETENTION_DAYS").orElse(30L)),
            env.number("TRACELAKE_COMPACTION_OBJECTS_PER_MERGE")
                .map(Math::toIntExact)
                .orElse(CompactionSettings.DEFAULT_OBJECTS_PER_MERGE)),
        env.text("TRACELAKE_AWS_REGION"),
        env.text("TRACELAKE_AWS_S3_ENDPOINT").map(URI::create),
        env.text("TRACELAKE_AWS_DYNAMODB_ENDPOINT").map(URI::create));
  }

  /** Tail-based retention, off unless {@code TRACELAKE_RETENTION_HOT} is set. */
  private static RetentionPolicy retention(Env env) {
    try {
      return new RetentionPolicy(
          env.duration("TRACELAKE_RETENTION_HOT").orElse(null),
          env.text("TRACELAKE_SLO").map(SloPolicy::parse).orElse(SloPolicy.defaults()),
          RetentionPolicy.attributes(
              env.text("TRACELAKE_RETENTION_KEEP_ATTRIBUTES")
                  .map(rules -> List.of(rules.split(",")))
                  .orElse(List.of())),
          env.text("TRACELAKE_RETENTION_SAMPLE")
              .map(Double::parseDouble)
              .orElse(RetentionPolicy.DEFAULT_SAMPLE_RATE));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "retention settings (TRACELAKE_RETENTION_*, TRACELAKE_SLO): " + e.getMessage(), e);
    }
  }

  /** Variables by type, with the variable's name in every error. */
  private record Env(Map<String, String> values) {
    Optional<String> text(String name) {
      return Optional.ofNullable(values.get(name)).filter(value -> !value.isBlank());
    }

    Optional<Long> number(String name) {
      try {
        return text(name).map(Long::parseLong);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a whole number: " + values.get(name));
      }
    }

    Optional<Duration> duration(String name) {
      try {
        return text(name).map(text -> Duration.ofNanos(GoDuration.parseNanos(text)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            name + " must be a duration such as 30m or 48h: " + e.getMessage());
      }
    }
  }
}
