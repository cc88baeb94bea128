package dev.tracelake.functions.query;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.testing.JaegerConformance;
import dev.tracelake.testing.ApiGatewayEvents;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The query Lambda under Quarkus' mock Lambda event server, which turns HTTP requests into API
 * Gateway REST (payload format 1.0) events as API Gateway would, over Jaeger's conformance fixtures
 * in a local directory.
 */
@QuarkusTest
@WithTestResource(ConformanceFixturesResource.class)
class QueryFunctionTest {
  @Inject QueryEngine engine;

  @Test
  void cancelsSqlBeforeLambdaWould() {
    assertThat(engine.sql().limits().timeout()).isEqualTo(Duration.ofSeconds(25));
  }

  static List<JaegerConformance.Query> queries() {
    return JaegerConformance.queries();
  }

  @Test
  void theSuiteHasAllItsQueries() {
    assertThat(queries()).hasSize(25);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void findsExactlyTheExpectedTraces(JaegerConformance.Query query) {
    Response response = given().queryParams(query.parameters()).get("/api/v3/traces");

    assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(JaegerConformance.resultTraceIds(response.asString()))
        .containsExactlyInAnyOrderElementsOf(query.expectedTraceIds());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void returnsEachExpectedTraceByIdWithEveryField(JaegerConformance.Query query) {
    for (String traceId : query.expectedTraceIds()) {
      Response response = given().get("/api/v3/traces/" + traceId);

      assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
      assertThat(JaegerConformance.resultSpans(response.asString()))
          .containsExactlyInAnyOrderElementsOf(JaegerConformance.fixtureSpans(traceId));
    }
  }

  @Test
  void anUnknownTraceIsNotFound() {
    given()
        .get("/api/v3/traces/0123456789abcdef0123456789abcdef")
        .then()
        .statusCode(404)
        .contentType("application/json")
        .body("error.httpCode", equalTo(404))
        .body("error.message", containsString("trace not found"));
  }

  @Test
  void aMalformedTraceIdIsTheCallersToFix() {
    given()
        .get("/api/v3/traces/not-a-trace-id")
        .then()
        .statusCode(400)
        .contentType("application/json")
        .body("error.message", containsString("not-a-trace-id"));
  }

  @Test
  void aBadParameterIsNamedInThe400() {
    given()
        .queryParam("query.serviceName", "query12-service")
        .queryParam("query.durationMin", "abc")
        .get("/api/v3/traces")
        .then()
        .statusCode(400)
        .contentType("application/json")
        .body("error.httpCode", equalTo(400))
        .body("error.message", containsString("query.durationMin"));
  }

  @Test
  void ofARepeatedParameterTheFirstValueCounts() {
    JaegerConformance.Query query = queries().get(0);
    RequestSpecification request = given().queryParams(query.parameters());
    request.queryParam("query.serviceName", "no-such-service");

    Response response = request.get("/api/v3/traces");

    assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
    assertThat(JaegerConformance.resultTraceIds(response.asString()))
        .isNotEmpty()
        .containsExactlyInAnyOrderElementsOf(query.expectedTraceIds());
  }

  @Test
  void listsTheServices() {
    given()
        .get("/api/v3/services")
        .then()
        .statusCode(200)
        .contentType("application/json")
        .body("services", hasItems("query01-service", "query25-service", "example-service-1"));
  }

  @Test
  void listsTheOperationsOfAService() {
    given()
        .queryParam("service", "query05-service")
        .get("/api/v3/operations")
        .then()
        .statusCode(200)
        .contentType("application/json")
        .body(
            "operations.name", containsInAnyOrder("operation-list-test2", "operation-list-test3"));
    given()
        .get("/api/v3/operations")
        .then()
        .statusCode(400)
        .body("error.message", containsString("service is required"));
  }

  @Test
  void runsSqlOverTheSpans() {
    given()
        .contentType("application/json")
        .body("{\"sql\": \"SELECT count(DISTINCT trace_id) AS traces FROM spans\"}")
        .post("/api/sql")
        .then()
        .statusCode(200)
        .body("columns[0].name", equalTo("traces"))
        .body("rows[0][0]", equalTo(JaegerConformance.traceFiles().size()))
        .body("truncated", equalTo(false));
  }

  @Test
  void refusesSqlThatReadsFilesAndKeepsServing() {
    given()
        .contentType("application/json")
        .body("{\"sql\": \"SELECT * FROM read_csv('/etc/passwd')\"}")
        .post("/api/sql")
        .then()
        .statusCode(400)
        .body("error.message", containsString("read_csv"));
    given().get("/api/v3/services").then().statusCode(200);
  }

  /**
   * The routes and the configured objectives; what the reports compute is tested in the engine and
   * against ground truth through {@code ./tracelake serve} (the fixtures have no cross-service
   * calls, and one SERVER span: example-service-1's).
   */
  @Test
  void answersTheReportsAndJaegersServiceGraph() {
    given()
        .queryParam("from", "2017-01-01T00:00:00Z")
        .queryParam("to", "2018-01-01T00:00:00Z")
        .get("/api/reports/dependencies")
        .then()
        .statusCode(200)
        .body("from", equalTo("2017-01-01T00:00:00Z"))
        .body("edges.size()", equalTo(0));
    // Jaeger asks with an end in Unix milliseconds and a look-back.
    given()
        .queryParam("endTs", "1514764800000")
        .queryParam("lookback", String.valueOf(365L * 24 * 3600 * 1000))
        .get("/api/dependencies")
        .then()
        .statusCode(200)
        .body("data.size()", equalTo(0));
    // The objectives come from tracelake.slo (ConformanceFixturesResource).
    given()
        .queryParam("from", "2017-01-01T00:00:00Z")
        .queryParam("to", "2018-01-01T00:00:00Z")
        .get("/api/reports/sla")
        .then()
        .statusCode(200)
        .body("services.service", equalTo(List.of("example-service-1")))
        .body("services[0].total", equalTo(1))
        .body("services[0].availability_target", equalTo(0.95f));
    given()
        .get("/api/reports/outages")
        .then()
        .statusCode(404)
        .body("error.message", containsString("dependencies, sla and incidents"));
  }

  @Test
  void isHealthy() {
    given()
        .get("/health")
        .then()
        .statusCode(200)
        .contentType("application/json")
        .body("status", equalTo("ok"));
  }

  /**
   * A GET with a query string as API Gateway delivers it with payload format 1.0, from a REST API
   * and from an HTTP API: the parameters parsed, repeated ones also as lists.
   */
  @Test
  void answersRawApiGatewayEventsOfEitherApiWithQueryParameters() {
    JsonObject rest =
        ApiGatewayEvents.get("/api/v3/operations", "service=example-service-1&spanKind=server");
    for (JsonObject event : List.of(rest, ApiGatewayEvents.fromHttpApi(rest))) {
      JsonObject reply =
          JsonParser.parseString(
                  given()
                      .contentType("application/json")
                      .body(event.toString())
                      .post("/_lambda_")
                      .asString())
              .getAsJsonObject();

      assertThat(reply.get("statusCode").getAsInt()).as(reply.toString()).isEqualTo(200);
      assertThat(reply.toString()).contains("application/json");
      JsonObject body = JsonParser.parseString(reply.get("body").getAsString()).getAsJsonObject();
      assertThat(body.getAsJsonArray("operations").toString())
          .isEqualTo("[{\"name\":\"example-operation-3\",\"spanKind\":\"server\"}]");
    }
  }
}
