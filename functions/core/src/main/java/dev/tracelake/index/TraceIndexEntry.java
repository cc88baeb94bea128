package dev.tracelake.index;

import com.google.protobuf.ByteString;
import dev.tracelake.spans.SpanRow;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the trace index knows of one trace in one object: that the object holds some of the trace's
 * spans, and a summary of those spans. A trace whose spans arrived in many requests has one entry
 * per object; together they locate and summarize the whole trace.
 *
 * @param traceId lowercase hex trace ID
 * @param objectKey the key of the span object
 * @param spanCount how many of the trace's spans the object holds
 * @param startUnixNano the earliest start among them
 * @param endUnixNano the latest end among them
 * @param services the services those spans belong to
 * @param rootService the service of the trace's root span, when the object holds it, else null
 * @param rootName the name of the root span, when the object holds it, else null
 * @param error whether any of those spans has status ERROR
 */
public record TraceIndexEntry(
    String traceId,
    String objectKey,
    int spanCount,
    long startUnixNano,
    long endUnixNano,
    SortedSet<String> services,
    String rootService,
    String rootName,
    boolean error) {

  /** Summarizes the rows written to one object, one entry per trace; rows are sorted by trace. */
  public static List<TraceIndexEntry> summarize(String objectKey, List<SpanRow> sortedRows) {
    List<TraceIndexEntry> entries = new ArrayList<>();
    int first = 0;
    while (first < sortedRows.size()) {
      ByteString traceId = sortedRows.get(first).span().getTraceId();
      int end = first;
      while (end < sortedRows.size() && sortedRows.get(end).span().getTraceId().equals(traceId)) {
        end++;
      }
      entries.add(summarizeTrace(objectKey, sortedRows.subList(first, end)));
      first = end;
    }
    return entries;
  }

  private static TraceIndexEntry summarizeTrace(String objectKey, List<SpanRow> rows) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    SortedSet<String> services = new TreeSet<>();
    String rootService = null;
    String rootName = null;
    boolean error = false;
    for (SpanRow row : rows) {
      Span span = row.span();
      start = Math.min(start, span.getStartTimeUnixNano());
      end = Math.max(end, span.getEndTimeUnixNano());
      services.add(row.serviceName());
      error |= row.isError();
      if (row.isRoot()) {
        rootService = row.serviceName();
        rootName = span.getName();
      }
    }
    String traceId = HexFormat.of().formatHex(rows.get(0).span().getTraceId().toByteArray());
    return new TraceIndexEntry(
        traceId, objectKey, rows.size(), start, end, services, rootService, rootName, error);
  }
}
