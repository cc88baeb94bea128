package dev.tracelake.functions.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tracelake.spans.StoredSpan;
import dev.tracelake.testing.ApiGatewayEvents;
import dev.tracelake.testing.ConformanceData;
import dev.tracelake.testing.OtlpFiles;
import dev.tracelake.testing.ParquetSpanReader;
import dev.tracelake.testing.S3SpanObjects;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The ingest Lambda under Quarkus' mock Lambda event server, which turns HTTP requests into API
 * Gateway REST (payload format 1.0) events as API Gateway would, writing to s3proxy and dynalite on
 * loopback.
 */
@QuarkusTest
@WithTestResource(AwsEmulatorsResource.class)
class IngestFunctionTest {
  private static final String BUCKET = AwsEmulatorsResource.BUCKET;

  @ConfigProperty(name = "quarkus.lambda.mock-event-server.test-port", defaultValue = "8081")
  int port;

  @TempDir Path downloads;

  @Test
  void everyConformanceFileComesBackOutOfTheBucket() {
    try (S3Client s3 = FunctionStorage.s3()) {
      Set<String> before = S3SpanObjects.keys(s3, BUCKET, "spans/");
      List<StoredSpan> expected = new ArrayList<>();
      for (Path file : ConformanceData.allOtlpJsonFiles()) {
        given()
            .contentType("application/json")
            .body(OtlpFiles.bytes(file))
            .post("/v1/traces")
            .then()
            .statusCode(200)
            .contentType("application/json");
        expected.addAll(StoredSpan.of(OtlpFiles.request(file)));
      }
      Set<String> written = new TreeSet<>(S3SpanObjects.keys(s3, BUCKET, "spans/"));
      written.removeAll(before);

      assertThat(S3SpanObjects.read(s3, BUCKET, written, downloads))
          .extracting(ParquetSpanReader.Row::span)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void protobufIsAnsweredInProtobufAndIndexed() throws Exception {
    byte[] body = OtlpFiles.request(ConformanceData.otlpExample()).toByteArray();

    Response response = given().contentType("application/x-protobuf").body(body).post("/v1/traces");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("application/x-protobuf");
    assertThat(ExportTraceServiceResponse.parseFrom(response.asByteArray()).hasPartialSuccess())
        .isFalse();
    assertThat(FunctionStorage.indexItems("5b8efff798038103d269b633813fc60c"))
        .extracting(item -> item.get("object_key").s())
        .anyMatch(key -> key.startsWith("spans/dt=2018-12-13/hour=14/"));
  }

  /**
   * Gzipped JSON as either API delivers it: the body base64-encoded with isBase64Encoded set. The
   * mock event server would decide base64 from the content type alone and garble it, so the raw
   * event is posted instead.
   */
  @Test
  void gzippedJsonInABase64ApiGatewayEventIsStored() {
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String json =
        """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gateway"}}]},
          "scopeSpans":[{"spans":[{"traceId":"%s","spanId":"0102030405060708","name":"GET /",
          "kind":"SPAN_KIND_SERVER","startTimeUnixNano":"1700000000000000000","endTimeUnixNano":1700000000500000000}]}]}]}
        """
            .formatted(traceId.toUpperCase());
    JsonObject event =
        ApiGatewayEvents.request(
            "POST",
            "/v1/traces",
            "",
            Map.of("content-type", "application/json", "content-encoding", "gzip"),
            OtlpFiles.gzip(json.getBytes(StandardCharsets.UTF_8)));

    // From a REST API, then from an HTTP API (payload format 1.0): the retry stores nothing new.
    for (JsonObject delivered : List.of(event, ApiGatewayEvents.fromHttpApi(event))) {
      JsonObject reply =
          JsonParser.parseString(
                  given()
                      .contentType("application/json")
                      .body(delivered.toString())
                      .post("/_lambda_")
                      .asString())
              .getAsJsonObject();
      assertThat(reply.get("statusCode").getAsInt()).as(reply.toString()).isEqualTo(200);
    }
    assertThat(FunctionStorage.indexItems(traceId))
        .singleElement()
        .satisfies(item -> assertThat(item.get("root_name").s()).isEqualTo("GET /"));
  }

  /**
   * A browser exporter behind the REST API shape, whose gateway passes the function's headers
   * through: an allowed origin (the stack sets {@code QUARKUS_HTTP_CORS_*} from corsOrigins; the
   * test resource sets one) is answered with the CORS headers, another is refused.
   */
  @Test
  void answersBrowsersOfAnAllowedOriginWithCorsHeaders() {
    // An empty export: what other tests find in the bucket stays theirs alone.
    String body = "{\"resourceSpans\": []}";
    given()
        .header("Origin", AwsEmulatorsResource.CORS_ORIGIN)
        .contentType("application/json")
        .body(body)
        .post("/v1/traces")
        .then()
        .statusCode(200)
        .header("Access-Control-Allow-Origin", AwsEmulatorsResource.CORS_ORIGIN);
    given()
        .header("Origin", "https://elsewhere.example.com")
        .contentType("application/json")
        .body(body)
        .post("/v1/traces")
        .then()
        .header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
  }

  @Test
  void badRequestsGetOtlpErrorsNeverAStackTrace() {
    given()
        .contentType("application/json")
        .body("{\"resourceSpans\":")
        .post("/v1/traces")
        .then()
        .statusCode(400)
        .contentType("application/json")
        .body(org.hamcrest.Matchers.containsString("body is not valid JSON"));
    given()
        .contentType("text/plain")
        .body("hello")
        .post("/v1/traces")
        .then()
        .statusCode(415)
        .body(org.hamcrest.Matchers.containsString("is not supported"));
    given()
        .contentType("application/x-protobuf")
        .body(new byte[6_000_001])
        .post("/v1/traces")
        .then()
        .statusCode(413);
  }

  @Test
  void theOpenTelemetrySdkExportsThroughTheFunction() {
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint("http://localhost:" + port + "/v1/traces")
            .setCompression("gzip")
            .build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(AttributeKey.stringKey("service.name"), "checkout"))))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    Tracer tracer = provider.get("dev.tracelake.test", "1.0");
    Span root = tracer.spanBuilder("POST /orders").setSpanKind(SpanKind.SERVER).startSpan();
    String traceId = root.getSpanContext().getTraceId();
    try (Scope ignored = root.makeCurrent()) {
      tracer
          .spanBuilder("SELECT orders")
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute("db.system", "postgresql")
          .setAttribute("db.rows", 3L)
          .startSpan()
          .setStatus(StatusCode.ERROR, "deadlock")
          .end();
    } finally {
      root.end();
    }
    assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    provider.shutdown().join(10, TimeUnit.SECONDS);

    try (S3Client s3 = FunctionStorage.s3()) {
      Set<String> objects = new TreeSet<>();
      FunctionStorage.indexItems(traceId).forEach(item -> objects.add(item.get("object_key").s()));
      List<ParquetSpanReader.Row> rows = S3SpanObjects.read(s3, BUCKET, objects, downloads);
      assertThat(rows).extracting(ParquetSpanReader.Row::serviceName).containsOnly("checkout");
      assertThat(rows)
          .extracting(row -> row.span().span().getName())
          .containsExactlyInAnyOrder("POST /orders", "SELECT orders");
      assertThat(rows)
          .filteredOn(row -> row.span().span().getName().equals("SELECT orders"))
          .singleElement()
          .satisfies(
              row -> {
                assertThat(row.span().span().getStatus().getMessage()).isEqualTo("deadlock");
                assertThat(row.span().span().getAttributesList())
                    .anyMatch(
                        a -> a.getKey().equals("db.rows") && a.getValue().getIntValue() == 3L);
                assertThat(row.span().scope().getName()).isEqualTo("dev.tracelake.test");
              });
    }
  }
}
