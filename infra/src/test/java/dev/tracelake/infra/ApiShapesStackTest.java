package dev.tracelake.infra;

import static dev.tracelake.infra.StackSecurityTest.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.infra.TracelakeSettings.ApiShape;
import dev.tracelake.infra.TracelakeSettings.Auth;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The two API shapes: the same routes, each behind the authorizer (or IAM), and their stages. */
class ApiShapesStackTest {
  private static final List<String> ROUTE_KEYS =
      Route.ALL.stream().map(route -> route.method() + " " + route.path()).toList();

  @Test
  void httpApiHasEveryRouteBehindTheApiKeyAuthorizer() {
    Synthesized stack = Synthesized.of(Shapes.of(ApiShape.HTTP, Auth.API_KEY));
    String authorizer = onlyId(stack, "AWS::ApiGatewayV2::Authorizer");
    Map<String, Map<String, Object>> routes = stack.resources("AWS::ApiGatewayV2::Route");

    assertThat(routes.values().stream().map(route -> path(route, "Properties", "RouteKey")))
        .containsExactlyInAnyOrderElementsOf(ROUTE_KEYS);
    assertThat(routes.values())
        .allSatisfy(
            route -> {
              assertThat(path(route, "Properties", "AuthorizationType")).isEqualTo("CUSTOM");
              assertThat(path(route, "Properties", "AuthorizerId"))
                  .isEqualTo(Map.of("Ref", authorizer));
            });
    stack
        .template()
        .hasResourceProperties(
            "AWS::ApiGatewayV2::Authorizer",
            Map.of(
                "AuthorizerType",
                "REQUEST",
                "AuthorizerPayloadFormatVersion",
                "1.0",
                "AuthorizerResultTtlInSeconds",
                0,
                "IdentitySource",
                List.of()));
    // One artifact for both shapes: the functions get REST-shaped (1.0) events.
    assertThat(stack.resources("AWS::ApiGatewayV2::Integration").values())
        .hasSize(2)
        .allSatisfy(
            integration -> {
              assertThat(path(integration, "Properties", "IntegrationType")).isEqualTo("AWS_PROXY");
              assertThat(path(integration, "Properties", "PayloadFormatVersion")).isEqualTo("1.0");
            });
    assertThat(stack.resources("AWS::ApiGatewayV2::Api").values())
        .singleElement()
        .satisfies(api -> assertThat(path(api, "Properties", "CorsConfiguration")).isNull());
  }

  @Test
  void httpApiStageIsThrottledAndLogged() {
    Synthesized stack = Synthesized.of(Shapes.everything(ApiShape.HTTP, Auth.API_KEY));
    Map<String, Object> stage = single(stack, "AWS::ApiGatewayV2::Stage");

    assertThat(path(stage, "Properties", "StageName")).isEqualTo("$default");
    assertThat(path(stage, "Properties", "DefaultRouteSettings"))
        .isEqualTo(
            Map.of(
                "DetailedMetricsEnabled", true,
                "ThrottlingBurstLimit", 100,
                "ThrottlingRateLimit", 50));
    assertThat((String) path(stage, "Properties", "AccessLogSettings", "Format"))
        .contains("$context.routeKey", "$context.status", "$context.authorizer.error");
    assertThat(path(stage, "Properties", "AccessLogSettings", "DestinationArn")).isNotNull();
    assertThat(path(single(stack, "AWS::ApiGatewayV2::Api"), "Properties", "CorsConfiguration"))
        .isEqualTo(
            Map.of(
                "AllowOrigins",
                List.of("https://ui.example.com", "http://localhost:3000"),
                "AllowMethods",
                List.of("GET", "POST"),
                "AllowHeaders",
                Route.ALLOWED_HEADERS,
                "MaxAge",
                3600));
  }

  @Test
  void httpApiWithIamAuthHasNoKeyNoAuthorizer() {
    Synthesized stack = Synthesized.of(Shapes.of(ApiShape.HTTP, Auth.IAM));

    assertThat(stack.resources("AWS::ApiGatewayV2::Route").values())
        .hasSize(ROUTE_KEYS.size())
        .allSatisfy(
            route ->
                assertThat(path(route, "Properties", "AuthorizationType")).isEqualTo("AWS_IAM"));
    assertThat(stack.resources("AWS::ApiGatewayV2::Authorizer")).isEmpty();
    assertThat(stack.resources("AWS::SecretsManager::Secret")).isEmpty();
    // Ingest, query and compaction: no authorizer.
    assertThat(stack.resources("AWS::Lambda::Function")).hasSize(3);
  }

  @Test
  void restApiHasTheSameRoutesBehindTheApiKeyAuthorizer() {
    Synthesized stack = Synthesized.of(Shapes.of(ApiShape.REST, Auth.API_KEY));
    String authorizer = onlyId(stack, "AWS::ApiGateway::Authorizer");
    Map<String, Map<String, Object>> methods = stack.resources("AWS::ApiGateway::Method");

    assertThat(methods.values().stream().map(method -> routeKey(stack, method)))
        .containsExactlyInAnyOrderElementsOf(ROUTE_KEYS);
    assertThat(methods.values())
        .allSatisfy(
            method -> {
              assertThat(path(method, "Properties", "AuthorizationType")).isEqualTo("CUSTOM");
              assertThat(path(method, "Properties", "AuthorizerId"))
                  .isEqualTo(Map.of("Ref", authorizer));
              assertThat(path(method, "Properties", "Integration", "Type")).isEqualTo("AWS_PROXY");
            });
    stack
        .template()
        .hasResourceProperties(
            "AWS::ApiGateway::Authorizer",
            Map.of("Type", "REQUEST", "AuthorizerResultTtlInSeconds", 0));
    stack
        .template()
        .hasResourceProperties(
            "AWS::ApiGateway::RestApi",
            Map.of(
                "BinaryMediaTypes",
                List.of("*/*"),
                "EndpointConfiguration",
                Map.of("Types", List.of("REGIONAL"))));
  }

  @Test
  void restApiStageIsThrottledAndLoggedAndPreflightsNeedNoKey() {
    Synthesized stack = Synthesized.of(Shapes.everything(ApiShape.REST, Auth.API_KEY));
    Map<String, Object> stage = single(stack, "AWS::ApiGateway::Stage");

    assertThat(path(stage, "Properties", "StageName")).isEqualTo("prod");
    assertThat(path(stage, "Properties", "MethodSettings"))
        .isEqualTo(
            List.of(
                Map.of(
                    "DataTraceEnabled",
                    false,
                    "HttpMethod",
                    "*",
                    "MetricsEnabled",
                    true,
                    "ResourcePath",
                    "/*",
                    "ThrottlingBurstLimit",
                    100,
                    "ThrottlingRateLimit",
                    50)));
    assertThat((String) path(stage, "Properties", "AccessLogSetting", "Format"))
        .contains("$context.resourcePath", "$context.status");

    Map<Boolean, List<Map<String, Object>>> byPreflight =
        stack.resources("AWS::ApiGateway::Method").values().stream()
            .collect(
                Collectors.partitioningBy(
                    method -> "OPTIONS".equals(path(method, "Properties", "HttpMethod"))));
    assertThat(byPreflight.get(false)).hasSize(ROUTE_KEYS.size());
    assertThat(byPreflight.get(false))
        .allSatisfy(
            method ->
                assertThat(path(method, "Properties", "AuthorizationType")).isEqualTo("CUSTOM"));
    assertThat(byPreflight.get(true))
        .isNotEmpty()
        .allSatisfy(
            method -> {
              assertThat(path(method, "Properties", "AuthorizationType")).isEqualTo("NONE");
              assertThat(path(method, "Properties", "Integration", "Type")).isEqualTo("MOCK");
            });
  }

  @Test
  @SuppressWarnings("unchecked")
  void restApiAnswersBrowsersFromTheFunctionsAndFromTheGatewayItself() {
    Synthesized several = Synthesized.of(Shapes.everything(ApiShape.REST, Auth.API_KEY));
    // The ingest and query functions (behind the API) run Quarkus' CORS filter.
    assertThat(
            several.resources("AWS::Lambda::Function").values().stream()
                .map(
                    function ->
                        (Map<String, Object>)
                            path(function, "Properties", "Environment", "Variables"))
                .filter(
                    variables ->
                        variables != null && variables.containsKey("QUARKUS_HTTP_CORS_ORIGINS")))
        .hasSize(2)
        .allSatisfy(
            variables ->
                assertThat(variables)
                    .containsEntry("QUARKUS_HTTP_CORS_ENABLED", "true")
                    .containsEntry(
                        "QUARKUS_HTTP_CORS_ORIGINS",
                        "https://ui.example.com,http://localhost:3000"));
    // So do API Gateway's own errors: with several origins, the request's is echoed.
    assertGatewayErrorHeaders(
        several,
        Map.of(
            "gatewayresponse.header.Access-Control-Allow-Origin",
            "method.request.header.Origin",
            "gatewayresponse.header.Vary",
            "'Origin'"));
    assertGatewayErrorHeaders(
        Synthesized.of(
            Shapes.fromContext(
                Map.of("apiShape", "rest", "corsOrigins", "https://ui.example.com"))),
        Map.of("gatewayresponse.header.Access-Control-Allow-Origin", "'https://ui.example.com'"));
    assertThat(gatewayResponseHeaders(Synthesized.of(Shapes.of(ApiShape.REST, Auth.API_KEY))))
        .as("no CORS origins, no CORS headers")
        .isEmpty();
  }

  /** API Gateway's own 4xx and 5xx answers carry exactly these headers. */
  private static void assertGatewayErrorHeaders(Synthesized stack, Map<String, String> headers) {
    assertThat(gatewayResponseHeaders(stack))
        .containsOnlyKeys("DEFAULT_4XX", "DEFAULT_5XX")
        .allSatisfy((type, actual) -> assertThat(actual).isEqualTo(headers));
  }

  /** The headers of each gateway response, by response type. */
  private static Map<Object, Object> gatewayResponseHeaders(Synthesized stack) {
    return stack.resources("AWS::ApiGateway::GatewayResponse").values().stream()
        .collect(
            Collectors.toMap(
                response -> path(response, "Properties", "ResponseType"),
                response -> path(response, "Properties", "ResponseParameters")));
  }

  @Test
  void restApiWithIamAuthSignsEveryMethod() {
    Synthesized stack = Synthesized.of(Shapes.of(ApiShape.REST, Auth.IAM));

    assertThat(stack.resources("AWS::ApiGateway::Method").values())
        .hasSize(ROUTE_KEYS.size())
        .allSatisfy(
            method ->
                assertThat(path(method, "Properties", "AuthorizationType")).isEqualTo("AWS_IAM"));
    assertThat(stack.resources("AWS::ApiGateway::Authorizer")).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void alarmsWatchEveryFunctionAndIngestServerErrors() {
    for (ApiShape shape : ApiShape.values()) {
      Synthesized stack = Synthesized.of(Shapes.everything(shape, Auth.API_KEY));
      List<Map<String, Object>> alarms =
          List.copyOf(stack.resources("AWS::CloudWatch::Alarm").values());

      assertThat(alarms.stream().map(alarm -> path(alarm, "Properties", "MetricName")))
          .containsExactlyInAnyOrder(
              "Errors",
              "Throttles",
              "Errors",
              "Throttles",
              "Errors",
              "Throttles",
              "Errors",
              "Throttles",
              shape == ApiShape.HTTP ? "5xx" : "5XXError");
      assertThat(alarms)
          .allSatisfy(
              alarm ->
                  assertThat(path(alarm, "Properties", "AlarmActions"))
                      .isEqualTo(List.of("arn:aws:sns:eu-west-1:123456789012:tracelake-alarms")));
      Map<String, Object> ingest5xx =
          alarms.stream()
              .filter(alarm -> path(alarm, "Properties", "MetricName").toString().startsWith("5"))
              .findFirst()
              .orElseThrow();
      assertThat((List<Object>) path(ingest5xx, "Properties", "Dimensions"))
          .contains(
              Map.of("Name", "Method", "Value", "POST"),
              Map.of("Name", "Resource", "Value", "/v1/traces"));
    }
  }

  @Test
  void outputsNameTheEndpointBucketTableAndKey() {
    @SuppressWarnings("unchecked")
    Map<String, Object> outputs =
        (Map<String, Object>) Synthesized.of(TracelakeSettings.defaults()).json().get("Outputs");
    assertThat(outputs)
        .containsKeys(
            "ApiUrl",
            "OtlpEndpoint",
            "BucketName",
            "IndexTableName",
            "ApiKeySecretArn",
            "AthenaDatabase",
            "AthenaWorkGroup");
  }

  /** A REST method's "METHOD /path", from its resource's chain of path parts. */
  @SuppressWarnings("unchecked")
  private static String routeKey(Synthesized stack, Map<String, Object> method) {
    Map<String, Map<String, Object>> resources = stack.resources("AWS::ApiGateway::Resource");
    StringBuilder path = new StringBuilder();
    Object parent = path(method, "Properties", "ResourceId");
    while (parent instanceof Map<?, ?> ref && ref.containsKey("Ref")) {
      Map<String, Object> resource = resources.get((String) ref.get("Ref"));
      path.insert(0, "/" + path(resource, "Properties", "PathPart"));
      parent = path(resource, "Properties", "ParentId");
    }
    return path(method, "Properties", "HttpMethod") + " " + path;
  }

  private static Map<String, Object> single(Synthesized stack, String type) {
    assertThat(stack.resources(type)).hasSize(1);
    return stack.resources(type).values().iterator().next();
  }

  private static String onlyId(Synthesized stack, String type) {
    assertThat(stack.resources(type)).hasSize(1);
    return stack.resources(type).keySet().iterator().next();
  }
}
