package dev.tracelake.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The API key and the Lambda authorizer that checks it ({@code functions/authorizer}): the key is a
 * generated Secrets Manager secret, which the authorizer alone may read.
 */
public final class ApiKeyAuth extends Construct {
  /** The authorizer's handler. */
  static final String HANDLER =
      "dev.tracelake.functions.authorizer.ApiKeyAuthorizer::handleRequest";

  private final Secret secret;
  private final JavaFunction authorizer;

  /** The secret and its authorizer from the given package. */
  public ApiKeyAuth(Construct scope, String id, Path artifact, boolean tracing) {
    super(scope, id);
    secret =
        Secret.Builder.create(this, "ApiKey")
            .description(
                "tracelake API key: exporters send it as x-api-key. Several keys, comma-separated,"
                    + " are all accepted (to rotate by hand without downtime).")
            .generateSecretString(
                SecretStringGenerator.builder().passwordLength(40).excludePunctuation(true).build())
            .build();
    NagSuppressions.addResourceSuppressions(
        secret,
        List.of(
            NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason(
                    "An API key is configured in every exporter that sends to the API, so it is"
                        + " rotated by hand: add the new key next to the old one, move the"
                        + " exporters, then remove the old one.")
                .build()));
    // 512 MB: the CPU share that keeps the SDK's first call short; SnapStart takes the JVM's and
    // the SDK's start-up off the cold path. Ten seconds covers a Secrets Manager read with retries.
    authorizer =
        new JavaFunction(
            this,
            "Authorizer",
            new JavaFunction.Spec(
                "tracelake API key authorizer",
                artifact,
                HANDLER,
                512,
                Duration.seconds(10),
                512,
                true,
                Map.of("TRACELAKE_API_KEY_SECRET_ARN", secret.getSecretArn())),
            tracing);
    secret.grantRead(authorizer.role());
  }

  /** The secret holding the key. */
  public Secret secret() {
    return secret;
  }

  /** The authorizer function. */
  public JavaFunction authorizer() {
    return authorizer;
  }
}
