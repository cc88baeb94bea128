package dev.tracelake.functions.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The authorizer over events of the shapes API Gateway sends (a REST API's REQUEST authorizer, and
 * an HTTP API's with payload format 1.0), read and answered with the Java runtime's own
 * serialization, as Lambda does for types that are not among its built-in events.
 */
class ApiKeyAuthorizerTest {
  private static final String KEY = "k3y-0f-the-t3st-9f8e7d6c5b4a39281706";
  private static final String REST_ARN =
      "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/POST/v1/traces";
  private static final String HTTP_API_ARN =
      "arn:aws:execute-api:eu-west-1:123456789012:f6g7h8i9j0/$default/GET/api/v3/services";

  private final ApiKeyAuthorizer authorizer =
      new ApiKeyAuthorizer(new ApiKeys(() -> KEY, Duration.ofMinutes(5), Clock.systemUTC()));

  @Test
  void restApiRequestWithTheKeyIsAllowedOnTheMethodCalled() throws IOException {
    String answer = answer(event("rest-request.json", "${KEY}", KEY));

    assertThat(json(answer))
        .isEqualTo(
            json(
                "{\"principalId\":\"tracelake-api-key\",\"policyDocument\":{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Action\":\"execute-api:Invoke\",\"Effect\":\"Allow\","
                    + "\"Resource\":[\""
                    + REST_ARN
                    + "\"]}]}}"));
  }

  @Test
  void httpApiRequestWithTheBearerTokenIsAllowed() throws IOException {
    IamPolicyResponseV1 policy =
        authorizer.handleRequest(
            event("http-api-v1-request.json", "${AUTHORIZATION}", "Bearer " + KEY), null);

    assertThat(statement(policy)).containsEntry("Effect", "Allow");
    assertThat(statement(policy).get("Resource")).isEqualTo(new String[] {HTTP_API_ARN});
  }

  @Test
  void wrongMissingOrMalformedKeysAreDenied() throws IOException {
    for (String authorization : List.of("Bearer not-the-key", "Basic " + KEY, "Bearer ", KEY, "")) {
      IamPolicyResponseV1 policy =
          authorizer.handleRequest(
              event("http-api-v1-request.json", "${AUTHORIZATION}", authorization), null);
      assertThat(statement(policy)).as(authorization).containsEntry("Effect", "Deny");
    }
    APIGatewayCustomAuthorizerEvent noHeaders = event("rest-request.json", "${KEY}", KEY);
    noHeaders.setHeaders(null);
    assertThat(statement(authorizer.handleRequest(noHeaders, null)))
        .containsEntry("Effect", "Deny");
    assertThat(
            statement(
                authorizer.handleRequest(event("rest-request.json", "${KEY}", KEY + "x"), null)))
        .containsEntry("Effect", "Deny");
  }

  @Test
  void anApiKeyHeaderWinsOverTheBearerToken() {
    assertThat(
            ApiKeyAuthorizer.presentedKey(
                Map.of("X-API-KEY", " the-key ", "Authorization", "Bearer other")))
        .contains("the-key");
    assertThat(ApiKeyAuthorizer.presentedKey(Map.of("x-api-key", "", "authorization", "bearer t")))
        .contains("t");
  }

  private APIGatewayCustomAuthorizerEvent event(String file, String placeholder, String value)
      throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/events/" + file)) {
      String json =
          new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(placeholder, value);
      return serializer(APIGatewayCustomAuthorizerEvent.class)
          .fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private String answer(APIGatewayCustomAuthorizerEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    serializer(IamPolicyResponseV1.class).toJson(authorizer.handleRequest(event, null), out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Object json(String text) throws IOException {
    return JacksonFactory.getInstance().getMapper().readTree(text);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> statement(IamPolicyResponseV1 policy) {
    return ((Map<String, Object>[]) policy.getPolicyDocument().get("Statement"))[0];
  }

  private static <T> PojoSerializer<T> serializer(Class<T> type) {
    return JacksonFactory.getInstance().getSerializer(type);
  }
}
