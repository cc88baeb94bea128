package dev.tracelake.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.CorsOptions;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.GatewayResponseOptions;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.RequestAuthorizer;
import software.amazon.awscdk.services.apigateway.ResponseType;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * An API Gateway REST API (v1) in front of the functions, with the same routes and authorization as
 * {@link HttpApiFront}: for LocalStack's free plan, which has no HTTP APIs. Every method has the
 * authorizer; with CORS origins, the OPTIONS preflights (answered by a mock integration) have none,
 * as browsers send preflights without credentials, and API Gateway's own error answers carry the
 * CORS headers too.
 *
 * <p>Every body goes to the functions base64-encoded ({@code binaryMediaTypes} {@code *}/{@code
 * *}): OTLP bodies are protobuf or gzip, which a text pass-through would corrupt.
 */
public final class RestApiFront extends Construct implements ApiFront {
  /** The stage: the URL ends in {@code /prod/}. */
  static final String STAGE = "prod";

  private final RestApi api;

  /**
   * The API over the two functions; {@code auth} null means IAM authorization.
   *
   * @param ingest what {@code POST /v1/traces} invokes
   * @param query what the query routes invoke
   */
  public RestApiFront(
      Construct scope,
      String id,
      TracelakeSettings settings,
      IFunction ingest,
      IFunction query,
      ApiKeyAuth auth) {
    super(scope, id);
    LogGroup logs =
        LogGroup.Builder.create(this, "AccessLogs")
            .retention(JavaFunction.LOG_RETENTION)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    RestApi.Builder builder =
        RestApi.Builder.create(this, "Api")
            .restApiName(settings.stackName())
            .description("tracelake: OTLP/HTTP ingest and the query API")
            .endpointTypes(List.of(EndpointType.REGIONAL))
            .binaryMediaTypes(List.of("*/*"))
            .cloudWatchRole(false)
            .deployOptions(
                StageOptions.builder()
                    .stageName(STAGE)
                    .throttlingRateLimit(settings.throttleRateLimit())
                    .throttlingBurstLimit(settings.throttleBurstLimit())
                    .metricsEnabled(true)
                    .accessLogDestination(new LogGroupLogDestination(logs))
                    .accessLogFormat(
                        AccessLogFormat.custom(AccessLogs.format("$context.resourcePath")))
                    .build())
            .defaultMethodOptions(methodOptions(auth));
    if (!settings.corsOrigins().isEmpty()) {
      builder.defaultCorsPreflightOptions(
          CorsOptions.builder()
              .allowOrigins(settings.corsOrigins())
              .allowMethods(List.of("GET", "POST"))
              .allowHeaders(Route.ALLOWED_HEADERS)
              .maxAge(Duration.hours(1))
              .build());
    }
    api = builder.build();
    if (!settings.corsOrigins().isEmpty()) {
      allowOriginsOnGatewayErrors(settings.corsOrigins());
    }

    Map<Route.Target, LambdaIntegration> integrations =
        Map.of(
            Route.Target.INGEST, new LambdaIntegration(ingest),
            Route.Target.QUERY, new LambdaIntegration(query));
    for (Route route : Route.ALL) {
      api.getRoot()
          .resourceForPath(route.path())
          .addMethod(route.method(), integrations.get(route.target()));
    }

    NagSuppressions.addResourceSuppressions(
        api,
        List.of(
            NagPackSuppression.builder()
                .id("AwsSolutions-APIG2")
                .reason(
                    "The functions validate every request themselves and must answer OTLP's own"
                        + " error bodies (google.rpc.Status), which a gateway validator would not.")
                .build(),
            NagPackSuppression.builder()
                .id("AwsSolutions-APIG3")
                .reason(
                    "Every request is authenticated and throttled; a WAF web ACL (from 5 USD a"
                        + " month plus per request) is left to deployments that want IP rules.")
                .build(),
            NagPackSuppression.builder()
                .id("AwsSolutions-APIG6")
                .reason(
                    "Access logs are on for the stage; execution logging needs the account-wide"
                        + " API Gateway CloudWatch role, which this stack does not own.")
                .build(),
            NagPackSuppression.builder()
                .id("AwsSolutions-COG4")
                .reason(
                    "Requests are authorized by the API key Lambda authorizer (or IAM): OTLP"
                        + " exporters send a static header and cannot run a Cognito sign-in.")
                .build()),
        true);
  }

  /**
   * CORS headers on the answers API Gateway gives itself (a missing or wrong key, throttling, an
   * authorizer failure), which reach no function: without them a browser reports a CORS error
   * instead of the status. One origin is named as it is; of several, the request's own is echoed,
   * as a gateway response cannot choose among them (these bodies carry no data, only the error).
   */
  private void allowOriginsOnGatewayErrors(List<String> origins) {
    Map<String, String> headers =
        origins.size() == 1
            ? Map.of("Access-Control-Allow-Origin", "'" + origins.get(0) + "'")
            : Map.of(
                "Access-Control-Allow-Origin", "method.request.header.Origin",
                "Vary", "'Origin'");
    for (ResponseType type : List.of(ResponseType.DEFAULT_4_XX, ResponseType.DEFAULT_5_XX)) {
      api.addGatewayResponse(
          type.getResponseType(),
          GatewayResponseOptions.builder().type(type).responseHeaders(headers).build());
    }
  }

  /**
   * The API key authorizer, without caching (it takes the key from either of two headers, and
   * caching needs identity sources every request carries), or IAM.
   */
  private MethodOptions methodOptions(ApiKeyAuth auth) {
    if (auth == null) {
      return MethodOptions.builder().authorizationType(AuthorizationType.IAM).build();
    }
    return MethodOptions.builder()
        .authorizationType(AuthorizationType.CUSTOM)
        .authorizer(
            RequestAuthorizer.Builder.create(this, "ApiKey")
                .handler(auth.authorizer().invoked())
                .identitySources(List.of())
                .resultsCacheTtl(Duration.seconds(0))
                .build())
        .build();
  }

  /** The API itself. */
  public RestApi api() {
    return api;
  }

  @Override
  public String url() {
    return api.getUrl();
  }

  @Override
  public IMetric ingestServerErrors() {
    return ApiFront.ingestSum("5XXError", Map.of("ApiName", api.getRestApiName(), "Stage", STAGE));
  }
}
