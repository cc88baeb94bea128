package dev.tracelake.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.CronOptions;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.constructs.Construct;

/**
 * tracelake in one stack: the bucket and trace index, the ingest and query functions, the API in
 * front of them (HTTP API or REST API) behind an API key or IAM, the Glue table Athena reads, and
 * alarms.
 */
public final class TracelakeStack extends Stack {
  private final SpanStorage storage;
  private final JavaFunction ingest;
  private final JavaFunction query;
  private final JavaFunction compaction;
  private final ApiKeyAuth apiKeyAuth;
  private final ApiFront api;
  private final AthenaTable athena;
  private final Alarms alarms;

  /** The stack from the settings, with the functions' packages. */
  public TracelakeStack(
      Construct scope,
      String id,
      StackProps props,
      TracelakeSettings settings,
      FunctionArtifacts artifacts) {
    super(scope, id, props);
    boolean tracing = settings.functionTracing();
    storage = new SpanStorage(this, "SpanStorage", settings);

    Map<String, String> apiEnvironment = new HashMap<>(storage.environment());
    if (!settings.corsOrigins().isEmpty()) {
      // Quarkus' CORS filter answers browsers behind a REST API, which passes the functions'
      // headers through; an HTTP API puts its own CORS headers in place of these.
      apiEnvironment.put("QUARKUS_HTTP_CORS_ENABLED", "true");
      apiEnvironment.put("QUARKUS_HTTP_CORS_ORIGINS", String.join(",", settings.corsOrigins()));
    }
    Map<String, String> ingestEnvironment = new HashMap<>(apiEnvironment);
    ingestEnvironment.put("TRACELAKE_RETENTION_DAYS", Integer.toString(settings.retentionDays()));
    // Ingest is CPU-bound (decode, flatten, Parquet encode: about 90k spans/s on a full vCPU) and
    // holds a request of up to 64 MiB decompressed with its Parquet objects: 1 GB by default. Most
    // requests take well under a second; 25 s leaves room for the SDK's retries of S3 and DynamoDB
    // within API Gateway's 29-30 s. SnapStart: its /tmp stays at 512 MB.
    ingest =
        new JavaFunction(
            this,
            "Ingest",
            new JavaFunction.Spec(
                "tracelake ingest: OTLP/HTTP to Parquet on S3 and the trace index",
                artifacts.ingest(),
                JavaFunction.QUARKUS_HANDLER,
                settings.ingestMemoryMb(),
                Duration.seconds(25),
                512,
                true,
                ingestEnvironment),
            tracing);
    storage.grantIngest(ingest.role());

    // Query runs DuckDB, which uses every vCPU and half the memory (4 GB: about 2.3 vCPUs, 2 GB for
    // DuckDB). Its /tmp holds the object cache (2 GiB by default), DuckDB's native library (61 MB)
    // and its spill space: 3 GB. SnapStart does not allow more than 512 MB of /tmp, so it is off; a
    // cold start takes about 3 s. The timeout is API Gateway's.
    query =
        new JavaFunction(
            this,
            "Query",
            new JavaFunction.Spec(
                "tracelake query: Jaeger API v3, SQL and reports over the spans with DuckDB",
                artifacts.query(),
                JavaFunction.QUARKUS_HANDLER,
                settings.queryMemoryMb(),
                Duration.seconds(29),
                3072,
                false,
                apiEnvironment),
            tracing);
    storage.grantQuery(query.role());

    compaction = compaction(settings, artifacts, tracing);

    apiKeyAuth =
        settings.auth() == TracelakeSettings.Auth.API_KEY
            ? new ApiKeyAuth(this, "ApiKeyAuth", artifacts.authorizer(), tracing)
            : null;
    api =
        switch (settings.apiShape()) {
          case HTTP ->
              new HttpApiFront(
                  this, "HttpApi", settings, ingest.invoked(), query.invoked(), apiKeyAuth);
          case REST ->
              new RestApiFront(
                  this, "RestApi", settings, ingest.invoked(), query.invoked(), apiKeyAuth);
        };

    athena =
        new AthenaTable(
            this,
            "Athena",
            storage.bucket(),
            settings.stackName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_"));

    alarms = new Alarms(this, "Alarms", settings.alarmTopicArn());
    alarms.watch("Ingest", ingest);
    alarms.watch("Query", query);
    alarms.watch("Compaction", compaction);
    if (apiKeyAuth != null) {
      alarms.watch("Authorizer", apiKeyAuth.authorizer());
    }
    alarms.watchIngestServerErrors(api);

    outputs();
    NagSuppressions.addStackSuppressions(
        this,
        List.of(
            NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason(
                    "The functions are built and tested for the java21 runtime, which supports"
                        + " SnapStart on arm64; a newer Java runtime comes with its own test run.")
                .build()));
  }

  /**
   * Compaction (see the README) of the last 48 hours, every hour at :35, after the 30 minutes of
   * grace that close the previous hour, or more often ({@code compactionEveryMinutes}), which
   * carries on with hours of more objects than one run merges. DuckDB merges an hour in memory and
   * spills the rest: 4 GB (about 2.3 vCPUs, 2 GB for DuckDB) merges 4 million spans, an hour at 100
   * million a day, in a few minutes; /tmp holds the hour's objects, the merged ones and the spills
   * (10 GB, Lambda's most); the timeout is Lambda's most, and the function stops starting hours 5
   * minutes before it. One at a time: runs over the same hour must not overlap, and a run that
   * cannot start because the one before is still going is dropped after one interval rather than
   * queued by Lambda for up to 6 hours: the next scheduled run does its work.
   */
  private JavaFunction compaction(
      TracelakeSettings settings, FunctionArtifacts artifacts, boolean tracing) {
    Map<String, String> environment = new HashMap<>(storage.environment());
    environment.put("TRACELAKE_RETENTION_DAYS", Integer.toString(settings.retentionDays()));
    settings
        .hotDays()
        .ifPresent(days -> environment.put("TRACELAKE_RETENTION_HOT", days * 24 + "h"));
    JavaFunction function =
        new JavaFunction(
            this,
            "Compaction",
            new JavaFunction.Spec(
                "tracelake compaction: each closed hour's objects into a few sorted ones",
                artifacts.compaction(),
                "dev.tracelake.functions.compaction.CompactionHandler::handleRequest",
                4096,
                Duration.minutes(15),
                10240,
                false,
                environment),
            tracing);
    ((CfnFunction) function.function().getNode().getDefaultChild())
        .setReservedConcurrentExecutions(1);
    function
        .function()
        .configureAsyncInvoke(
            EventInvokeConfigOptions.builder()
                .maxEventAge(Duration.minutes(settings.compactionEveryMinutes()))
                .retryAttempts(0)
                .build());
    storage.grantCompaction(function.role());
    Rule.Builder.create(this, "CompactionSchedule")
        .description(
            "Runs tracelake compaction every "
                + settings.compactionEveryMinutes()
                + " minutes, one run after the previous hour's grace")
        .schedule(
            Schedule.cron(CronOptions.builder().minute(settings.compactionCronMinutes()).build()))
        .targets(
            List.of(LambdaFunction.Builder.create(function.function()).retryAttempts(0).build()))
        .build();
    return function;
  }

  private void outputs() {
    output("ApiUrl", api.url(), "Base URL of the query API (/api/v3/..., /api/sql, /health)");
    output(
        "OtlpEndpoint",
        api.url(),
        "OTEL_EXPORTER_OTLP_ENDPOINT (exporters append v1/traces), or a Collector's otlphttp"
            + " endpoint");
    output("BucketName", storage.bucket().getBucketName(), "Span objects under spans/");
    output("IndexTableName", storage.index().getTableName(), "The trace index");
    output("AthenaDatabase", athena.databaseName(), "Glue database of the spans table");
    output("AthenaWorkGroup", athena.workGroupName(), "Athena workgroup writing its results");
    if (apiKeyAuth != null) {
      output(
          "ApiKeySecretArn",
          apiKeyAuth.secret().getSecretArn(),
          "The API key: aws secretsmanager get-secret-value --secret-id <this> --query"
              + " SecretString --output text");
    }
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }

  /** The bucket and index, for functions added to the stack (such as compaction's). */
  public SpanStorage storage() {
    return storage;
  }

  /** The alarms, to watch functions added to the stack. */
  public Alarms alarms() {
    return alarms;
  }

  /** The API in front of the functions. */
  public ApiFront api() {
    return api;
  }
}
