package dev.tracelake.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracelake.storage.AwsClients;
import dev.tracelake.storage.StorageUnavailableException;
import dev.tracelake.testing.DynaliteServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The index reader against what the index writer wrote, in dynalite over HTTP. */
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
    try (DynamoDbClient counting =
        DynamoDbClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(DynaliteServer.REGION)
            .endpointOverride(dynalite.endpoint())
            .overrideConfiguration(
                c ->
                    c.addExecutionInterceptor(
                        new ExecutionInterceptor() {
                          @Override
                          public void beforeExecution(
                              Context.BeforeExecution context, ExecutionAttributes attributes) {
                            queries.incrementAndGet();
                          }
                        }))
            .build()) {
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
