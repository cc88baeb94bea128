package dev.tracelake.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpLambdaAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpLambdaAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpLambdaResponseType;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * An API Gateway HTTP API (v2) in front of the functions: every {@link Route} with the same
 * authorizer, throttling on the {@code $default} stage, access logs, detailed (per-route) metrics,
 * and CORS when origins are configured (preflights are answered by API Gateway itself, before any
 * authorizer).
 *
 * <p>Integrations and the authorizer use payload format 1.0, the shape of REST API events, so the
 * functions are the same artifacts behind either shape.
 */
public final class HttpApiFront extends Construct implements ApiFront {
  private final HttpApi api;
  private final HttpStage stage;

  /**
   * The API over the two functions; {@code auth} null means IAM authorization.
   *
   * @param ingest what {@code POST /v1/traces} invokes
   * @param query what the query routes invoke
   */
  public HttpApiFront(
      Construct scope,
      String id,
      TracelakeSettings settings,
      IFunction ingest,
      IFunction query,
      ApiKeyAuth auth) {
    super(scope, id);
    HttpApi.Builder builder =
        HttpApi.Builder.create(this, "Api")
            .apiName(settings.stackName())
            .description("tracelake: OTLP/HTTP ingest and the query API")
            .createDefaultStage(false)
            .defaultAuthorizer(authorizer(auth));
    if (!settings.corsOrigins().isEmpty()) {
      builder.corsPreflight(
          CorsPreflightOptions.builder()
              .allowOrigins(settings.corsOrigins())
              .allowMethods(List.of(CorsHttpMethod.GET, CorsHttpMethod.POST))
              .allowHeaders(Route.ALLOWED_HEADERS)
              .maxAge(Duration.hours(1))
              .build());
    }
    api = builder.build();

    LogGroup logs =
        LogGroup.Builder.create(this, "AccessLogs")
            .retention(JavaFunction.LOG_RETENTION)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    stage =
        api.addStage(
            "Stage",
            HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .throttle(
                    ThrottleSettings.builder()
                        .rateLimit(settings.throttleRateLimit())
                        .burstLimit(settings.throttleBurstLimit())
                        .build())
                .detailedMetricsEnabled(true)
                .accessLogSettings(
                    new IAccessLogSettings() {
                      @Override
                      public IAccessLogDestination getDestination() {
                        return new LogGroupLogDestination(logs);
                      }

                      @Override
                      public AccessLogFormat getFormat() {
                        return AccessLogFormat.custom(AccessLogs.format("$context.routeKey"));
                      }
                    })
                .build());

    Map<Route.Target, HttpLambdaIntegration> integrations =
        Map.of(
            Route.Target.INGEST, integration("Ingest", ingest),
            Route.Target.QUERY, integration("Query", query));
    for (Route route : Route.ALL) {
      api.addRoutes(
          AddRoutesOptions.builder()
              .path(route.path())
              .methods(List.of(HttpMethod.valueOf(route.method())))
              .integration(integrations.get(route.target()))
              .build());
    }
  }

  /**
   * The API key authorizer, without caching: it takes the key from either of two headers, and API
   * Gateway caches only on identity sources that every request carries.
   */
  private static IHttpRouteAuthorizer authorizer(ApiKeyAuth auth) {
    if (auth == null) {
      return new HttpIamAuthorizer();
    }
    return new HttpLambdaAuthorizer(
        "ApiKey",
        auth.authorizer().invoked(),
        HttpLambdaAuthorizerProps.builder()
            .responseTypes(List.of(HttpLambdaResponseType.IAM))
            .identitySource(List.of())
            .resultsCacheTtl(Duration.seconds(0))
            .build());
  }

  private static HttpLambdaIntegration integration(String id, IFunction function) {
    return new HttpLambdaIntegration(
        id,
        function,
        HttpLambdaIntegrationProps.builder()
            .payloadFormatVersion(PayloadFormatVersion.VERSION_1_0)
            .build());
  }

  /** The API itself. */
  public HttpApi api() {
    return api;
  }

  @Override
  public String url() {
    return stage.getUrl();
  }

  @Override
  public IMetric ingestServerErrors() {
    return ApiFront.ingestSum("5xx", Map.of("ApiId", api.getApiId(), "Stage", "$default"));
  }
}
