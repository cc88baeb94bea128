package dev.tracelake.cli;

import com.google.gson.JsonObject;
import dev.tracelake.otlp.OtlpJson;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Prints traces: as OTLP/JSON in the query API's shape ({@code {"result": …}}), or one line per
 * span for people and spreadsheets.
 */
final class TracesOutput {
  private static final List<String> KINDS =
      List.of("UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER");
  private static final List<String> STATUSES = List.of("UNSET", "OK", "ERROR");

  private TracesOutput() {}

  static void print(TracesData traces, OutputOptions.Format format, PrintWriter out) {
    switch (format) {
      case json -> {
        JsonObject body = new JsonObject();
        body.add("result", OtlpJson.tracesData(traces));
        out.println(body);
      }
      case csv, table -> spans(traces).print(format, out);
    }
  }

  private static Table spans(TracesData traces) {
    HexFormat hex = HexFormat.of();
    List<List<Object>> rows = new ArrayList<>();
    for (ResourceSpans resourceSpans : traces.getResourceSpansList()) {
      String service = service(resourceSpans);
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          rows.add(
              Arrays.asList(
                  hex.formatHex(span.getTraceId().toByteArray()),
                  hex.formatHex(span.getSpanId().toByteArray()),
                  span.getParentSpanId().isEmpty()
                      ? null
                      : hex.formatHex(span.getParentSpanId().toByteArray()),
                  service,
                  span.getName(),
                  KINDS.get(Math.min(span.getKindValue(), KINDS.size() - 1)),
                  Instant.ofEpochSecond(0, span.getStartTimeUnixNano()).toString(),
                  (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e6,
                  STATUSES.get(Math.min(span.getStatus().getCodeValue(), STATUSES.size() - 1))));
        }
      }
    }
    rows.sort(
        (a, b) -> {
          int byTrace = ((String) a.get(0)).compareTo((String) b.get(0));
          return byTrace != 0 ? byTrace : ((String) a.get(6)).compareTo((String) b.get(6));
        });
    return new Table(
        List.of(
            "trace_id",
            "span_id",
            "parent_span_id",
            "service",
            "operation",
            "kind",
            "start",
            "duration_ms",
            "status"),
        rows);
  }

  private static String service(ResourceSpans resourceSpans) {
    for (KeyValue attribute : resourceSpans.getResource().getAttributesList()) {
      if (attribute.getKey().equals("service.name")) {
        return attribute.getValue().getStringValue();
      }
    }
    return "unknown_service";
  }
}
