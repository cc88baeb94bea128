package dev.tracelake.cli;

import dev.tracelake.index.DynamoDbTraceIndex;
import dev.tracelake.index.TraceIndex;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.SpanSource;
import dev.tracelake.storage.AwsClients;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.ObjectStore;
import dev.tracelake.storage.S3ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
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
      names = "--retention-days",
      defaultValue = "${env:TRACELAKE_RETENTION_DAYS:-30}",
      description = "Days before trace index items expire (default: ${DEFAULT-VALUE}).")
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

  /** Where queries read spans from: the same place {@link #objectStore()} writes them. */
  SpanSource spanSource() {
    if (bucket != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "querying S3 (--bucket) is not available yet: use --data");
    }
    return new LocalSpanSource(data, new SpanObjectKeys(spansPrefix));
  }

  /** The query engine over {@link #spanSource()}, with DuckDB's scratch space in a temp dir. */
  QueryEngine queryEngine() throws IOException {
    Path work = Files.createTempDirectory("tracelake-duckdb-");
    return QueryEngine.open(spanSource(), SpanDatabase.Settings.defaults(work));
  }

  TraceIndex traceIndex() {
    if (bucket == null || indexTable == null) {
      return TraceIndex.NONE;
    }
    return new DynamoDbTraceIndex(
        AwsClients.dynamoDb(Optional.ofNullable(region), Optional.ofNullable(dynamodbEndpoint)),
        indexTable,
        Duration.ofDays(retentionDays),
        Clock.systemUTC());
  }
}
