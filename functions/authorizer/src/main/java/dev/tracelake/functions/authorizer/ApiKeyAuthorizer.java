package dev.tracelake.functions.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A REQUEST authorizer for API Gateway: allows the request when its {@code x-api-key} header, or
 * the token of its {@code Authorization: Bearer} header, is one of the {@link ApiKeys}, and denies
 * it otherwise (API Gateway answers 403).
 *
 * <p>The answer is an IAM policy for the one method called, which REST APIs and HTTP APIs with
 * authorizer payload format 1.0 both take; the events of the two differ only in ways this does not
 * read (HTTP APIs lower-case header names, so headers are looked up ignoring case).
 *
 * <p>Configured by {@code TRACELAKE_API_KEY_SECRET_ARN}, the secret holding the keys.
 */
public final class ApiKeyAuthorizer
    implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> {
  /** The environment variable naming the secret. */
  public static final String SECRET_ENV = "TRACELAKE_API_KEY_SECRET_ARN";

  /** The principal of an allowed request, in API Gateway's logs as {@code $context.authorizer}. */
  static final String PRINCIPAL = "tracelake-api-key";

  /** How long a key read from the secret is trusted: a rotated key is in use within this. */
  private static final Duration REFRESH_AFTER = Duration.ofMinutes(5);

  private final ApiKeys keys;

  /** The handler Lambda creates: keys from the secret {@value #SECRET_ENV} names. */
  public ApiKeyAuthorizer() {
    this(fromSecretsManager(requiredEnv(SECRET_ENV)));
  }

  /** A handler over the given keys. */
  public ApiKeyAuthorizer(ApiKeys keys) {
    this.keys = keys;
  }

  @Override
  public IamPolicyResponseV1 handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
    boolean allowed = presentedKey(event.getHeaders()).map(keys::accepts).orElse(false);
    String resource = event.getMethodArn();
    return IamPolicyResponseV1.builder()
        .withPrincipalId(PRINCIPAL)
        .withPolicyDocument(
            IamPolicyResponseV1.PolicyDocument.builder()
                .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                .withStatement(
                    List.of(
                        allowed
                            ? IamPolicyResponseV1.allowStatement(resource)
                            : IamPolicyResponseV1.denyStatement(resource)))
                .build())
        .build();
  }

  /** The key a request presents: its {@code x-api-key} header, else its bearer token. */
  static Optional<String> presentedKey(Map<String, String> headers) {
    if (headers == null) {
      return Optional.empty();
    }
    Optional<String> apiKey = header(headers, "x-api-key").map(String::strip);
    if (apiKey.isPresent() && !apiKey.get().isEmpty()) {
      return apiKey;
    }
    return header(headers, "authorization")
        .map(String::strip)
        .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(value -> value.substring(7).strip())
        .filter(token -> !token.isEmpty());
  }

  private static Optional<String> header(Map<String, String> headers, String name) {
    return headers.entrySet().stream()
        .filter(header -> header.getKey() != null && header.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .filter(value -> value != null)
        .findFirst();
  }

  private static ApiKeys fromSecretsManager(String secretArn) {
    SecretsManagerClient client =
        SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    return new ApiKeys(
        () -> client.getSecretValue(request -> request.secretId(secretArn)).secretString(),
        REFRESH_AFTER,
        Clock.systemUTC());
  }

  private static String requiredEnv(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " is not set: it names the API key secret");
    }
    return value;
  }
}
