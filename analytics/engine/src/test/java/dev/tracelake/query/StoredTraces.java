package dev.tracelake.query;

import dev.tracelake.spans.StoredSpan;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Searches tests run over stored spans, and what they expect of them: trace IDs, and their order.
 */
final class StoredTraces {
  private StoredTraces() {}

  /** A search for the traces with a span of the service in the window, at most {@code limit}. */
  static TraceQuery byService(TimeRange window, String service, int limit) {
    return new TraceQuery(
        window,
        Optional.of(service),
        Optional.empty(),
        OptionalInt.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        Map.of(),
        limit);
  }

  /** The IDs of the traces of some spans, in hex. */
  static Set<String> traceIds(Collection<StoredSpan> spans) {
    return spans.stream().map(StoredTraces::traceId).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The IDs of the traces a search answered with. */
  static Set<String> traceIds(TracesData traces) {
    return traceIds(
        StoredSpan.of(
            ExportTraceServiceRequest.newBuilder()
                .addAllResourceSpans(traces.getResourceSpansList())
                .build()));
  }

  /**
   * The traces with a span of the service, newest first by their newest such span (then by ID), as
   * a search by service ranks them.
   */
  static List<String> newestFirst(Collection<StoredSpan> spans, String service) {
    Map<String, Long> newest = new HashMap<>();
    for (StoredSpan span : spans) {
      if (service(span).equals(service)) {
        newest.merge(traceId(span), span.span().getStartTimeUnixNano(), Math::max);
      }
    }
    return newest.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** The span's service, as its resource names it. */
  static String service(StoredSpan span) {
    return span.resource().getAttributesList().stream()
        .filter(a -> a.getKey().equals("service.name"))
        .map(a -> a.getValue().getStringValue())
        .findFirst()
        .orElseThrow();
  }

  static String traceId(StoredSpan span) {
    return HexFormat.of().formatHex(span.span().getTraceId().toByteArray());
  }
}
