package dev.tracelake.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.AwsClients;
import dev.tracelake.storage.StorageUnavailableException;
import dev.tracelake.testing.DynaliteServer;
import dev.tracelake.testing.SentRequests;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The index reader against what the index writer wrote (traces and catalog), in dynalite over HTTP.
 */
class DynamoDbTraceIndexReaderTest {
  private static final String TABLE = "trace-index";
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String OTHER_TRACE = "00f067aa0ba902b700f067aa0ba902b7";

  private static DynaliteServer dynalite;
  private static DynamoDbTraceIndex writer;
  private static DynamoDbTraceIndexReader reader;

  @BeforeAll
  static void startDynalite() {
    dynalite = DynaliteServer.start();
    dynalite.createTraceIndexTable(TABLE);
    writer = new DynamoDbTraceIndex(dynalite.client(), TABLE, Duration.ofDays(1));
    reader = new DynamoDbTraceIndexReader(dynalite.client(), TABLE);
  }

  @AfterAll
  static void stopDynalite() {
    dynalite.close();
  }

  @Test
  void findsEveryObjectOfTheTraceAndNoOther() {
    writer.write(
        List.of(
            entry(TRACE, "spans/dt=2026-03-01/hour=09/a.parquet", services(1, 10)),
            entry(TRACE, "spans/dt=2026-03-01/hour=10/b.parquet", services(1, 10)),
            entry(OTHER_TRACE, "spans/dt=2026-03-01/hour=10/b.parquet", services(1, 10))));

    assertThat(reader.objectKeys(TRACE))
        .containsExactlyInAnyOrder(
            "spans/dt=2026-03-01/hour=09/a.parquet", "spans/dt=2026-03-01/hour=10/b.parquet");
  }

  @Test
  void anUnknownTraceHasNoObject() {
    assertThat(reader.objectKeys("0af7651916cd43dd8448eb211c80319c")).isEmpty();
  }

  @Test
  void followsPagesOfAQueryOverOneMegabyte() {
    // A Query reads at most 1 MB of items per page, counted before projection.
    String trace = "5b8efff798038103d269b633813fc60c";
    List<TraceIndexEntry> entries = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String key = "spans/dt=2026-03-01/hour=10/big-" + i + ".parquet";
      keys.add(key);
      entries.add(entry(trace, key, services(i * 1000, 300)));
    }
    writer.write(entries);
    AtomicInteger queries = new AtomicInteger();
    try (DynamoDbClient counting = countingClient(queries)) {
      assertThat(new DynamoDbTraceIndexReader(counting, TABLE).objectKeys(trace))
          .containsExactlyInAnyOrderElementsOf(keys);
    }
    assertThat(queries).hasValueGreaterThan(1);
  }

  @Test
  void anUnreachableIndexIsReportedAsUnavailable() {
    try (DynamoDbClient unreachable =
        AwsClients.dynamoDb(
            Optional.of(DynaliteServer.REGION.id()),
            Optional.of(URI.create("http://127.0.0.1:9")))) {
      assertThatThrownBy(() -> new DynamoDbTraceIndexReader(unreachable, TABLE).objectKeys(TRACE))
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining(TABLE);
    }
  }

  @Test
  void theCatalogListsTheOperationsOfItsKeyPrefixAlone() {
    HourPartition hour = HourPartition.ofUnixNanos(1_772_355_600_000_000_000L);
    ServiceOperation get = new ServiceOperation("frontend", "GET /cart", 2);
    ServiceOperation query = new ServiceOperation("cart", "SELECT cart", 3);
    ServiceOperation other = new ServiceOperation("billing", "charge", 1);
    writer.recordOperations("catalog-a", hour, Set.of(get, query));
    writer.recordOperations("catalog-b", hour, Set.of(other));

    assertThat(reader.operations("catalog-a")).containsExactlyInAnyOrder(get, query);
    assertThat(reader.operations("catalog-b")).containsExactly(other);
    assertThat(reader.operations("catalog-c")).isEmpty();
  }

  @Test
  void aWriterPutsAnOperationOnceAnHourAndKeepsItsLatestExpiry() {
    HourPartition hour = HourPartition.ofUnixNanos(1_772_355_600_000_000_000L);
    ServiceOperation operation = new ServiceOperation("frontend", "GET /", 2);
    AtomicInteger writes = new AtomicInteger();
    try (DynamoDbClient counting = countingClient(writes)) {
      DynamoDbTraceIndex catalog = new DynamoDbTraceIndex(counting, TABLE, Duration.ofDays(1));
      catalog.recordOperations("once", hour, Set.of(operation));
      assertThat(writes).hasValue(1);

      catalog.recordOperations("once", hour, Set.of(operation));
      catalog.recordOperations("once", hour.previous(), Set.of(operation));
      assertThat(writes).hasValue(1);

      catalog.recordOperations("once", hour.next(), Set.of(operation));
      assertThat(writes).hasValue(2);
    }

    Map<String, AttributeValue> item =
        dynalite
            .client()
            .getItem(
                get ->
                    get.tableName(TABLE)
                        .key(
                            Map.of(
                                DynamoDbTraceIndex.TRACE_ID,
                                AttributeValue.fromS(DynamoDbTraceIndex.catalogPartition("once")),
                                DynamoDbTraceIndex.OBJECT_KEY,
                                AttributeValue.fromS("frontend\u001f2\u001fGET /"))))
            .item();
    assertThat(Long.parseLong(item.get(DynamoDbTraceIndex.EXPIRES_AT).n()))
        .isEqualTo(hour.next().end().plus(Duration.ofDays(1)).getEpochSecond());
    assertThat(reader.operations("once")).containsExactly(operation);
  }

  /** A client of dynalite that counts the requests it sends. */
  private static DynamoDbClient countingClient(AtomicInteger requests) {
    return DynamoDbClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .region(DynaliteServer.REGION)
        .endpointOverride(dynalite.endpoint())
        .overrideConfiguration(
            c -> c.addExecutionInterceptor(SentRequests.to(request -> requests.incrementAndGet())))
        .build();
  }

  private static TraceIndexEntry entry(String traceId, String key, SortedSet<String> services) {
    return new TraceIndexEntry(traceId, key, 3, 1, 2, services, "frontend", "GET /", false);
  }

  /** Services with names long enough (1 kB) to make items weigh. */
  private static SortedSet<String> services(int first, int count) {
    TreeSet<String> names = new TreeSet<>();
    IntStream.range(first, first + count).forEach(i -> names.add(i + "-" + "s".repeat(1000)));
    return names;
  }
}
