package dev.tracelake.functions.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.tracelake.index.DynamoDbTraceIndex;
import dev.tracelake.index.DynamoDbTraceIndexReader;
import dev.tracelake.index.TraceIndex;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.storage.PartitionManifest;
import dev.tracelake.storage.S3ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.SyntheticTraces;
import dev.tracelake.testing.AwsEmulators;
import dev.tracelake.testing.S3ProxyServer;
import dev.tracelake.testing.S3SpanObjects;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The function as Lambda calls it, configured from its environment, against S3 and DynamoDB over
 * HTTP (s3proxy and dynalite). Lambda's {@link Context} is a small stand-in: there is no Lambda
 * runtime here, and the handler reads only its remaining time and logger.
 */
class CompactionHandlerTest {
  private static final String BUCKET = "tracelake-compaction-function";
  private static final String TABLE = "tracelake-compaction-function-index";
  private static final Instant NOW = Instant.parse("2026-11-26T12:10:00Z");

  @RegisterExtension static final AwsEmulators AWS = new AwsEmulators(BUCKET, TABLE);

  @TempDir Path work;

  @Test
  void compactsTheClosedHoursOfItsLookbackAndLeavesTheOpenOne() {
    String prefix = "spans-" + UUID.randomUUID();
    SpanObjectKeys keys = new SpanObjectKeys(prefix);
    TraceIngester ingester =
        ingester(keys, new DynamoDbTraceIndex(AWS.dynalite().client(), TABLE, Duration.ofDays(1)));
    // 09:00 and 10:00 are closed at 12:10; 12:00 is still open; 2026-11-20 is beyond the lookback.
    List<Instant> hours =
        List.of(
            Instant.parse("2026-11-20T10:00:00Z"),
            Instant.parse("2026-11-26T09:00:00Z"),
            Instant.parse("2026-11-26T10:00:00Z"),
            Instant.parse("2026-11-26T12:00:00Z"));
    String traceOf10 = null;
    for (Instant hour : hours) {
      for (int i = 0; i < 5; i++) {
        ExportTraceServiceRequest request =
            SyntheticTraces.request(hour.getEpochSecond() + i, 20, hour);
        ingester.ingest(request, request.toByteArray());
        if (hour.equals(hours.get(2)) && i == 0) {
          traceOf10 = traceIdOf(request);
        }
      }
    }
    CompactionHandler handler =
        handler(
            prefix,
            Map.of(
                "TRACELAKE_INDEX_TABLE", TABLE,
                "TRACELAKE_AWS_DYNAMODB_ENDPOINT", AWS.dynalite().endpoint().toString(),
                "TRACELAKE_COMPACTION_LOOKBACK", "24h",
                "TRACELAKE_COMPACTION_RETIRE_AFTER", "0s",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048"));
    TestContext context = new TestContext(Duration.ofMinutes(15));

    String answer = handler.handleRequest(Map.of("source", "aws.events"), context);

    assertThat(answer).isEqualTo("2 of 3 hours compacted");
    assertThat(context.lines)
        .anyMatch(line -> line.startsWith("dt=2026-11-26/hour=09 COMPACTED: 5 objects -> 1"))
        .anyMatch(line -> line.startsWith("dt=2026-11-26/hour=12 OPEN"));
    assertThat(partitionKeys(prefix, "dt=2026-11-26/hour=10"))
        .hasSize(3) // the compacted object, its aggregates and the manifest
        .anyMatch(key -> key.endsWith(PartitionManifest.FILE_NAME))
        .anyMatch(key -> key.contains("/" + PartitionManifest.AGGREGATES_PREFIX));
    assertThat(partitionKeys(prefix, "dt=2026-11-26/hour=12")).hasSize(5);
    assertThat(partitionKeys(prefix, "dt=2026-11-20/hour=10")).hasSize(5);
    assertThat(new DynamoDbTraceIndexReader(AWS.dynalite().client(), TABLE).objectKeys(traceOf10))
        .singleElement()
        .matches(
            key -> key.contains("/dt=2026-11-26/hour=10/" + PartitionManifest.COMPACTED_PREFIX));
  }

  @Test
  void appliesRetentionToTheHoursThatLeftTheHotWindowLately() {
    String prefix = "spans-" + UUID.randomUUID();
    SpanObjectKeys keys = new SpanObjectKeys(prefix);
    TraceIngester ingester = ingester(keys, TraceIndex.NONE);
    // Six days and two hours before NOW: past a hot window of six days, beyond the lookback.
    Instant hour = Instant.parse("2026-11-20T10:00:00Z");
    for (int i = 0; i < 5; i++) {
      ExportTraceServiceRequest request = SyntheticTraces.request(i, 40, hour);
      ingester.ingest(request, request.toByteArray());
    }
    CompactionHandler handler =
        handler(
            prefix,
            Map.of(
                "TRACELAKE_COMPACTION_LOOKBACK", "24h",
                "TRACELAKE_RETENTION_HOT", "144h",
                "TRACELAKE_RETENTION_SAMPLE", "0",
                "TRACELAKE_SLO", "defaults: {latency_p95_ms: 3600000}"));
    TestContext context = new TestContext(Duration.ofMinutes(15));

    assertThat(handler.handleRequest(Map.of(), context)).isEqualTo("1 of 1 hours compacted");

    // No root is slower than an hour, and none is sampled: only traces with errors stay.
    String line = context.lines.get(0);
    assertThat(context.lines).hasSize(1);
    assertThat(line).startsWith("dt=2026-11-20/hour=10 COMPACTED: 5 objects -> 1, ");
    Matcher dropped = Pattern.compile("(\\d+) dropped by retention").matcher(line);
    assertThat(dropped.find()).as(line).isTrue();
    assertThat(Long.parseLong(dropped.group(1))).isPositive();
    String manifestKey =
        keys.partitionPrefix(
                dev.tracelake.spans.HourPartition.ofUnixNanos(
                    hour.getEpochSecond() * 1_000_000_000L))
            + PartitionManifest.FILE_NAME;
    assertThat(
            PartitionManifest.fromJson(
                    AWS.s3proxy()
                        .client()
                        .getObjectAsBytes(r -> r.bucket(BUCKET).key(manifestKey))
                        .asByteArray(),
                    manifestKey)
                .sampled())
        .isTrue();
  }

  /**
   * With six days of retention, the hour six days and two hours back goes (beyond the lookback,
   * where only the expiry reaches), objects and manifest, and its index items carry a TTL that has
   * passed; yesterday's hour is compacted as usual.
   */
  @Test
  void deletesTheHoursThatPassedTheExpiryLately() {
    String prefix = "spans-" + UUID.randomUUID();
    SpanObjectKeys keys = new SpanObjectKeys(prefix);
    TraceIngester ingester =
        ingester(keys, new DynamoDbTraceIndex(AWS.dynalite().client(), TABLE, Duration.ofDays(6)));
    Instant old = Instant.parse("2026-11-20T10:00:00Z");
    Instant recent = Instant.parse("2026-11-26T09:00:00Z");
    String oldTrace = null;
    for (Instant hour : List.of(old, recent)) {
      for (int i = 0; i < 3; i++) {
        ExportTraceServiceRequest request =
            SyntheticTraces.request(hour.getEpochSecond() + i, 20, hour);
        ingester.ingest(request, request.toByteArray());
        oldTrace = oldTrace != null ? oldTrace : traceIdOf(request);
      }
    }
    // Another test stores the same synthetic traces under its own prefix.
    Map<String, AttributeValue> oldItem =
        indexItems(oldTrace).stream()
            .filter(item -> item.get(DynamoDbTraceIndex.OBJECT_KEY).s().startsWith(prefix + "/"))
            .findFirst()
            .orElseThrow();
    assertThat(Long.parseLong(oldItem.get(DynamoDbTraceIndex.EXPIRES_AT).n()))
        .as("the TTL of an item of the 10:00 hour: six days after 11:00")
        .isEqualTo(Instant.parse("2026-11-26T11:00:00Z").getEpochSecond());
    CompactionHandler handler =
        handler(
            prefix,
            Map.of(
                "TRACELAKE_COMPACTION_LOOKBACK", "24h",
                "TRACELAKE_COMPACTION_RETIRE_AFTER", "0s",
                "TRACELAKE_RETENTION_DAYS", "6"));
    TestContext context = new TestContext(Duration.ofMinutes(15));

    assertThat(handler.handleRequest(Map.of(), context)).isEqualTo("1 of 2 hours compacted");

    assertThat(context.lines)
        .anyMatch(line -> line.startsWith("dt=2026-11-20/hour=10 EXPIRED:"))
        .anyMatch(line -> line.startsWith("dt=2026-11-26/hour=09 COMPACTED: 3 objects -> 1"));
    assertThat(partitionKeys(prefix, "dt=2026-11-20/hour=10")).isEmpty();
    assertThat(partitionKeys(prefix, "dt=2026-11-26/hour=09")).hasSize(3);
  }

  @Test
  void stopsStartingHoursWhenItsTimeIsNearlyUp() {
    String prefix = "spans-" + UUID.randomUUID();
    CompactionHandler handler = handler(prefix, Map.of());
    SpanObjectKeys keys = new SpanObjectKeys(prefix);
    ExportTraceServiceRequest request =
        SyntheticTraces.request(1, 20, Instant.parse("2026-11-26T09:00:00Z"));
    ingester(keys, TraceIndex.NONE).ingest(request, request.toByteArray());

    String answer =
        handler.handleRequest(Map.of(), new TestContext(CompactionHandler.RESERVE.minusSeconds(1)));

    assertThat(answer).isEqualTo("0 of 0 hours compacted");
  }

  @Test
  void aMissingOrWrongSettingIsNamed() {
    assertThatThrownBy(() -> CompactionConfig.fromEnvironment(Map.of()))
        .hasMessageContaining("TRACELAKE_BUCKET");
    assertThatThrownBy(
            () ->
                CompactionConfig.fromEnvironment(
                    Map.of("TRACELAKE_BUCKET", "b", "TRACELAKE_COMPACTION_GRACE", "soon")))
        .hasMessageContaining("TRACELAKE_COMPACTION_GRACE");
    assertThatThrownBy(
            () ->
                CompactionConfig.fromEnvironment(
                    Map.of("TRACELAKE_BUCKET", "b", "TRACELAKE_RETENTION_SAMPLE", "2")))
        .hasMessageContaining("TRACELAKE_RETENTION")
        .hasMessageContaining("0 to 1");
    assertThatThrownBy(
            () ->
                CompactionConfig.fromEnvironment(
                    Map.of("TRACELAKE_BUCKET", "b", "TRACELAKE_RETENTION_KEEP_ATTRIBUTES", "vip")))
        .hasMessageContaining("key=value");
  }

  /**
   * The function at {@code NOW}, configured as the stack would, over the emulators, with spans
   * under the prefix and the other settings given.
   */
  private CompactionHandler handler(String prefix, Map<String, String> settings) {
    Map<String, String> environment = new HashMap<>(settings);
    environment.put("TRACELAKE_BUCKET", BUCKET);
    environment.put("TRACELAKE_SPANS_PREFIX", prefix);
    environment.put("TRACELAKE_AWS_REGION", S3ProxyServer.REGION.id());
    environment.put("TRACELAKE_AWS_S3_ENDPOINT", AWS.s3proxy().endpoint().toString());
    environment.put("TRACELAKE_DUCKDB_WORK_DIR", work.toString());
    return new CompactionHandler(
        CompactionConfig.fromEnvironment(environment), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** Ingest into the emulated bucket, under the keys' prefix, indexing into the index. */
  private static TraceIngester ingester(SpanObjectKeys keys, TraceIndex index) {
    return new TraceIngester(new S3ObjectStore(AWS.s3proxy().client(), BUCKET), keys, index);
  }

  private static String traceIdOf(ExportTraceServiceRequest request) {
    return HexFormat.of()
        .formatHex(
            request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray());
  }

  private static List<Map<String, AttributeValue>> indexItems(String traceId) {
    return AWS.dynalite()
        .client()
        .query(
            query ->
                query
                    .tableName(TABLE)
                    .keyConditionExpression("trace_id = :trace")
                    .expressionAttributeValues(Map.of(":trace", AttributeValue.fromS(traceId))))
        .items();
  }

  private static Set<String> partitionKeys(String prefix, String partition) {
    return S3SpanObjects.keys(AWS.s3proxy().client(), BUCKET, prefix + "/" + partition + "/");
  }

  /** Lambda's context, as far as the handler reads it. */
  private static final class TestContext implements Context {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Duration remaining;

    TestContext(Duration remaining) {
      this.remaining = remaining;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return (int) remaining.toMillis();
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          lines.add(message.strip());
        }

        @Override
        public void log(byte[] message) {
          log(new String(message, StandardCharsets.UTF_8));
        }
      };
    }

    @Override
    public String getAwsRequestId() {
      return "test";
    }

    @Override
    public String getLogGroupName() {
      return "test";
    }

    @Override
    public String getLogStreamName() {
      return "test";
    }

    @Override
    public String getFunctionName() {
      return "compaction";
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:us-east-1:000000000000:function:compaction";
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 2048;
    }
  }
}
