package dev.tracelake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The security properties of the storage, the functions and their roles, in every shape. */
class StackSecurityTest {
  private final Synthesized stack = Synthesized.of(TracelakeSettings.defaults());

  static Stream<TracelakeSettings> settings() {
    return Shapes.all().stream();
  }

  @Test
  @SuppressWarnings("unchecked")
  void bucketsAreEncryptedPrivateAndRetained() {
    Map<String, Map<String, Object>> buckets = stack.resources("AWS::S3::Bucket");
    assertThat(buckets).hasSize(2);
    assertThat(buckets.values())
        .allSatisfy(
            bucket -> {
              Map<String, Object> properties = (Map<String, Object>) bucket.get("Properties");
              assertThat(path(properties, "BucketEncryption", "ServerSideEncryptionConfiguration"))
                  .asList()
                  .singleElement()
                  .extracting(rule -> path(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm"))
                  .isEqualTo("AES256");
              assertThat(properties.get("PublicAccessBlockConfiguration"))
                  .isEqualTo(
                      Map.of(
                          "BlockPublicAcls", true,
                          "BlockPublicPolicy", true,
                          "IgnorePublicAcls", true,
                          "RestrictPublicBuckets", true));
              assertThat(bucket.get("DeletionPolicy")).isEqualTo("Retain");
            });
    Map<String, Object> spans = spansBucket();
    assertThat(path(spans, "Properties", "LoggingConfiguration", "LogFilePrefix"))
        .isEqualTo("spans-bucket/");
  }

  @Test
  @SuppressWarnings("unchecked")
  void bucketsRefuseAnythingButTls() {
    Map<String, Map<String, Object>> policies = stack.resources("AWS::S3::BucketPolicy");
    assertThat(policies).hasSize(2);
    assertThat(policies.values())
        .allSatisfy(
            policy -> {
              List<Map<String, Object>> statements =
                  (List<Map<String, Object>>)
                      path(policy, "Properties", "PolicyDocument", "Statement");
              assertThat(statements)
                  .anySatisfy(
                      statement -> {
                        assertThat(statement.get("Effect")).isEqualTo("Deny");
                        assertThat(statement.get("Action")).isEqualTo("s3:*");
                        assertThat(statement.get("Principal")).isEqualTo(Map.of("AWS", "*"));
                        assertThat(statement.get("Condition"))
                            .isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
                      });
            });
  }

  @Test
  @SuppressWarnings("unchecked")
  void spansExpireAfterTheRetention() {
    List<Map<String, Object>> rules =
        (List<Map<String, Object>>)
            path(spansBucket(), "Properties", "LifecycleConfiguration", "Rules");
    assertThat(rules)
        .anySatisfy(
            rule -> {
              assertThat(rule.get("Prefix")).isEqualTo("spans/");
              assertThat(rule.get("ExpirationInDays")).isEqualTo(30);
              assertThat(rule.get("Status")).isEqualTo("Enabled");
            });

    Map<String, Object> longer =
        Synthesized.of(
                Shapes.everything(TracelakeSettings.ApiShape.HTTP, TracelakeSettings.Auth.API_KEY))
            .resources("AWS::S3::Bucket")
            .values()
            .stream()
            .filter(bucket -> path(bucket, "Properties", "LoggingConfiguration") != null)
            .findFirst()
            .orElseThrow();
    assertThat(
            (List<Map<String, Object>>)
                path(longer, "Properties", "LifecycleConfiguration", "Rules"))
        .anySatisfy(
            rule -> {
              assertThat(rule.get("Prefix")).isEqualTo("spans/");
              assertThat(rule.get("ExpirationInDays")).isEqualTo(90);
              assertThat(rule.get("Transitions"))
                  .isEqualTo(
                      List.of(Map.of("StorageClass", "STANDARD_IA", "TransitionInDays", 30)));
            });
  }

  @Test
  void traceIndexIsOnDemandWithTtlRecoveryAndEncryption() {
    stack
        .template()
        .hasResourceProperties(
            "AWS::DynamoDB::Table",
            Map.of(
                "KeySchema",
                List.of(
                    Map.of("AttributeName", "trace_id", "KeyType", "HASH"),
                    Map.of("AttributeName", "object_key", "KeyType", "RANGE")),
                "AttributeDefinitions",
                List.of(
                    Map.of("AttributeName", "trace_id", "AttributeType", "S"),
                    Map.of("AttributeName", "object_key", "AttributeType", "S")),
                "BillingMode",
                "PAY_PER_REQUEST",
                "TimeToLiveSpecification",
                Map.of("AttributeName", "expires_at", "Enabled", true),
                "PointInTimeRecoverySpecification",
                Map.of("PointInTimeRecoveryEnabled", true),
                "SSESpecification",
                Map.of("SSEEnabled", true)));
    assertThat(stack.resources("AWS::DynamoDB::Table").values())
        .singleElement()
        .extracting(table -> table.get("DeletionPolicy"))
        .isEqualTo("Retain");
  }

  @Test
  @SuppressWarnings("unchecked")
  void functionsAreJava21OnArm64WithTheirSettings() {
    Map<String, Map<String, Object>> functions = functionsByHandlerAndMemory();
    assertThat(functions).hasSize(4);
    Map<String, Object> ingest = functions.get("ingest");
    Map<String, Object> query = functions.get("query");
    Map<String, Object> authorizer = functions.get("authorizer");
    Map<String, Object> compaction = functions.get("compaction");
    for (Map<String, Object> function : List.of(ingest, query, authorizer, compaction)) {
      assertThat(function.get("Runtime")).isEqualTo("java21");
      assertThat(function.get("Architectures")).isEqualTo(List.of("arm64"));
      assertThat(path(function, "LoggingConfig", "LogGroup")).isNotNull();
    }
    assertThat(ingest.get("Handler"))
        .isEqualTo("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest");
    assertThat(ingest.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
    assertThat(ingest.get("MemorySize")).isEqualTo(1024);
    assertThat((Map<String, Object>) path(ingest, "Environment", "Variables"))
        .containsKeys("TRACELAKE_BUCKET", "TRACELAKE_INDEX_TABLE")
        .containsEntry("TRACELAKE_SPANS_PREFIX", "spans")
        .containsEntry("TRACELAKE_RETENTION_DAYS", "30")
        .doesNotContainKey("QUARKUS_HTTP_CORS_ENABLED"); // no corsOrigins, no CORS
    assertThat(query.get("Handler")).isEqualTo(ingest.get("Handler"));
    assertThat(query).doesNotContainKey("SnapStart");
    assertThat(query.get("EphemeralStorage")).isEqualTo(Map.of("Size", 3072));
    assertThat(query.get("MemorySize")).isEqualTo(4096);
    assertThat((Map<String, Object>) path(query, "Environment", "Variables"))
        .containsKeys("TRACELAKE_BUCKET", "TRACELAKE_INDEX_TABLE");
    assertThat(authorizer.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
    assertThat((Map<String, Object>) path(authorizer, "Environment", "Variables"))
        .containsOnlyKeys("TRACELAKE_API_KEY_SECRET_ARN");
    assertThat(compaction.get("Handler"))
        .isEqualTo("dev.tracelake.functions.compaction.CompactionHandler::handleRequest");
    assertThat(compaction.get("Timeout")).isEqualTo(900);
    assertThat(compaction.get("EphemeralStorage")).isEqualTo(Map.of("Size", 10240));
    // Runs over one hour must not overlap.
    assertThat(compaction.get("ReservedConcurrentExecutions")).isEqualTo(1);
    assertThat((Map<String, Object>) path(compaction, "Environment", "Variables"))
        .containsKeys("TRACELAKE_BUCKET", "TRACELAKE_INDEX_TABLE")
        .containsEntry("TRACELAKE_RETENTION_DAYS", "30")
        .doesNotContainKey("TRACELAKE_RETENTION_HOT"); // off unless hotDays is set
    // SnapStart restores published versions only: the callers invoke the alias of one.
    assertThat(stack.resources("AWS::Lambda::Alias")).hasSize(2);
  }

  @SuppressWarnings("unchecked")
  @Test
  void tailBasedRetentionIsOnWhenHotDaysAreSet() {
    Map<String, Object> compaction =
        Synthesized.of(
                Shapes.everything(TracelakeSettings.ApiShape.HTTP, TracelakeSettings.Auth.API_KEY))
            .resources("AWS::Lambda::Function")
            .values()
            .stream()
            .filter(
                function ->
                    "dev.tracelake.functions.compaction.CompactionHandler::handleRequest"
                        .equals(path(function, "Properties", "Handler")))
            .findFirst()
            .orElseThrow();
    assertThat((Map<String, Object>) path(compaction, "Properties", "Environment", "Variables"))
        .containsEntry("TRACELAKE_RETENTION_DAYS", "90")
        .containsEntry("TRACELAKE_RETENTION_HOT", "168h");
  }

  @Test
  void logsAreKeptForAMonth() {
    assertThat(stack.resources("AWS::Logs::LogGroup").values())
        .hasSize(5)
        .allSatisfy(
            group -> assertThat(path(group, "Properties", "RetentionInDays")).isEqualTo(30));
  }

  @Test
  void ingestMayOnlyWriteSpansAndIndexItems() {
    assertThat(statementsOfRoleWith("ingest"))
        .containsExactlyInAnyOrder(
            logsStatement("Ingest"),
            allow("s3:PutObject", spanObjects()),
            allow("dynamodb:BatchWriteItem", tableArn()));
  }

  @Test
  void queryMayOnlyReadSpansAndQueryTheIndex() {
    assertThat(statementsOfRoleWith("query"))
        .containsExactlyInAnyOrder(
            logsStatement("Query"),
            listSpans(),
            allow("s3:GetObject", spanObjects()),
            allow("dynamodb:Query", tableArn()));
  }

  @Test
  void compactionMayOnlyRewriteSpansAndIndexItems() {
    assertThat(statementsOfRoleWith("compaction"))
        .containsExactlyInAnyOrder(
            logsStatement("Compaction"),
            listSpans(),
            allow(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), spanObjects()),
            allow("dynamodb:BatchWriteItem", tableArn()));
  }

  @ParameterizedTest
  @CsvSource({"60, cron(35 * * * ? *)", "15, cron(5/15 * * * ? *)", "20, cron(15/20 * * * ? *)"})
  @SuppressWarnings("unchecked")
  void compactionRunsAfterTheGraceAndDropsARunThatCannotStart(int everyMinutes, String schedule) {
    Synthesized compacting =
        Synthesized.of(
            Shapes.fromContext(Map.of("compactionEveryMinutes", Integer.toString(everyMinutes))));
    String function =
        logicalIdStartingWith(compacting, "AWS::Lambda::Function", "CompactionFunction");
    assertThat(compacting.resources("AWS::Events::Rule").values())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(path(rule, "Properties", "ScheduleExpression")).isEqualTo(schedule);
              assertThat((List<Map<String, Object>>) path(rule, "Properties", "Targets"))
                  .singleElement()
                  .satisfies(
                      target ->
                          assertThat(target.get("Arn"))
                              .isEqualTo(Map.of("Fn::GetAtt", List.of(function, "Arn"))));
            });
    assertThat(compacting.resources("AWS::Lambda::EventInvokeConfig").values())
        .singleElement()
        .satisfies(
            config -> {
              assertThat(path(config, "Properties", "FunctionName"))
                  .isEqualTo(Map.of("Ref", function));
              assertThat(path(config, "Properties", "MaximumEventAgeInSeconds"))
                  .isEqualTo(everyMinutes * 60);
              assertThat(path(config, "Properties", "MaximumRetryAttempts")).isEqualTo(0);
            });
  }

  @Test
  void theAuthorizerMayOnlyReadItsSecret() {
    assertThat(statementsOfRoleWith("authorizer"))
        .containsExactlyInAnyOrder(
            logsStatement("ApiKeyAuthAuthorizer"),
            allow(
                List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                Map.of("Ref", logicalId("AWS::SecretsManager::Secret"))));
  }

  /**
   * Every statement of every IAM policy in the template: no action {@code *} or {@code service:*},
   * and no resource {@code *} but for X-Ray's, which takes no resource ARN. Bucket policies are
   * resource policies whose only statements deny (TLS).
   */
  @ParameterizedTest
  @MethodSource("settings")
  @SuppressWarnings("unchecked")
  void noPolicyGrantsWildcards(TracelakeSettings settings) {
    Synthesized synthesized = Synthesized.of(settings);
    List<Map<String, Object>> statements = new ArrayList<>();
    for (Map<String, Object> policy : synthesized.resources("AWS::IAM::Policy").values()) {
      statements.addAll(
          (List<Map<String, Object>>) path(policy, "Properties", "PolicyDocument", "Statement"));
    }
    for (Map<String, Object> role : synthesized.resources("AWS::IAM::Role").values()) {
      assertThat(path(role, "Properties", "ManagedPolicyArns")).isNull();
      Object inline = path(role, "Properties", "Policies");
      if (inline != null) {
        for (Map<String, Object> policy : (List<Map<String, Object>>) inline) {
          statements.addAll(
              (List<Map<String, Object>>) path(policy, "PolicyDocument", "Statement"));
        }
      }
    }
    assertThat(statements).isNotEmpty();
    assertThat(statements)
        .allSatisfy(
            statement -> {
              assertThat(statement.get("Effect")).isEqualTo("Allow");
              assertThat(strings(statement.get("Action")))
                  .allSatisfy(action -> assertThat(action).doesNotEndWith("*"));
              if (strings(statement.get("Resource")).contains("*")) {
                assertThat(strings(statement.get("Action")))
                    .isSubsetOf(Set.of("xray:PutTraceSegments", "xray:PutTelemetryRecords"));
              }
            });
    for (Map<String, Object> policy : synthesized.resources("AWS::S3::BucketPolicy").values()) {
      assertThat(
              (List<Map<String, Object>>) path(policy, "Properties", "PolicyDocument", "Statement"))
          .allSatisfy(
              statement -> {
                if ("Allow".equals(statement.get("Effect"))) {
                  // S3 server access log delivery: the logging service, onto the log bucket.
                  assertThat(statement.get("Principal"))
                      .isEqualTo(Map.of("Service", "logging.s3.amazonaws.com"));
                  assertThat(statement.get("Action")).isEqualTo("s3:PutObject");
                }
              });
    }
  }

  private Map<String, Object> spansBucket() {
    return stack.resources("AWS::S3::Bucket").entrySet().stream()
        .filter(bucket -> bucket.getKey().startsWith("SpanStorageSpans"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> functionsByHandlerAndMemory() {
    Map<String, Map<String, Object>> byName = new java.util.HashMap<>();
    stack
        .resources("AWS::Lambda::Function")
        .forEach(
            (id, function) -> {
              Map<String, Object> properties = (Map<String, Object>) function.get("Properties");
              String name =
                  id.startsWith("Ingest")
                      ? "ingest"
                      : id.startsWith("Query")
                          ? "query"
                          : id.startsWith("Compaction")
                              ? "compaction"
                              : id.startsWith("ApiKeyAuth") ? "authorizer" : id;
              byName.put(name, properties);
            });
    return byName;
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> statementsOfRoleWith(String function) {
    String prefix =
        Map.of(
                "ingest",
                "Ingest",
                "query",
                "Query",
                "compaction",
                "Compaction",
                "authorizer",
                "ApiKeyAuthAuthorizer")
            .get(function);
    return stack.resources("AWS::IAM::Policy").entrySet().stream()
        .filter(policy -> policy.getKey().startsWith(prefix + "Role"))
        .map(
            policy ->
                (List<Map<String, Object>>)
                    path(policy.getValue(), "Properties", "PolicyDocument", "Statement"))
        .findFirst()
        .orElseThrow();
  }

  private String logicalIdStartingWith(String prefix) {
    return logicalIdStartingWith(stack, "AWS::Lambda::Function", prefix);
  }

  private Map<String, Object> logsStatement(String prefix) {
    String group =
        stack.resources("AWS::Logs::LogGroup").keySet().stream()
            .filter(id -> id.startsWith(prefix + "Logs"))
            .findFirst()
            .orElseThrow();
    return allow(
        List.of("logs:CreateLogStream", "logs:PutLogEvents"),
        Map.of("Fn::GetAtt", List.of(group, "Arn")));
  }

  private static Map<String, Object> allow(Object action, Object resource) {
    return Map.of("Action", action, "Effect", "Allow", "Resource", resource);
  }

  /** Listing the keys under spans/ alone. */
  private Map<String, Object> listSpans() {
    return Map.of(
        "Action",
        "s3:ListBucket",
        "Condition",
        Map.of("StringLike", Map.of("s3:prefix", List.of("spans/*"))),
        "Effect",
        "Allow",
        "Resource",
        bucketArn());
  }

  private Map<String, Object> spanObjects() {
    return Map.of("Fn::Join", List.of("", List.of(bucketArn(), "/spans/*")));
  }

  private Map<String, Object> bucketArn() {
    return Map.of(
        "Fn::GetAtt", List.of(logicalIdStartingWith("AWS::S3::Bucket", "SpanStorageSpans"), "Arn"));
  }

  private Map<String, Object> tableArn() {
    return Map.of("Fn::GetAtt", List.of(logicalId("AWS::DynamoDB::Table"), "Arn"));
  }

  private String logicalId(String type) {
    return stack.resources(type).keySet().stream().findFirst().orElseThrow();
  }

  private String logicalIdStartingWith(String type, String prefix) {
    return logicalIdStartingWith(stack, type, prefix);
  }

  private static String logicalIdStartingWith(Synthesized in, String type, String prefix) {
    return in.resources(type).keySet().stream()
        .filter(id -> id.startsWith(prefix))
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  static Object path(Object value, String... keys) {
    Object current = value;
    for (String key : keys) {
      if (!(current instanceof Map)) {
        return null;
      }
      current = ((Map<String, Object>) current).get(key);
    }
    return current;
  }

  private static Collection<String> strings(Object value) {
    if (value instanceof String string) {
      return List.of(string);
    }
    if (value instanceof List<?> list) {
      return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }
}
