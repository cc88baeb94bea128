package dev.tracelake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The whole stack on LocalStack, end to end: {@code localstack/deploy.sh} builds the functions,
 * deploys the real CDK stack with {@code cdklocal} in its REST shape, checks that a request without
 * the API key is refused, sends an OTLP batch through API Gateway and reads the trace back through
 * the query function. LocalStack runs the functions in sibling containers, through the Docker
 * socket it is given. Without Docker the class is skipped (reported as such, never as passed); the
 * image is the last community tag that runs without an auth token, as in the compose file.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackDeployTest {
  @Container
  static final LocalStackContainer LOCALSTACK =
      withToken(
          new LocalStackContainer(
                  DockerImageName.parse(
                          System.getProperty(
                              "tracelake.localstack.image", "localstack/localstack:4.14"))
                      .asCompatibleSubstituteFor("localstack/localstack"))
              .withEnv("LAMBDA_IGNORE_ARCHITECTURE", "1")
              .withEnv("CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES", "1")
              .withFileSystemBind("/var/run/docker.sock", "/var/run/docker.sock"));

  @Test
  void deploysTheStackThenSendsAndReadsATraceThroughIt() throws Exception {
    Path root = repositoryRoot();
    Path log = Files.createTempFile("localstack-deploy", ".log");
    ProcessBuilder script =
        new ProcessBuilder("bash", "localstack/deploy.sh")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    script.environment().put("LOCALSTACK_ENDPOINT", LOCALSTACK.getEndpoint().toString());
    script.environment().put("LOCALSTACK_CONTAINER", LOCALSTACK.getContainerId());
    Process deploy = script.start();
    boolean finished = deploy.waitFor(30, TimeUnit.MINUTES);
    String output = Files.readString(log, StandardCharsets.UTF_8);

    assertThat(finished).as(output).isTrue();
    assertThat(deploy.exitValue()).as(output).isZero();
    assertThat(output).contains("(403 expected)").contains("read back trace");
  }

  private static LocalStackContainer withToken(LocalStackContainer container) {
    String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
    if (token != null && !token.isBlank()) {
      container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
    }
    return container;
  }

  private static Path repositoryRoot() throws IOException {
    Path directory = Path.of("").toAbsolutePath();
    while (directory != null && !Files.exists(directory.resolve("localstack/deploy.sh"))) {
      directory = directory.getParent();
    }
    if (directory == null) {
      throw new IOException("no localstack/deploy.sh above " + Path.of("").toAbsolutePath());
    }
    return directory;
  }
}
