package dev.tracelake.spans;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The spans of one export request, flattened into rows, checked, and grouped by the hour partition
 * they belong to. Spans whose IDs cannot identify them are left out and counted, as OTLP's partial
 * success asks.
 */
public final class SpanBatch {
  private static final Comparator<SpanRow> TRACE_ORDER =
      Comparator.comparing(
              (SpanRow row) -> row.span().getTraceId(),
              ByteString.unsignedLexicographicalComparator())
          .thenComparingLong(row -> row.span().getStartTimeUnixNano());

  private final SortedMap<HourPartition, List<SpanRow>> rowsByHour;
  private final int acceptedSpans;
  private final int invalidTraceIds;
  private final int invalidSpanIds;

  private SpanBatch(
      SortedMap<HourPartition, List<SpanRow>> rowsByHour,
      int acceptedSpans,
      int invalidTraceIds,
      int invalidSpanIds) {
    this.rowsByHour = rowsByHour;
    this.acceptedSpans = acceptedSpans;
    this.invalidTraceIds = invalidTraceIds;
    this.invalidSpanIds = invalidSpanIds;
  }

  /** Flattens and checks every span of the request. */
  public static SpanBatch of(ExportTraceServiceRequest request) {
    SortedMap<HourPartition, List<SpanRow>> rowsByHour = new TreeMap<>();
    int accepted = 0;
    int invalidTraceIds = 0;
    int invalidSpanIds = 0;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Resource resource = resourceSpans.getResource();
      String serviceName = serviceName(resource);
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          if (!isValidId(span.getTraceId(), 16)) {
            invalidTraceIds++;
          } else if (!isValidId(span.getSpanId(), 8)) {
            invalidSpanIds++;
          } else {
            SpanRow row =
                new SpanRow(
                    resource,
                    resourceSpans.getSchemaUrl(),
                    scopeSpans.getScope(),
                    scopeSpans.getSchemaUrl(),
                    serviceName,
                    span);
            rowsByHour
                .computeIfAbsent(
                    HourPartition.ofUnixNanos(span.getStartTimeUnixNano()), h -> new ArrayList<>())
                .add(row);
            accepted++;
          }
        }
      }
    }
    rowsByHour.values().forEach(rows -> rows.sort(TRACE_ORDER));
    return new SpanBatch(rowsByHour, accepted, invalidTraceIds, invalidSpanIds);
  }

  /** The accepted rows of each hour, each list sorted by trace ID, then start time. */
  public SortedMap<HourPartition, List<SpanRow>> rowsByHour() {
    return rowsByHour;
  }

  public int acceptedSpans() {
    return acceptedSpans;
  }

  public int rejectedSpans() {
    return invalidTraceIds + invalidSpanIds;
  }

  /** Why spans were rejected, for OTLP's {@code partial_success.error_message}; empty if none. */
  public String rejectionMessage() {
    List<String> reasons = new ArrayList<>(2);
    if (invalidTraceIds > 0) {
      reasons.add(invalidTraceIds + " with a trace_id that is not 16 bytes or is all zero");
    }
    if (invalidSpanIds > 0) {
      reasons.add(invalidSpanIds + " with a span_id that is not 8 bytes or is all zero");
    }
    return reasons.isEmpty()
        ? ""
        : "rejected " + rejectedSpans() + " spans: " + String.join("; ", reasons);
  }

  private static boolean isValidId(ByteString id, int length) {
    if (id.size() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (id.byteAt(i) != 0) {
        return true;
      }
    }
    return false;
  }

  /** The resource's {@code service.name}, or {@link SpanRow#UNKNOWN_SERVICE} when it has none. */
  public static String serviceName(Resource resource) {
    for (KeyValue attribute : resource.getAttributesList()) {
      if (attribute.getKey().equals("service.name") && attribute.getValue().hasStringValue()) {
        return attribute.getValue().getStringValue();
      }
    }
    return SpanRow.UNKNOWN_SERVICE;
  }
}
