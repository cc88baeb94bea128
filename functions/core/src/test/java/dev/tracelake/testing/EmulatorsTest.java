package dev.tracelake.testing;

import static dev.tracelake.index.DynamoDbTraceIndex.EXPIRES_AT;
import static dev.tracelake.index.DynamoDbTraceIndex.OBJECT_KEY;
import static dev.tracelake.index.DynamoDbTraceIndex.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Both emulators answer the AWS SDK over HTTP the way the ingest path needs. */
class EmulatorsTest {
  private static final String BUCKET = "spans";
  private static final String TABLE = "trace-index";

  private static S3ProxyServer s3;
  private static DynaliteServer dynamo;

  @BeforeAll
  static void start() {
    s3 = S3ProxyServer.start();
    dynamo = DynaliteServer.start();
    s3.createBucket(BUCKET);
    dynamo.createTraceIndexTable(TABLE);
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (dynamo != null) {
      dynamo.close();
    }
  }

  @Test
  void endpointsAreOnLoopback() {
    assertThat(s3.endpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(dynamo.endpoint().getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void s3RoundTripsSmallAndLargeObjects() {
    S3Client client = s3.client();
    byte[] small = "hello, spans".getBytes(StandardCharsets.UTF_8);
    byte[] large = new byte[1024 * 1024 + 17];
    new Random(42).nextBytes(large);

    client.putObject(b -> b.bucket(BUCKET).key("rt/a.txt"), RequestBody.fromBytes(small));
    client.putObject(b -> b.bucket(BUCKET).key("rt/b.bin"), RequestBody.fromBytes(large));

    assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key("rt/a.txt")).asByteArray())
        .isEqualTo(small);
    assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key("rt/b.bin")).asByteArray())
        .isEqualTo(large);
    assertThat(client.listObjectsV2(b -> b.bucket(BUCKET).prefix("rt/")).contents())
        .extracting(S3Object::key, S3Object::size)
        .containsExactly(
            tuple("rt/a.txt", (long) small.length), tuple("rt/b.bin", (long) large.length));
  }

  @Test
  void s3CanBeMadeUnavailableAndAvailableAgain() {
    S3Client client = s3.client();
    byte[] body = {1, 2, 3};
    client.putObject(b -> b.bucket(BUCKET).key("fault/x"), RequestBody.fromBytes(body));

    s3.makeUnavailable();
    try {
      assertThatThrownBy(() -> client.headObject(b -> b.bucket(BUCKET).key("fault/x")))
          .isInstanceOf(SdkClientException.class);
    } finally {
      s3.makeAvailable();
    }

    assertThat(client.getObjectAsBytes(b -> b.bucket(BUCKET).key("fault/x")).asByteArray())
        .isEqualTo(body);
  }

  @Test
  void dynamoBatchWritesThenQueriesInSortKeyOrder() {
    DynamoDbClient client = dynamo.client();
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    List<WriteRequest> writes = new ArrayList<>();
    for (int i = 29; i >= 0; i--) { // written out of order: the query must sort
      writes.add(
          WriteRequest.builder()
              .putRequest(
                  PutRequest.builder()
                      .item(
                          Map.of(
                              TRACE_ID, AttributeValue.fromS(traceId),
                              OBJECT_KEY,
                                  AttributeValue.fromS("spans/obj-%02d.parquet".formatted(i)),
                              EXPIRES_AT, AttributeValue.fromN(Long.toString(1_900_000_000L + i))))
                      .build())
              .build());
    }
    // BatchWriteItem takes at most 25 items.
    for (List<WriteRequest> batch : List.of(writes.subList(0, 25), writes.subList(25, 30))) {
      var response = client.batchWriteItem(b -> b.requestItems(Map.of(TABLE, batch)));
      assertThat(response.unprocessedItems()).isEmpty();
    }

    var items =
        client
            .query(
                b ->
                    b.tableName(TABLE)
                        .keyConditionExpression("#t = :t")
                        .expressionAttributeNames(Map.of("#t", TRACE_ID))
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(traceId))))
            .items();

    assertThat(items).hasSize(30);
    for (int i = 0; i < 30; i++) {
      assertThat(items.get(i).get(OBJECT_KEY).s()).isEqualTo("spans/obj-%02d.parquet".formatted(i));
      assertThat(items.get(i).get(EXPIRES_AT).n()).isEqualTo(Long.toString(1_900_000_000L + i));
    }
  }
}
