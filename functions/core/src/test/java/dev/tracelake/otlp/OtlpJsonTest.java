package dev.tracelake.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The liberties OTLP/JSON allows a sender, and what it does not. */
class OtlpJsonTest {
  private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";

  @Test
  void acceptsEveryFormOfTheSameSpan() throws Exception {
    Span canonical =
        span(
            """
            {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",
             "parentSpanId": "eee19b7ec3c1b173", "name": "a", "kind": 2,
             "startTimeUnixNano": "1544712660000000000", "endTimeUnixNano": "1544712661000000000",
             "links": [{"traceId": "5b8efff798038103d269b633813fc60d", "spanId": "eee19b7ec3c1b175"}]}
            """);
    Span liberal =
        span(
            """
            {"trace_id": "5B8EFFF798038103D269B633813FC60C", "span_id": "EEE19B7EC3C1B174",
             "parent_span_id": "EEE19B7EC3C1B173", "name": "a", "kind": "SPAN_KIND_SERVER",
             "start_time_unix_nano": 1544712660000000000, "endTimeUnixNano": 1544712661000000000,
             "links": [{"trace_id": "5B8EFFF798038103D269B633813FC60D", "spanId": "EEE19B7EC3C1B175",
                        "notInOtlp": {"nested": [1, 2]}}],
             "someFutureField": true}
            """);

    assertThat(liberal).isEqualTo(canonical);
    assertThat(canonical.getTraceId())
        .isEqualTo(ByteString.copyFrom(HexFormat.of().parseHex(TRACE_ID)));
    assertThat(canonical.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(canonical.getLinks(0).getSpanId().size()).isEqualTo(8);
  }

  @Test
  void readsAnEnumNameFromAFutureVersionAsUnspecified() throws Exception {
    assertThat(span("{\"kind\": \"SPAN_KIND_FROM_THE_FUTURE\"}").getKind())
        .isEqualTo(Span.SpanKind.SPAN_KIND_UNSPECIFIED);
  }

  @Test
  void refusesWhatIsNotOtlpJson() {
    assertThatThrownBy(() -> span("{\"traceId\": \"abc\"}"))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("'traceId' is not a hex string: 'abc'");
    assertThatThrownBy(() -> span("{\"spanId\": 42}"))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("'spanId' must be a hex string");
    assertThatThrownBy(() -> span("{\"startTimeUnixNano\": \"soon\"}"))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining("not a valid OTLP/JSON request");
    assertThatThrownBy(() -> OtlpJson.parseTraceRequest("{resourceSpans: []}"))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessage("body is not valid JSON: malformed at line 1 column 3 path $.");
    assertThatThrownBy(() -> OtlpJson.parseTraceRequest("{} {}"))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageStartingWith("body is not valid JSON: ");
  }

  private static Span span(String spanJson) throws MalformedRequestException {
    ExportTraceServiceRequest request =
        OtlpJson.parseTraceRequest(
            "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [" + spanJson + "]}]}]}");
    return request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
  }
}
