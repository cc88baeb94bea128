package dev.tracelake.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tracelake.otlp.OtlpJson;
import dev.tracelake.spans.SpanBatch;
import dev.tracelake.synthetic.SyntheticTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticTracesTest {
  private static final Instant HOUR = Instant.parse("2025-03-14T09:00:00Z");
  private static final long HOUR_NANOS = HOUR.getEpochSecond() * 1_000_000_000L;

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 512, 2000})
  void hasExactlyTheRequestedSpans(int count) {
    assertThat(spans(SyntheticTraces.request(count, count, HOUR))).hasSize(count);
  }

  @Test
  void everyParentIsASpanOfTheSameTraceAndEveryTraceHasOneRoot() {
    List<Span> spans = spans(SyntheticTraces.request(1, 512, HOUR));
    Map<ByteString, Span> byId = new HashMap<>();
    spans.forEach(span -> assertThat(byId.put(span.getSpanId(), span)).isNull());
    Map<ByteString, Integer> rootsPerTrace = new HashMap<>();
    for (Span span : spans) {
      assertThat(span.getTraceId().size()).isEqualTo(16);
      assertThat(span.getSpanId().size()).isEqualTo(8);
      if (span.getParentSpanId().isEmpty()) {
        rootsPerTrace.merge(span.getTraceId(), 1, Integer::sum);
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      } else {
        Span parent = byId.get(span.getParentSpanId());
        assertThat(parent).isNotNull();
        assertThat(parent.getTraceId()).isEqualTo(span.getTraceId());
        assertThat(span.getStartTimeUnixNano())
            .isGreaterThanOrEqualTo(parent.getStartTimeUnixNano());
        assertThat(span.getEndTimeUnixNano()).isLessThanOrEqualTo(parent.getEndTimeUnixNano());
      }
    }
    Set<ByteString> traces = new HashSet<>();
    spans.forEach(span -> traces.add(span.getTraceId()));
    assertThat(rootsPerTrace.keySet()).isEqualTo(traces);
    assertThat(rootsPerTrace.values()).containsOnly(1);
    // 512 spans in traces of 5 to 30 spans.
    assertThat(traces.size()).isBetween(512 / 30, 512 / 5 + 1);
  }

  @Test
  void everySpanLiesWithinTheHour() {
    for (Span span : spans(SyntheticTraces.request(2, 2000, HOUR))) {
      assertThat(span.getStartTimeUnixNano()).isGreaterThanOrEqualTo(HOUR_NANOS);
      assertThat(span.getEndTimeUnixNano())
          .isGreaterThanOrEqualTo(span.getStartTimeUnixNano())
          .isLessThan(HOUR_NANOS + 3_600_000_000_000L);
    }
    assertThat(SpanBatch.of(SyntheticTraces.request(2, 2000, HOUR)).rowsByHour()).hasSize(1);
  }

  @Test
  void tracesOfARequestOfAWindowStartInItAndEndWithinTheHour() {
    long windowStart = HOUR_NANOS + 600_000_000_000L;
    long windowEnd = windowStart + 5_000_000_000L;
    ExportTraceServiceRequest request =
        SyntheticTraces.request(5, 2000, HOUR, Duration.ofMinutes(10), Duration.ofSeconds(5));
    List<Span> roots =
        spans(request).stream().filter(span -> span.getParentSpanId().isEmpty()).toList();

    assertThat(roots).hasSizeGreaterThan(2000 / 30);
    assertThat(roots)
        .allSatisfy(
            root -> assertThat(root.getStartTimeUnixNano()).isBetween(windowStart, windowEnd));
    // Children start after their root and, like it, end within the hour.
    assertThat(spans(request))
        .allSatisfy(
            span -> {
              assertThat(span.getStartTimeUnixNano()).isGreaterThanOrEqualTo(windowStart);
              assertThat(span.getEndTimeUnixNano()).isLessThan(HOUR_NANOS + 3_600_000_000_000L);
            });
    // The last seconds of the hour: traces too long to end in it start earlier.
    assertThat(
            spans(
                SyntheticTraces.request(
                    6, 2000, HOUR, Duration.ofSeconds(3595), Duration.ofSeconds(5))))
        .allSatisfy(
            span ->
                assertThat(span.getEndTimeUnixNano()).isLessThan(HOUR_NANOS + 3_600_000_000_000L));
  }

  @Test
  void looksLikeAServiceFleetWithSomeErrors() {
    ExportTraceServiceRequest request = SyntheticTraces.request(3, 5000, HOUR);
    assertThat(request.getResourceSpansCount()).isBetween(6, 10);
    List<Span> spans = spans(request);
    long errors = spans.stream().filter(span -> span.getStatus().getCodeValue() == 2).count();
    assertThat(errors).isBetween(spans.size() / 100L, spans.size() * 3L / 100);
    assertThat(spans)
        .filteredOn(span -> span.getStatus().getCodeValue() == 2)
        .allSatisfy(span -> assertThat(span.getEvents(0).getName()).isEqualTo("exception"));
    assertThat(spans).anySatisfy(span -> assertThat(span.getLinksCount()).isPositive());
  }

  @Test
  void isDeterministic() {
    assertThat(SyntheticTraces.request(42, 512, HOUR))
        .isEqualTo(SyntheticTraces.request(42, 512, HOUR))
        .isNotEqualTo(SyntheticTraces.request(43, 512, HOUR));
  }

  @Test
  void otlpJsonHasHexIdsAndDecodesToTheSameRequest() throws Exception {
    ExportTraceServiceRequest request = SyntheticTraces.request(4, 512, HOUR);
    String json = new String(SyntheticTraces.toOtlpJson(request), StandardCharsets.UTF_8);
    assertThat(json).containsPattern("\"traceId\":\"[0-9a-f]{32}\"");
    assertThat(OtlpJson.parseTraceRequest(json)).isEqualTo(request);
  }

  private static List<Span> spans(ExportTraceServiceRequest request) {
    List<Span> spans = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        spans.addAll(scopeSpans.getSpansList());
      }
    }
    return spans;
  }
}
