package dev.tracelake.functions.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.testing.ConformanceData;
import dev.tracelake.testing.OtlpFiles;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** With S3 unreachable the function asks exporters to retry, and indexes nothing. */
@QuarkusTest
@WithTestResource(
    value = AwsEmulatorsResource.class,
    initArgs = @ResourceArg(name = "s3", value = "down"))
class StorageDownTest {

  @Test
  void answers503WithRetryAfterAndWritesNoIndexItem() {
    Response response =
        given()
            .contentType("application/json")
            .body(OtlpFiles.bytes(ConformanceData.otlpExample()))
            .post("/v1/traces");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.header("Retry-After")).isEqualTo("5");
    assertThat(response.asString()).contains("storage is unavailable");
    assertThat(FunctionStorage.indexItems("5b8efff798038103d269b633813fc60c")).isEmpty();
  }
}
