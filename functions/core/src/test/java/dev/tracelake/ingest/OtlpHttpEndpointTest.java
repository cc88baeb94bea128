package dev.tracelake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import dev.tracelake.testing.ConformanceData;
import dev.tracelake.testing.LocalIngest;
import dev.tracelake.testing.OtlpFiles;
import dev.tracelake.testing.ParquetSpanReader;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP/HTTP semantics of {@code POST /v1/traces}: statuses, bodies in the request's encoding, and
 * that a rejected request stores nothing. The store is a real local directory.
 */
class OtlpHttpEndpointTest {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final IngestLimits LIMITS = new IngestLimits(1_000_000, 4_000_000, 7);

  @TempDir Path data;
  private OtlpHttpEndpoint endpoint;
  private ExportTraceServiceRequest example;

  @BeforeEach
  void setUp() {
    endpoint = LocalIngest.endpoint(data, LIMITS);
    example = OtlpFiles.request(ConformanceData.otlpExample());
  }

  @Test
  void protobufRequestGetsAnEmptyProtobufResponse() throws Exception {
    OtlpHttpEndpoint.Reply reply = endpoint.export(PROTOBUF, null, example.toByteArray());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo(PROTOBUF);
    assertThat(ExportTraceServiceResponse.parseFrom(reply.body()))
        .isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
    assertThat(storedSpanCount()).isEqualTo(1);
  }

  @Test
  void contentTypeParametersAndCaseAreIgnored() {
    OtlpHttpEndpoint.Reply reply =
        endpoint.export(
            "Application/JSON; charset=utf-8",
            "GZIP",
            OtlpFiles.gzip(OtlpFiles.bytes(ConformanceData.otlpExample())));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo(JSON);
    assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
  }

  @Test
  void theSameRequestTwiceIsStoredOnce() throws IOException {
    byte[] body = example.toByteArray();
    assertThat(endpoint.export(PROTOBUF, null, body).status()).isEqualTo(200);
    assertThat(endpoint.export(PROTOBUF, "gzip", OtlpFiles.gzip(body)).status()).isEqualTo(200);

    assertThat(storedFiles()).hasSize(1);
    assertThat(storedSpanCount()).isEqualTo(1);
  }

  @Test
  void invalidIdsAreRejectedAsPartialSuccessAndTheRestIsStored() throws Exception {
    Span valid = example.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    ExportTraceServiceRequest request =
        requestOf(
            valid,
            valid.toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build(),
            valid.toBuilder().setTraceId(ByteString.copyFrom(new byte[15])).build(),
            valid.toBuilder().setSpanId(ByteString.copyFrom(new byte[8])).build(),
            valid.toBuilder().setSpanId(ByteString.copyFrom(new byte[9])).build(),
            valid.toBuilder().clearSpanId().build());

    OtlpHttpEndpoint.Reply reply = endpoint.export(PROTOBUF, null, request.toByteArray());

    assertThat(reply.status()).isEqualTo(200);
    ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(reply.body());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(5);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .contains("2 with a trace_id that is not 16 bytes or is all zero")
        .contains("3 with a span_id that is not 8 bytes or is all zero");
    assertThat(storedSpanCount()).isEqualTo(1);
  }

  @Test
  void wrongLengthHexIdsInJsonArePartialSuccess() {
    String json =
        """
        {"resourceSpans":[{"scopeSpans":[{"spans":[
          {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","name":"ok"},
          {"traceId":"5B8EFFF798038103D269B633813FC6","spanId":"EEE19B7EC3C1B174","name":"short"}
        ]}]}]}
        """;
    OtlpHttpEndpoint.Reply reply = endpoint.export(JSON, null, utf8(json));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(utf8(reply.body()))
        .contains("\"rejectedSpans\":\"1\"")
        .contains("trace_id that is not 16 bytes");
    assertThat(storedSpanCount()).isEqualTo(1);
  }

  @Test
  void aHugeAttributeIsStoredIntact() {
    String huge = "x".repeat(900_000);
    Span span =
        example.getResourceSpans(0).getScopeSpans(0).getSpans(0).toBuilder()
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("huge")
                    .setValue(AnyValue.newBuilder().setStringValue(huge)))
            .build();

    OtlpHttpEndpoint.Reply reply = endpoint.export(PROTOBUF, null, requestOf(span).toByteArray());

    assertThat(reply.status()).isEqualTo(200);
    List<ParquetSpanReader.Row> rows = ParquetSpanReader.readDirectory(data);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).span().span()).isEqualTo(span);
  }

  @Test
  void badInputIsRefusedWithTheRightStatusAndNothingIsStored() throws Exception {
    byte[] valid = example.toByteArray();
    byte[] random = new byte[512];
    new Random(42).nextBytes(random);
    byte[] json = OtlpFiles.bytes(ConformanceData.otlpExample());

    assertRefused(endpoint.export(JSON, null, new byte[0]), 400, "body is empty");
    assertRefused(
        endpoint.export(PROTOBUF, null, Arrays.copyOf(valid, valid.length - 7)),
        400,
        "not a valid protobuf");
    assertRefused(endpoint.export(PROTOBUF, null, random), 400, "not a valid protobuf");
    assertRefused(
        endpoint.export(JSON, null, Arrays.copyOf(json, json.length / 2)), 400, "not valid JSON");
    assertRefused(
        endpoint.export(JSON, null, utf8("{\"resourceSpans\": 3}")), 400, "must be an array");
    assertRefused(
        endpoint.export(
            JSON,
            null,
            utf8("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}")),
        400,
        "'traceId' is not a hex string: 'xyz'");
    assertRefused(endpoint.export(JSON, "gzip", json), 400, "not valid gzip");
    assertRefused(endpoint.export("text/plain", null, json), 415, "'text/plain' is not supported");
    assertRefused(endpoint.export(null, null, json), 415, "is not supported");
    assertRefused(endpoint.export(JSON, "br", json), 415, "Content-Encoding 'br'");
    assertRefused(
        endpoint.export(PROTOBUF, null, new byte[LIMITS.maxBodyBytes() + 1]),
        413,
        "over the limit of 1000000 bytes");
    assertRefused(
        endpoint.export(
            PROTOBUF, "gzip", OtlpFiles.gzip(new byte[LIMITS.maxDecompressedBytes() + 1])),
        413,
        "decompresses to more than");

    assertThat(storedFiles()).isEmpty();
  }

  @Test
  void anEmptyProtobufBodyIsAnEmptyRequest() throws Exception {
    OtlpHttpEndpoint.Reply reply = endpoint.export(PROTOBUF, null, new byte[0]);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(ExportTraceServiceResponse.parseFrom(reply.body()).hasPartialSuccess()).isFalse();
    assertThat(storedFiles()).isEmpty();
  }

  @Test
  void errorsComeInTheRequestsEncoding() throws Exception {
    OtlpHttpEndpoint.Reply protobuf = endpoint.export(PROTOBUF, "gzip", new byte[] {1, 2, 3});
    assertThat(protobuf.contentType()).isEqualTo(PROTOBUF);
    assertThat(Status.parseFrom(protobuf.body()).getMessage()).contains("not valid gzip");

    OtlpHttpEndpoint.Reply json = endpoint.export(JSON, null, utf8("{nope"));
    assertThat(json.contentType()).isEqualTo(JSON);
    assertThat(utf8(json.body())).startsWith("{\"code\":3,\"message\":\"body is not");
  }

  private void assertRefused(OtlpHttpEndpoint.Reply reply, int status, String message)
      throws Exception {
    assertThat(reply.status()).isEqualTo(status);
    Status body =
        reply.contentType().equals(PROTOBUF)
            ? Status.parseFrom(reply.body())
            : parseJsonStatus(reply.body());
    assertThat(body.getMessage()).contains(message);
    assertThat(reply.retryAfterSeconds()).isEmpty();
  }

  private static Status parseJsonStatus(byte[] body) throws Exception {
    Status.Builder status = Status.newBuilder();
    com.google.protobuf.util.JsonFormat.parser().merge(utf8(body), status);
    return status.build();
  }

  private ExportTraceServiceRequest requestOf(Span... spans) {
    ResourceSpans first = example.getResourceSpans(0);
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(first.getResource())
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(first.getScopeSpans(0).getScope())
                        .addAllSpans(List.of(spans))))
        .build();
  }

  private List<Path> storedFiles() throws IOException {
    try (Stream<Path> files = Files.walk(data)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private long storedSpanCount() {
    return ParquetSpanReader.readDirectory(data).size();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
