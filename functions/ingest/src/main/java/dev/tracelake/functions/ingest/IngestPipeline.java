package dev.tracelake.functions.ingest;

import dev.tracelake.index.DynamoDbTraceIndex;
import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.ingest.OtlpHttpEndpoint;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.storage.AwsClients;
import dev.tracelake.storage.S3ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;

/** Assembles the core's ingest path from the function's configuration, once per container. */
@ApplicationScoped
public class IngestPipeline {

  @Produces
  @ApplicationScoped
  OtlpHttpEndpoint endpoint(IngestConfig config) {
    IngestConfig.Aws aws = config.aws();
    TraceIngester ingester =
        new TraceIngester(
            new S3ObjectStore(AwsClients.s3(aws.region(), aws.s3Endpoint()), config.bucket()),
            new SpanObjectKeys(config.spansPrefix()),
            new DynamoDbTraceIndex(
                AwsClients.dynamoDb(aws.region(), aws.dynamodbEndpoint()),
                config.indexTable(),
                Duration.ofDays(config.retentionDays())));
    IngestConfig.Limits limits = config.limits();
    return new OtlpHttpEndpoint(
        ingester,
        new IngestLimits(
            limits.maxBodyBytes(), limits.maxDecompressedBytes(), limits.retryAfterSeconds()));
  }
}
