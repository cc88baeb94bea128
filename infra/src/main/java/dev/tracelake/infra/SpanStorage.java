package dev.tracelake.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

/**
 * The storage contract's two halves in AWS: the bucket of span objects (under {@value
 * #SPANS_PREFIX}/) and the DynamoDB trace index, with the grants each function needs and nothing
 * more.
 *
 * <p>Both keep data for the retention: objects expire that many days after they are written, and
 * index items carry {@value #TTL_ATTRIBUTE} set by the ingest function to the same horizon. Both
 * are retained when the stack is deleted: they hold the user's data.
 */
public final class SpanStorage extends Construct {
  /** The key prefix of span objects, as the functions' default {@code TRACELAKE_SPANS_PREFIX}. */
  public static final String SPANS_PREFIX = "spans";

  /** The prefix of Athena's query results. */
  public static final String ATHENA_RESULTS_PREFIX = "athena-results";

  /** The index items' TTL attribute (epoch seconds), written by the ingest function. */
  public static final String TTL_ATTRIBUTE = "expires_at";

  /** Objects are read mostly while fresh; after this they move to a cheaper storage class. */
  static final int INFREQUENT_ACCESS_AFTER_DAYS = 30;

  private final Bucket bucket;
  private final Table index;

  /** The bucket, its access-log bucket and the trace index. */
  public SpanStorage(Construct scope, String id, TracelakeSettings settings) {
    super(scope, id);
    Bucket accessLogs =
        Bucket.Builder.create(this, "AccessLogs")
            .encryption(BucketEncryption.S3_MANAGED)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .enforceSsl(true)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
            .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(90)).build()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    NagSuppressions.addResourceSuppressions(
        accessLogs,
        List.of(
            NagPackSuppression.builder()
                .id("AwsSolutions-S1")
                .reason(
                    "This is the server access log bucket of the span bucket; logging its own"
                        + " access would log the log deliveries themselves.")
                .build()));

    bucket =
        Bucket.Builder.create(this, "Spans")
            .bucketName(settings.bucketName().orElse(null))
            .encryption(BucketEncryption.S3_MANAGED)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .enforceSsl(true)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
            .serverAccessLogsBucket(accessLogs)
            .serverAccessLogsPrefix("spans-bucket/")
            .lifecycleRules(lifecycle(settings.retentionDays()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();

    index =
        Table.Builder.create(this, "TraceIndex")
            .tableName(settings.indexTableName().orElse(null))
            .partitionKey(Attribute.builder().name("trace_id").type(AttributeType.STRING).build())
            .sortKey(Attribute.builder().name("object_key").type(AttributeType.STRING).build())
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .timeToLiveAttribute(TTL_ATTRIBUTE)
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .encryption(TableEncryption.AWS_MANAGED)
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
  }

  /**
   * Span objects expire after the retention; with a retention longer than {@link
   * #INFREQUENT_ACCESS_AFTER_DAYS}, they move to Standard-IA at that age first (S3 moves nothing to
   * IA before 30 days). Athena's results go after a week, and unfinished multipart uploads after a
   * day.
   */
  private static List<LifecycleRule> lifecycle(int retentionDays) {
    LifecycleRule.Builder spans =
        LifecycleRule.builder()
            .id("spans-retention")
            .prefix(SPANS_PREFIX + "/")
            .expiration(Duration.days(retentionDays));
    if (retentionDays > INFREQUENT_ACCESS_AFTER_DAYS) {
      spans.transitions(
          List.of(
              Transition.builder()
                  .storageClass(StorageClass.INFREQUENT_ACCESS)
                  .transitionAfter(Duration.days(INFREQUENT_ACCESS_AFTER_DAYS))
                  .build()));
    }
    return List.of(
        spans.build(),
        LifecycleRule.builder()
            .id("athena-results")
            .prefix(ATHENA_RESULTS_PREFIX + "/")
            .expiration(Duration.days(7))
            .build(),
        LifecycleRule.builder()
            .id("incomplete-uploads")
            .abortIncompleteMultipartUploadAfter(Duration.days(1))
            .build());
  }

  /** The bucket of span objects. */
  public Bucket bucket() {
    return bucket;
  }

  /** The trace index. */
  public Table index() {
    return index;
  }

  /** The environment the functions read the storage from (the README's configuration table). */
  public Map<String, String> environment() {
    return Map.of(
        "TRACELAKE_BUCKET", bucket.getBucketName(),
        "TRACELAKE_INDEX_TABLE", index.getTableName(),
        "TRACELAKE_SPANS_PREFIX", SPANS_PREFIX);
  }

  /** The ingest function writes span objects and index items, and reads nothing. */
  public void grantIngest(IRole role) {
    grantSpanObjects(role, "writes", "s3:PutObject");
    grantIndex(role, "dynamodb:BatchWriteItem");
  }

  /**
   * The query function lists the span prefix, reads span objects and queries the index, and writes
   * nothing.
   */
  public void grantQuery(IRole role) {
    grantListSpans(role);
    grantSpanObjects(role, "reads", "s3:GetObject");
    grantIndex(role, "dynamodb:Query");
  }

  /**
   * The compaction function lists the span prefix, reads, writes and deletes span objects and
   * manifests, and puts and deletes index items.
   */
  public void grantCompaction(IRole role) {
    grantListSpans(role);
    grantSpanObjects(role, "rewrites", "s3:GetObject", "s3:PutObject", "s3:DeleteObject");
    grantIndex(role, "dynamodb:BatchWriteItem");
  }

  /** The actions on the objects under the span prefix; {@code verb} says why, for cdk-nag. */
  private void grantSpanObjects(IRole role, String verb, String... actions) {
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of(actions))
            .resources(List.of(bucket.arnForObjects(SPANS_PREFIX + "/*")))
            .build());
    suppressObjectWildcard(role, verb);
  }

  /** The actions on the trace index table. */
  private void grantIndex(IRole role, String... actions) {
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of(actions))
            .resources(List.of(index.getTableArn()))
            .build());
  }

  /** Listing only the keys under the span prefix. */
  private void grantListSpans(IRole role) {
    role.addToPrincipalPolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("s3:ListBucket"))
            .resources(List.of(bucket.getBucketArn()))
            .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(SPANS_PREFIX + "/*"))))
            .build());
  }

  private static void suppressObjectWildcard(IRole role, String verb) {
    NagSuppressions.addResourceSuppressions(
        role,
        List.of(
            NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason(
                    "The function "
                        + verb
                        + " span objects, whose keys (spans/dt=.../hour=.../<batch id>.parquet) are"
                        + " made per request: the grant is the spans/ prefix of one bucket.")
                .appliesTo(
                    List.of(
                        RegexAppliesTo.builder()
                            .regex("/^Resource::<SpanStorageSpans[0-9A-F]+\\.Arn>\\/spans\\/\\*$/")
                            .build()))
                .build()),
        true);
  }
}
