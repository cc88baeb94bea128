package dev.tracelake.index;

import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.StorageUnavailableException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The trace index in a DynamoDB table: partition key {@code trace_id}, sort key {@code object_key},
 * one item per trace and object, and the operations catalog of each key prefix in a partition of
 * its own ({@link #catalogPartition}), one item per operation (see the README's storage contract).
 * Items are only ever put whole or deleted (when compaction replaces their object), so every write
 * is a BatchWriteItem and a retried request rewrites the same items. {@link
 * DynamoDbTraceIndexReader} reads it.
 */
public final class DynamoDbTraceIndex implements TraceIndex {
  public static final String TRACE_ID = "trace_id";
  public static final String OBJECT_KEY = "object_key";
  public static final String SPAN_COUNT = "span_count";
  public static final String START_UNIX_NANO = "start_unix_nano";
  public static final String END_UNIX_NANO = "end_unix_nano";
  public static final String SERVICES = "services";
  public static final String ROOT_SERVICE = "root_service";
  public static final String ROOT_NAME = "root_name";
  public static final String ERROR = "error";

  /** The TTL attribute, in epoch seconds: DynamoDB deletes the item some time after it. */
  public static final String EXPIRES_AT = "expires_at";

  public static final String SERVICE_NAME = "service_name";
  public static final String NAME = "name";
  public static final String KIND = "kind";

  /**
   * Hours of recorded operations a writer remembers: ingest sees the current hour, the one before
   * it and late spans, and a catalog item written again is only a wasted write.
   */
  private static final int HOURS_REMEMBERED = 3;

  private static final Logger LOG = Logger.getLogger(DynamoDbTraceIndex.class);
  private static final int MAX_BATCH_ITEMS = 25;
  private static final int MAX_ATTEMPTS = 8;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  private final DynamoDbClient dynamo;
  private final String table;
  private final Duration retention;

  /**
   * The operations this writer recorded, by hour and catalog partition, so that each is written
   * once an hour rather than once per request.
   */
  private final ConcurrentSkipListMap<HourPartition, Set<CatalogItem>> recorded =
      new ConcurrentSkipListMap<>();

  private record CatalogItem(String partition, ServiceOperation operation) {}

  /**
   * @param retention how long items live after the hour their object's spans started in: the same
   *     for every item of an hour partition however often compaction rewrites it, and when
   *     compaction expires the partition itself
   */
  public DynamoDbTraceIndex(DynamoDbClient dynamo, String table, Duration retention) {
    this.dynamo = dynamo;
    this.table = table;
    this.retention = retention;
  }

  @Override
  public void write(List<TraceIndexEntry> entries) {
    writeInBatches(
        entries.stream()
            .map(
                entry ->
                    put(item(entry, expiresAt(HourPartition.ofUnixNanos(entry.startUnixNano())))))
            .toList());
  }

  /**
   * The partition of a key prefix's operations catalog: never a trace ID, which is 32 hex digits.
   * Its items' sort key is the service, kind and name, separated by U+001F.
   */
  public static String catalogPartition(String keyPrefix) {
    return "operations/" + keyPrefix;
  }

  /**
   * Puts the operations this writer has not recorded for the hour or a later one yet. An item lives
   * until {@code retention} after the latest hour that recorded it (an earlier one only when a
   * writer that saw no later hour records late spans: a few hours early at worst).
   */
  @Override
  public void recordOperations(
      String keyPrefix, HourPartition hour, Set<ServiceOperation> operations) {
    String partition = catalogPartition(keyPrefix);
    Collection<Set<CatalogItem>> hourOrLater = recorded.tailMap(hour, true).values();
    List<CatalogItem> unrecorded =
        operations.stream()
            .map(operation -> new CatalogItem(partition, operation))
            .filter(item -> hourOrLater.stream().noneMatch(known -> known.contains(item)))
            .toList();
    long expiresAt = expiresAt(hour);
    writeInBatches(unrecorded.stream().map(item -> put(item(item, expiresAt))).toList());
    recorded.computeIfAbsent(hour, h -> ConcurrentHashMap.newKeySet()).addAll(unrecorded);
    while (recorded.size() > HOURS_REMEMBERED) {
      recorded.pollFirstEntry();
    }
  }

  /** When the items of an hour expire: {@code retention} after its end. */
  private long expiresAt(HourPartition hour) {
    return hour.end().plus(retention).getEpochSecond();
  }

  private static WriteRequest put(Map<String, AttributeValue> item) {
    return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
  }

  @Override
  public void delete(List<TraceIndexKey> keys) {
    writeInBatches(
        keys.stream()
            .map(
                key ->
                    WriteRequest.builder()
                        .deleteRequest(
                            DeleteRequest.builder()
                                .key(
                                    Map.of(
                                        TRACE_ID, AttributeValue.fromS(key.traceId()),
                                        OBJECT_KEY, AttributeValue.fromS(key.objectKey())))
                                .build())
                        .build())
            .toList());
  }

  private void writeInBatches(List<WriteRequest> requests) {
    for (int from = 0; from < requests.size(); from += MAX_BATCH_ITEMS) {
      writeBatch(requests.subList(from, Math.min(from + MAX_BATCH_ITEMS, requests.size())));
    }
  }

  /** Writes one batch, resending what DynamoDB leaves unprocessed, with exponential backoff. */
  private void writeBatch(List<WriteRequest> batch) {
    Map<String, List<WriteRequest>> pending = Map.of(table, batch);
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      BatchWriteItemResponse response;
      try {
        response =
            dynamo.batchWriteItem(BatchWriteItemRequest.builder().requestItems(pending).build());
      } catch (SdkException e) {
        throw new StorageUnavailableException(
            "cannot write the trace index to DynamoDB table " + table + ": " + e.getMessage(), e);
      }
      Map<String, List<WriteRequest>> unprocessed = response.unprocessedItems();
      if (unprocessed == null || unprocessed.isEmpty()) {
        return;
      }
      if (attempt == MAX_ATTEMPTS) {
        throw new StorageUnavailableException(
            "DynamoDB table " + table + " left items unprocessed after " + attempt + " attempts",
            null);
      }
      LOG.debugf("%d index items unprocessed, retrying", unprocessed.get(table).size());
      sleepWithJitter(backoff);
      backoff = backoff.multipliedBy(2);
      if (backoff.compareTo(MAX_BACKOFF) > 0) {
        backoff = MAX_BACKOFF;
      }
      pending = unprocessed;
    }
  }

  private static void sleepWithJitter(Duration backoff) {
    // Full jitter, so that throttled writers spread out instead of retrying in step.
    long millis =
        ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2, backoff.toMillis() + 1);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException("interrupted while retrying the trace index write", e);
    }
  }

  private static Map<String, AttributeValue> item(TraceIndexEntry entry, long expiresAt) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(TRACE_ID, AttributeValue.fromS(entry.traceId()));
    item.put(OBJECT_KEY, AttributeValue.fromS(entry.objectKey()));
    item.put(SPAN_COUNT, AttributeValue.fromN(Integer.toString(entry.spanCount())));
    item.put(START_UNIX_NANO, AttributeValue.fromN(Long.toString(entry.startUnixNano())));
    item.put(END_UNIX_NANO, AttributeValue.fromN(Long.toString(entry.endUnixNano())));
    item.put(SERVICES, AttributeValue.fromSs(List.copyOf(entry.services())));
    if (entry.rootService() != null) {
      item.put(ROOT_SERVICE, AttributeValue.fromS(entry.rootService()));
      item.put(ROOT_NAME, AttributeValue.fromS(entry.rootName()));
    }
    item.put(ERROR, AttributeValue.fromBool(entry.error()));
    item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
    return item;
  }

  private static Map<String, AttributeValue> item(CatalogItem catalogItem, long expiresAt) {
    ServiceOperation operation = catalogItem.operation();
    String sortKey =
        operation.service() + '\u001f' + operation.kind() + '\u001f' + operation.name();
    return Map.of(
        TRACE_ID, AttributeValue.fromS(catalogItem.partition()),
        OBJECT_KEY, AttributeValue.fromS(sortKey),
        SERVICE_NAME, AttributeValue.fromS(operation.service()),
        NAME, AttributeValue.fromS(operation.name()),
        KIND, AttributeValue.fromN(Integer.toString(operation.kind())),
        EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
  }
}
