package dev.tracelake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.index.DynamoDbTraceIndex;
import dev.tracelake.index.DynamoDbTraceIndexReader;
import dev.tracelake.index.ServiceOperation;
import dev.tracelake.spans.SpanRow;
import dev.tracelake.spans.StoredSpan;
import dev.tracelake.storage.AwsClients;
import dev.tracelake.storage.S3ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.testing.ConformanceData;
import dev.tracelake.testing.OtlpFiles;
import dev.tracelake.testing.ParquetSpanReader;
import dev.tracelake.testing.S3SpanObjects;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The ingest path end to end over the real S3 and DynamoDB wire protocols: objects, index items,
 * retries and faults. Each subclass supplies the endpoints (the open-source emulators here, and
 * LocalStack where Docker runs); each test writes under a prefix of its own.
 */
abstract class AwsIngestContract {
  static final String REGION = "us-east-1";
  static final String BUCKET = "tracelake-test";
  static final String TABLE = "tracelake-trace-index";
  static final Duration RETENTION = Duration.ofDays(30);
  private static final Pattern PARTITION =
      Pattern.compile("/dt=(\\d{4}-\\d{2}-\\d{2})/hour=(\\d{2})/");

  @TempDir Path downloads;

  private S3Client s3;
  private DynamoDbClient dynamo;
  private SpanObjectKeys keys;

  abstract URI s3Endpoint();

  abstract URI dynamoDbEndpoint();

  /** The access key and secret the endpoints accept, as {@code {key, secret}}. */
  abstract String[] credentials();

  @BeforeEach
  void provision() {
    // The production clients take credentials from the SDK's default chain, which reads these.
    System.setProperty("aws.accessKeyId", credentials()[0]);
    System.setProperty("aws.secretAccessKey", credentials()[1]);
    s3 = AwsClients.s3(Optional.of(REGION), Optional.of(s3Endpoint()));
    dynamo = AwsClients.dynamoDb(Optional.of(REGION), Optional.of(dynamoDbEndpoint()));
    if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(BUCKET))) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
    try {
      dynamo.createTable(
          t ->
              t.tableName(TABLE)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      attribute(DynamoDbTraceIndex.TRACE_ID),
                      attribute(DynamoDbTraceIndex.OBJECT_KEY))
                  .keySchema(
                      key(DynamoDbTraceIndex.TRACE_ID, KeyType.HASH),
                      key(DynamoDbTraceIndex.OBJECT_KEY, KeyType.RANGE)));
      dynamo.waiter().waitUntilTableExists(t -> t.tableName(TABLE));
    } catch (ResourceInUseException alreadyThere) {
      // Created by an earlier test.
    }
    keys = new SpanObjectKeys("spans-" + UUID.randomUUID());
  }

  @Test
  void everyConformanceFileRoundTripsThroughS3() {
    OtlpHttpEndpoint endpoint = endpoint(dynamo);
    List<StoredSpan> expected = new ArrayList<>();
    for (Path file : ConformanceData.allOtlpJsonFiles()) {
      assertThat(endpoint.export("application/json", null, OtlpFiles.bytes(file)).status())
          .isEqualTo(200);
      expected.addAll(StoredSpan.of(OtlpFiles.request(file)));
    }

    assertThat(downloadAll())
        .extracting(ParquetSpanReader.Row::span)
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void theIndexLocatesAndSummarizesEveryTrace() {
    OtlpHttpEndpoint endpoint = endpoint(dynamo);
    List<SpanRowLite> spans = new ArrayList<>();
    for (Path file : ConformanceData.jaegerTraces()) {
      endpoint.export("application/json", null, OtlpFiles.bytes(file));
      for (StoredSpan span : StoredSpan.of(OtlpFiles.request(file))) {
        spans.add(SpanRowLite.of(span));
      }
    }
    Set<String> objects = objectKeys();

    Map<String, List<SpanRowLite>> byTrace =
        spans.stream().collect(Collectors.groupingBy(SpanRowLite::traceId));
    for (Map.Entry<String, List<SpanRowLite>> trace : byTrace.entrySet()) {
      List<Map<String, AttributeValue>> items = indexItems(trace.getKey());
      assertThat(items).as(trace.getKey()).isNotEmpty();
      for (Map<String, AttributeValue> item : items) {
        String objectKey = item.get(DynamoDbTraceIndex.OBJECT_KEY).s();
        assertThat(objects).contains(objectKey);
        // Items expire RETENTION after the end of their object's hour partition, as compaction
        // expires the partition: span time, not write time.
        Matcher partition = PARTITION.matcher(objectKey);
        assertThat(partition.find()).as(objectKey).isTrue();
        Instant hourEnd =
            LocalDate.parse(partition.group(1))
                .atStartOfDay(ZoneOffset.UTC)
                .plusHours(Integer.parseInt(partition.group(2)) + 1)
                .toInstant();
        assertThat(Long.parseLong(item.get(DynamoDbTraceIndex.EXPIRES_AT).n()))
            .isEqualTo(hourEnd.plus(RETENTION).getEpochSecond());
      }
      TraceSummary expected = TraceSummary.ofSpans(trace.getValue());
      TraceSummary indexed = TraceSummary.ofItems(items);
      assertThat(indexed)
          .as(trace.getKey())
          .usingRecursiveComparison()
          .ignoringFields("rootNames")
          .isEqualTo(expected);
      // One root per object is kept; a fixture may have several parentless spans in one object.
      assertThat(expected.rootNames()).containsAll(indexed.rootNames());
      assertThat(indexed.rootNames().isEmpty()).isEqualTo(expected.rootNames().isEmpty());
    }
  }

  @Test
  void theCatalogRecordsEveryOperationIngested() {
    OtlpHttpEndpoint endpoint = endpoint(dynamo);
    Set<ServiceOperation> expected = new HashSet<>();
    for (Path file : ConformanceData.jaegerTraces()) {
      assertThat(endpoint.export("application/json", null, OtlpFiles.bytes(file)).status())
          .isEqualTo(200);
      for (StoredSpan span : StoredSpan.of(OtlpFiles.request(file))) {
        expected.add(
            new ServiceOperation(
                SpanRowLite.of(span).service(), span.span().getName(), span.span().getKindValue()));
      }
    }

    assertThat(new DynamoDbTraceIndexReader(dynamo, TABLE).operations(keys.prefix()))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  /** What the index says of a whole trace, merged over its items, or what it should say. */
  record TraceSummary(
      int spans, long start, long end, Set<String> services, boolean error, Set<String> rootNames) {
    static TraceSummary ofSpans(List<SpanRowLite> spans) {
      return new TraceSummary(
          spans.size(),
          spans.stream().mapToLong(SpanRowLite::start).min().orElseThrow(),
          spans.stream().mapToLong(SpanRowLite::end).max().orElseThrow(),
          spans.stream().map(SpanRowLite::service).collect(Collectors.toCollection(TreeSet::new)),
          spans.stream().anyMatch(SpanRowLite::error),
          spans.stream()
              .filter(SpanRowLite::root)
              .map(SpanRowLite::name)
              .collect(Collectors.toCollection(TreeSet::new)));
    }

    static TraceSummary ofItems(List<Map<String, AttributeValue>> items) {
      return new TraceSummary(
          items.stream()
              .mapToInt(i -> Integer.parseInt(i.get(DynamoDbTraceIndex.SPAN_COUNT).n()))
              .sum(),
          items.stream()
              .mapToLong(i -> Long.parseLong(i.get(DynamoDbTraceIndex.START_UNIX_NANO).n()))
              .min()
              .orElseThrow(),
          items.stream()
              .mapToLong(i -> Long.parseLong(i.get(DynamoDbTraceIndex.END_UNIX_NANO).n()))
              .max()
              .orElseThrow(),
          items.stream()
              .flatMap(i -> i.get(DynamoDbTraceIndex.SERVICES).ss().stream())
              .collect(Collectors.toCollection(TreeSet::new)),
          items.stream().anyMatch(i -> i.get(DynamoDbTraceIndex.ERROR).bool()),
          items.stream()
              .filter(i -> i.containsKey(DynamoDbTraceIndex.ROOT_NAME))
              .map(i -> i.get(DynamoDbTraceIndex.ROOT_NAME).s())
              .collect(Collectors.toCollection(TreeSet::new)));
    }
  }

  @Test
  void aRetriedRequestIsStoredOnce() {
    OtlpHttpEndpoint endpoint = endpoint(dynamo);
    byte[] body = OtlpFiles.bytes(ConformanceData.otlpExample());
    assertThat(endpoint.export("application/json", null, body).status()).isEqualTo(200);
    Set<String> firstObjects = objectKeys();
    List<Map<String, AttributeValue>> firstItems = indexItems("5b8efff798038103d269b633813fc60c");

    assertThat(endpoint.export("application/json", "gzip", OtlpFiles.gzip(body)).status())
        .isEqualTo(200);

    assertThat(objectKeys()).isEqualTo(firstObjects).hasSize(1);
    assertThat(indexItems("5b8efff798038103d269b633813fc60c"))
        .hasSize(firstItems.size())
        .hasSize(1);
    assertThat(downloadAll()).hasSize(1);
  }

  @Test
  void whenS3IsDownTheExporterIsToldToRetryAndNoIndexItemIsWritten() {
    S3Client unreachable =
        AwsClients.s3(Optional.of(REGION), Optional.of(URI.create("http://127.0.0.1:9")));
    OtlpHttpEndpoint endpoint =
        new OtlpHttpEndpoint(
            new TraceIngester(new S3ObjectStore(unreachable, BUCKET), keys, index(dynamo)),
            IngestLimits.DEFAULT);

    OtlpHttpEndpoint.Reply reply =
        endpoint.export("application/json", null, OtlpFiles.bytes(ConformanceData.otlpExample()));

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.retryAfterSeconds()).hasValue(IngestLimits.DEFAULT.retryAfterSeconds());
    assertThat(indexItems("5b8efff798038103d269b633813fc60c")).isEmpty();
  }

  @Test
  void unprocessedIndexItemsAreRetriedUntilStored() {
    UnprocessedItemsInjector injector = new UnprocessedItemsInjector(3);
    DynamoDbClient flaky =
        DynamoDbClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.of(REGION))
            .endpointOverride(dynamoDbEndpoint())
            .overrideConfiguration(c -> c.addExecutionInterceptor(injector))
            .build();
    OtlpHttpEndpoint endpoint = endpoint(flaky);
    // Every Jaeger fixture in one request: dozens of traces, so more than one index batch.
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    Set<String> traceIds = new TreeSet<>();
    for (Path fixture : ConformanceData.jaegerTraces()) {
      ExportTraceServiceRequest part = OtlpFiles.request(fixture);
      request.addAllResourceSpans(part.getResourceSpansList());
      StoredSpan.of(part).forEach(span -> traceIds.add(SpanRowLite.of(span).traceId()));
    }

    assertThat(
            endpoint.export("application/x-protobuf", null, request.build().toByteArray()).status())
        .isEqualTo(200);

    assertThat(injector.injected.get()).isEqualTo(3);
    for (String traceId : traceIds) {
      assertThat(indexItems(traceId)).as(traceId).isNotEmpty();
    }
  }

  private OtlpHttpEndpoint endpoint(DynamoDbClient dynamoDb) {
    return new OtlpHttpEndpoint(
        new TraceIngester(new S3ObjectStore(s3, BUCKET), keys, index(dynamoDb)),
        IngestLimits.DEFAULT);
  }

  private static DynamoDbTraceIndex index(DynamoDbClient dynamoDb) {
    return new DynamoDbTraceIndex(dynamoDb, TABLE, RETENTION);
  }

  private Set<String> objectKeys() {
    return S3SpanObjects.keys(s3, BUCKET, keys.prefix() + "/");
  }

  private List<ParquetSpanReader.Row> downloadAll() {
    return S3SpanObjects.read(s3, BUCKET, keys.prefix() + "/", downloads);
  }

  /** The index items of a trace written by this test (other tests use other prefixes). */
  private List<Map<String, AttributeValue>> indexItems(String traceId) {
    return dynamo
        .query(
            q ->
                q.tableName(TABLE)
                    .keyConditionExpression("#t = :t AND begins_with(#o, :p)")
                    .expressionAttributeNames(
                        Map.of(
                            "#t", DynamoDbTraceIndex.TRACE_ID, "#o", DynamoDbTraceIndex.OBJECT_KEY))
                    .expressionAttributeValues(
                        Map.of(
                            ":t",
                            AttributeValue.fromS(traceId),
                            ":p",
                            AttributeValue.fromS(keys.prefix() + "/"))))
        .items();
  }

  private static AttributeDefinition attribute(String name) {
    return AttributeDefinition.builder()
        .attributeName(name)
        .attributeType(ScalarAttributeType.S)
        .build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  /** The few facts of a span the index summarizes. */
  record SpanRowLite(
      String traceId,
      String service,
      String name,
      long start,
      long end,
      boolean error,
      boolean root) {
    static SpanRowLite of(StoredSpan stored) {
      Span span = stored.span();
      String service =
          stored.resource().getAttributesList().stream()
              .filter(a -> a.getKey().equals("service.name"))
              .map(a -> a.getValue().getStringValue())
              .findFirst()
              .orElse(SpanRow.UNKNOWN_SERVICE);
      return new SpanRowLite(
          HexFormat.of().formatHex(span.getTraceId().toByteArray()),
          service,
          span.getName(),
          span.getStartTimeUnixNano(),
          span.getEndTimeUnixNano(),
          span.getStatus().getCodeValue() == SpanRow.STATUS_ERROR,
          span.getParentSpanId().isEmpty());
    }
  }

  /**
   * Makes DynamoDB look overloaded: the first calls send only half of their items and report the
   * rest as UnprocessedItems, as DynamoDB does under throttling. The emulators never do this on
   * their own, so it is injected into the client here.
   */
  static final class UnprocessedItemsInjector implements ExecutionInterceptor {
    private static final ExecutionAttribute<List<WriteRequest>> HELD_BACK =
        new ExecutionAttribute<>("held-back");
    final AtomicInteger injected = new AtomicInteger();
    private final int times;

    UnprocessedItemsInjector(int times) {
      this.times = times;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
      if (context.request() instanceof BatchWriteItemRequest batch && injected.get() < times) {
        List<WriteRequest> writes = batch.requestItems().get(TABLE);
        if (writes.size() > 1) {
          injected.incrementAndGet();
          int half = writes.size() / 2;
          attributes.putAttribute(HELD_BACK, writes.subList(half, writes.size()));
          return batch.toBuilder().requestItems(Map.of(TABLE, writes.subList(0, half))).build();
        }
      }
      return context.request();
    }

    @Override
    public SdkResponse modifyResponse(
        Context.ModifyResponse context, ExecutionAttributes attributes) {
      List<WriteRequest> heldBack = attributes.getAttribute(HELD_BACK);
      if (heldBack != null && context.response() instanceof BatchWriteItemResponse response) {
        return response.toBuilder().unprocessedItems(Map.of(TABLE, heldBack)).build();
      }
      return context.response();
    }
  }
}
