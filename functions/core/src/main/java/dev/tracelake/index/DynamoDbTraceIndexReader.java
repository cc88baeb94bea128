package dev.tracelake.index;

import static dev.tracelake.index.DynamoDbTraceIndex.OBJECT_KEY;
import static dev.tracelake.index.DynamoDbTraceIndex.TRACE_ID;

import dev.tracelake.storage.StorageUnavailableException;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the trace index {@link DynamoDbTraceIndex} writes: one Query on the trace's partition,
 * projecting only the sort key, so a lookup costs a read unit or so however large the summaries.
 */
public final class DynamoDbTraceIndexReader implements TraceIndexReader {
  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbTraceIndexReader(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public List<String> objectKeys(String traceId) {
    try {
      // The paginator follows LastEvaluatedKey: a trace in thousands of objects spans pages.
      return dynamo
          .queryPaginator(
              query ->
                  query
                      .tableName(table)
                      .keyConditionExpression("#trace = :trace")
                      .projectionExpression("#object")
                      .expressionAttributeNames(Map.of("#trace", TRACE_ID, "#object", OBJECT_KEY))
                      .expressionAttributeValues(Map.of(":trace", AttributeValue.fromS(traceId))))
          .items()
          .stream()
          .map(item -> item.get(OBJECT_KEY).s())
          .toList();
    } catch (SdkException e) {
      throw new StorageUnavailableException(
          "cannot read the trace index in DynamoDB table " + table + ": " + e.getMessage(), e);
    }
  }
}
