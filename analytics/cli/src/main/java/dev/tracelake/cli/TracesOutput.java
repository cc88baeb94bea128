package dev.tracelake.cli;

import com.google.gson.JsonObject;
import dev.tracelake.otlp.OtlpJson;
import dev.tracelake.query.SqlResult;
import dev.tracelake.spans.SpanBatch;
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

  static void print(TracesData traces, OutputOptions output, PrintWriter out) {
    if (output.json()) {
      JsonObject body = new JsonObject();
      body.add("result", OtlpJson.tracesData(traces));
      out.println(body);
    } else {
      out.print(output.format.render(spans(traces)));
    }
    out.flush();
  }

  private static SqlResult spans(TracesData traces) {
    HexFormat hex = HexFormat.of();
    List<List<Object>> rows = new ArrayList<>();
    for (ResourceSpans resourceSpans : traces.getResourceSpansList()) {
      String service = SpanBatch.serviceName(resourceSpans.getResource());
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
    List<SqlResult.Column> columns = new ArrayList<>();
    for (String name : List.of("trace_id", "span_id", "parent_span_id", "service", "operation")) {
      columns.add(new SqlResult.Column(name, "VARCHAR"));
    }
    columns.add(new SqlResult.Column("kind", "VARCHAR"));
    columns.add(new SqlResult.Column("start", "TIMESTAMP"));
    columns.add(new SqlResult.Column("duration_ms", "DOUBLE"));
    columns.add(new SqlResult.Column("status", "VARCHAR"));
    return new SqlResult(columns, rows, false, rows.size());
  }
}
