package dev.tracelake.cli;

import dev.tracelake.index.DynamoDbTraceIndex;
import dev.tracelake.index.DynamoDbTraceIndexReader;
import dev.tracelake.index.TraceIndex;
import dev.tracelake.index.TraceIndexReader;
import dev.tracelake.query.FetchProgress;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.ObjectCache;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.S3SpanSource;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.SpanSource;
import dev.tracelake.query.report.SloPolicy;
import dev.tracelake.storage.AwsClients;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.ObjectStore;
import dev.tracelake.storage.S3ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where spans are stored: a local directory by default, or an S3 bucket and a DynamoDB table (real
 * AWS, LocalStack or the emulators). Every option can also come from a TRACELAKE_* variable.
 */
public final class StorageOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--data",
      defaultValue = "${env:TRACELAKE_DATA:-./data}",
      description =
          "Local data directory, used when no --bucket is given (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--bucket",
      defaultValue = "${env:TRACELAKE_BUCKET}",
      description = "S3 bucket for span objects, instead of --data.")
  String bucket;

  @Option(
      names = "--index-table",
      defaultValue = "${env:TRACELAKE_INDEX_TABLE}",
      description = "DynamoDB table of the trace index (with --bucket).")
  String indexTable;

  @Option(
      names = "--spans-prefix",
      defaultValue = "${env:TRACELAKE_SPANS_PREFIX:-spans}",
      description = "Key prefix of span objects (default: ${DEFAULT-VALUE}).")
  String spansPrefix;

  @Option(
      names = "--region",
      defaultValue = "${env:TRACELAKE_AWS_REGION}",
      description = "AWS region (default: the SDK's, e.g. AWS_REGION).")
  String region;

  @Option(
      names = "--s3-endpoint",
      defaultValue = "${env:TRACELAKE_AWS_S3_ENDPOINT}",
      description = "S3 endpoint, e.g. http://127.0.0.1:4566 for LocalStack.")
  URI s3Endpoint;

  @Option(
      names = "--dynamodb-endpoint",
      defaultValue = "${env:TRACELAKE_AWS_DYNAMODB_ENDPOINT}",
      description = "DynamoDB endpoint, e.g. http://127.0.0.1:4566 for LocalStack.")
  URI dynamodbEndpoint;

  @Option(
      names = "--cache-dir",
      defaultValue = "${env:TRACELAKE_CACHE_DIR:-${sys:user.home}/.cache/tracelake/objects}",
      description =
          "Where span objects fetched from S3 are kept for queries (default: ${DEFAULT-VALUE}).")
  Path cacheDirectory;

  @Option(
      names = "--cache-size",
      defaultValue = "${env:TRACELAKE_CACHE_SIZE:-2GB}",
      converter = ByteSizeConverter.class,
      description = "The most the cache may hold, e.g. 500MB, 2GB (default: ${DEFAULT-VALUE}).")
  long cacheSize;

  @Option(
      names = "--retention-days",
      defaultValue = "${env:TRACELAKE_RETENTION_DAYS:-30}",
      description =
          "Days after their hour that trace index items expire, as the bucket's lifecycle and"
              + " compaction's --expire-after say (default: ${DEFAULT-VALUE}).")
  int retentionDays;

  ObjectStore objectStore() {
    if (bucket == null) {
      return new LocalDirectoryObjectStore(data);
    }
    return new S3ObjectStore(
        AwsClients.s3(Optional.ofNullable(region), Optional.ofNullable(s3Endpoint)), bucket);
  }

  /** Where spans are, for people. */
  String location() {
    return bucket == null
        ? data.toAbsolutePath() + "/" + spansPrefix
        : "s3://" + bucket + "/" + spansPrefix;
  }

  /**
   * Where queries read spans from: the same place {@link #objectStore()} writes them. From S3,
   * objects are fetched into the local cache, with progress on stderr when it takes a while.
   */
  SpanSource spanSource() {
    SpanObjectKeys keys = new SpanObjectKeys(spansPrefix);
    if (bucket == null) {
      return new LocalSpanSource(data, keys);
    }
    Optional<TraceIndexReader> index =
        Optional.ofNullable(indexTable)
            .map(
                table ->
                    new DynamoDbTraceIndexReader(
                        AwsClients.dynamoDb(
                            Optional.ofNullable(region), Optional.ofNullable(dynamodbEndpoint)),
                        table));
    return new S3SpanSource(
        AwsClients.s3(Optional.ofNullable(region), Optional.ofNullable(s3Endpoint)),
        bucket,
        keys,
        index,
        new ObjectCache(cacheDirectory, cacheSize),
        FetchProgress.to(spec.commandLine().getErr()));
  }

  /** The query engine over {@link #spanSource()}, with DuckDB's scratch space in a temp dir. */
  QueryEngine queryEngine() throws IOException {
    return queryEngine(SloPolicy.defaults());
  }

  /** The query engine, whose API reports measure against the policy. */
  QueryEngine queryEngine(SloPolicy policy) throws IOException {
    Path work = Files.createTempDirectory("tracelake-duckdb-");
    // The database empties it when closed; the JVM removes it on the way out.
    work.toFile().deleteOnExit();
    return QueryEngine.open(spanSource(), SpanDatabase.Settings.defaults(work), policy);
  }

  /** Sizes such as 500MB or 2GB (powers of 1024), or a number of bytes. */
  static final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
    private static final Pattern SIZE =
        Pattern.compile("(\\d+)\\s*([KMGT]?)B?", Pattern.CASE_INSENSITIVE);

    @Override
    public Long convert(String text) {
      Matcher size = SIZE.matcher(text.trim());
      if (!size.matches()) {
        throw new CommandLine.TypeConversionException(
            "'" + text + "' is not a size: use e.g. 500MB or 2GB");
      }
      int power = "KMGT".indexOf(size.group(2).toUpperCase(Locale.ROOT)) + 1;
      return Long.parseLong(size.group(1)) << (10 * power);
    }
  }

  TraceIndex traceIndex() {
    if (bucket == null || indexTable == null) {
      return TraceIndex.NONE;
    }
    return new DynamoDbTraceIndex(
        AwsClients.dynamoDb(Optional.ofNullable(region), Optional.ofNullable(dynamodbEndpoint)),
        indexTable,
        Duration.ofDays(retentionDays));
  }
}
