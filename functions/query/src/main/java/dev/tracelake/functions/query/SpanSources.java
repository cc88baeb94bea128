package dev.tracelake.functions.query;

import dev.tracelake.index.DynamoDbTraceIndexReader;
import dev.tracelake.query.FetchProgress;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.ObjectCache;
import dev.tracelake.query.S3SpanSource;
import dev.tracelake.query.SpanSource;
import dev.tracelake.storage.AwsClients;
import dev.tracelake.storage.SpanObjectKeys;
import java.nio.file.Files;
import java.nio.file.Path;

/** The span source the configuration names: a local directory, or the bucket. */
final class SpanSources {
  private SpanSources() {}

  /**
   * The one source configured.
   *
   * @throws IllegalStateException when none or both are configured, so that start-up fails saying
   *     what to set
   */
  static SpanSource of(QueryConfig config) {
    if (config.dataDir().isPresent() && config.bucket().isPresent()) {
      throw new IllegalStateException(
          "both tracelake.data-dir and tracelake.bucket are set: the query function reads one");
    }
    if (config.dataDir().isPresent()) {
      return local(config.dataDir().get(), config);
    }
    if (config.bucket().isPresent()) {
      return s3(config.bucket().get(), config);
    }
    throw new IllegalStateException(
        "nothing to query: set tracelake.bucket (TRACELAKE_BUCKET), or tracelake.data-dir"
            + " (TRACELAKE_DATA_DIR) for a local directory");
  }

  /** Span objects in a local directory, read in place. */
  static SpanSource local(Path dataDir, QueryConfig config) {
    if (!Files.isDirectory(dataDir)) {
      // Without this check, a mistyped directory would answer every query with nothing.
      throw new IllegalStateException("tracelake.data-dir " + dataDir + " is not a directory");
    }
    return new LocalSpanSource(dataDir, new SpanObjectKeys(config.spansPrefix()));
  }

  /**
   * Span objects in the bucket, fetched into {@link QueryConfig#cacheDir()} and found by trace
   * through {@link QueryConfig#indexTable()} when one is configured.
   */
  static SpanSource s3(String bucket, QueryConfig config) {
    QueryConfig.Aws aws = config.aws();
    return new S3SpanSource(
        AwsClients.s3(aws.region(), aws.s3Endpoint()),
        bucket,
        new SpanObjectKeys(config.spansPrefix()),
        config
            .indexTable()
            .map(
                table ->
                    new DynamoDbTraceIndexReader(
                        AwsClients.dynamoDb(aws.region(), aws.dynamodbEndpoint()), table)),
        new ObjectCache(config.cacheDir(), config.cacheMaxBytes()),
        FetchProgress.NONE);
  }
}
