package dev.tracelake.ingest;

import java.net.URI;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The AWS ingest contract against LocalStack, through Testcontainers. Without Docker the class is
 * skipped (reported as such, never as passed). The image is the last community tag that runs
 * without an auth token; set {@code tracelake.localstack.image} for another, and
 * LOCALSTACK_AUTH_TOKEN for the images since 2026-03-23, which need one.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackIngestTest extends AwsIngestContract {
  static final String IMAGE =
      System.getProperty("tracelake.localstack.image", "localstack/localstack:4.14");

  @Container static final LocalStackContainer LOCALSTACK = localstack();

  private static LocalStackContainer localstack() {
    LocalStackContainer container =
        new LocalStackContainer(
                DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("localstack/localstack"))
            .withServices("s3", "dynamodb");
    String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
    if (token != null && !token.isBlank()) {
      container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
    }
    return container;
  }

  @Override
  URI s3Endpoint() {
    return LOCALSTACK.getEndpoint();
  }

  @Override
  URI dynamoDbEndpoint() {
    return LOCALSTACK.getEndpoint();
  }

  @Override
  String[] credentials() {
    return new String[] {LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()};
  }
}
