package dev.tracelake.index;

import static dev.tracelake.index.DynamoDbTraceIndex.KIND;
import static dev.tracelake.index.DynamoDbTraceIndex.NAME;
import static dev.tracelake.index.DynamoDbTraceIndex.OBJECT_KEY;
import static dev.tracelake.index.DynamoDbTraceIndex.SERVICE_NAME;
import static dev.tracelake.index.DynamoDbTraceIndex.TRACE_ID;

import dev.tracelake.storage.StorageUnavailableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the trace index {@link DynamoDbTraceIndex} writes: one Query on the trace's partition,
 * projecting only the sort key, so a lookup costs a read unit or so however large the summaries;
 * and one Query on the catalog's partition for the operations.
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
    return query(traceId, List.of(OBJECT_KEY)).stream()
        .map(item -> item.get(OBJECT_KEY).s())
        .toList();
  }

  @Override
  public List<ServiceOperation> operations(String keyPrefix) {
    return query(DynamoDbTraceIndex.catalogPartition(keyPrefix), List.of(SERVICE_NAME, NAME, KIND))
        .stream()
        .map(
            item ->
                new ServiceOperation(
                    item.get(SERVICE_NAME).s(),
                    item.get(NAME).s(),
                    Integer.parseInt(item.get(KIND).n())))
        .toList();
  }

  /** The items of one partition, with the given attributes alone. */
  private List<Map<String, AttributeValue>> query(String partition, List<String> attributes) {
    // Placeholders for every name: "name" is one of DynamoDB's reserved words.
    Map<String, String> names = new HashMap<>();
    names.put("#partition", TRACE_ID);
    List<String> projection = new ArrayList<>();
    for (String attribute : attributes) {
      String placeholder = "#a" + projection.size();
      names.put(placeholder, attribute);
      projection.add(placeholder);
    }
    try {
      // The paginator follows LastEvaluatedKey: a trace in thousands of objects spans pages. The
      // pages are all read here, so that a failure on a later one is caught too.
      return dynamo
          .queryPaginator(
              query ->
                  query
                      .tableName(table)
                      .keyConditionExpression("#partition = :partition")
                      .projectionExpression(String.join(", ", projection))
                      .expressionAttributeNames(names)
                      .expressionAttributeValues(
                          Map.of(":partition", AttributeValue.fromS(partition))))
          .items()
          .stream()
          .toList();
    } catch (SdkException e) {
      throw new StorageUnavailableException(
          "cannot read the trace index in DynamoDB table " + table + ": " + e.getMessage(), e);
    }
  }
}
