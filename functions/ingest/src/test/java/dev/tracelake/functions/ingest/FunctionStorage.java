package dev.tracelake.functions.ingest;

import dev.tracelake.storage.AwsClients;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/** The test's own view of the bucket and table the function under test writes to. */
final class FunctionStorage {
  private FunctionStorage() {}

  static S3Client s3() {
    return AwsClients.s3(
        Optional.of(AwsEmulatorsResource.REGION),
        Optional.of(endpoint("tracelake.aws.s3-endpoint")));
  }

  static DynamoDbClient dynamoDb() {
    return AwsClients.dynamoDb(
        Optional.of(AwsEmulatorsResource.REGION),
        Optional.of(endpoint("tracelake.aws.dynamodb-endpoint")));
  }

  /** The index items of one trace. */
  static java.util.List<Map<String, AttributeValue>> indexItems(String traceId) {
    try (DynamoDbClient dynamo = dynamoDb()) {
      return dynamo
          .query(
              q ->
                  q.tableName(AwsEmulatorsResource.TABLE)
                      .keyConditionExpression("trace_id = :t")
                      .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(traceId))))
          .items();
    }
  }

  private static URI endpoint(String property) {
    return ConfigProvider.getConfig().getValue(property, URI.class);
  }
}
