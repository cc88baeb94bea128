package dev.tracelake.query.report;

import com.google.protobuf.ByteString;
import dev.tracelake.index.TraceIndex;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spans written by hand, for reports with exact expected answers: each span is built with its
 * service, kind, parent, start, duration and status, and {@link #ingest} stores them through the
 * ingest path into a local directory, one object per call.
 */
final class ReportSpans {
  static final int SERVER = Span.SpanKind.SPAN_KIND_SERVER_VALUE;
  static final int CLIENT = Span.SpanKind.SPAN_KIND_CLIENT_VALUE;
  static final int PRODUCER = Span.SpanKind.SPAN_KIND_PRODUCER_VALUE;
  static final int CONSUMER = Span.SpanKind.SPAN_KIND_CONSUMER_VALUE;
  static final int INTERNAL = Span.SpanKind.SPAN_KIND_INTERNAL_VALUE;

  private final Map<String, List<Span>> byService = new LinkedHashMap<>();
  private long nextId = 1;

  /** A span; returns its ID for children to name as their parent. */
  ByteString add(
      String service,
      int kind,
      String name,
      ByteString traceId,
      ByteString parentId,
      Instant start,
      Duration duration,
      boolean error,
      String... attributes) {
    ByteString spanId = ByteString.copyFrom(ByteBuffer.allocate(8).putLong(nextId++).array());
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(traceId)
            .setSpanId(spanId)
            .setName(name)
            .setKindValue(kind)
            .setStartTimeUnixNano(nanos(start))
            .setEndTimeUnixNano(nanos(start.plus(duration)));
    if (parentId != null) {
      span.setParentSpanId(parentId);
    }
    if (error) {
      span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    for (int i = 0; i < attributes.length; i += 2) {
      span.addAttributes(
          KeyValue.newBuilder()
              .setKey(attributes[i])
              .setValue(AnyValue.newBuilder().setStringValue(attributes[i + 1])));
    }
    byService.computeIfAbsent(service, s -> new ArrayList<>()).add(span.build());
    return spanId;
  }

  /** A trace ID made from a number. */
  static ByteString traceId(long number) {
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(1).putLong(number).array());
  }

  /** Stores the spans added since the last call as one export request, and forgets them. */
  void ingest(Path data) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    byService.forEach(
        (service, spans) ->
            request.addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(
                        Resource.newBuilder()
                            .addAttributes(
                                KeyValue.newBuilder()
                                    .setKey("service.name")
                                    .setValue(AnyValue.newBuilder().setStringValue(service))))
                    .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))));
    ExportTraceServiceRequest built = request.build();
    new TraceIngester(
            new LocalDirectoryObjectStore(data),
            new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX),
            TraceIndex.NONE)
        .ingest(built, built.toByteArray());
    byService.clear();
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
