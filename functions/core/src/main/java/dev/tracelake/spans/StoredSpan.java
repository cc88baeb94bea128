package dev.tracelake.spans;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything OTLP says about one span, flattened the way a stored row holds it, so that what went
 * in and what came out of the Parquet can be compared with protobuf equality.
 */
public record StoredSpan(
    Resource resource,
    String resourceSchemaUrl,
    InstrumentationScope scope,
    String scopeSchemaUrl,
    Span span) {

  /** The spans of a request, flattened and normalized for comparison. */
  public static List<StoredSpan> of(ExportTraceServiceRequest request) {
    List<StoredSpan> spans = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          spans.add(
              new StoredSpan(
                  resourceSpans.getResource(),
                  resourceSpans.getSchemaUrl(),
                  scopeSpans.getScope(),
                  scopeSpans.getSchemaUrl(),
                  normalized(span)));
        }
      }
    }
    return spans;
  }

  /**
   * Spans regrouped the way OTLP carries them: one ResourceSpans per resource (and schema URL), one
   * ScopeSpans per scope within it, spans in the order given.
   */
  public static TracesData tracesData(List<StoredSpan> spans) {
    Map<List<Object>, Map<List<Object>, ScopeSpans.Builder>> byResource = new LinkedHashMap<>();
    for (StoredSpan stored : spans) {
      byResource
          .computeIfAbsent(
              List.of(stored.resource(), stored.resourceSchemaUrl()), key -> new LinkedHashMap<>())
          .computeIfAbsent(
              List.of(stored.scope(), stored.scopeSchemaUrl()),
              key ->
                  ScopeSpans.newBuilder()
                      .setScope(stored.scope())
                      .setSchemaUrl(stored.scopeSchemaUrl()))
          .addSpans(stored.span());
    }
    TracesData.Builder traces = TracesData.newBuilder();
    byResource.forEach(
        (resource, scopes) -> {
          ResourceSpans.Builder resourceSpans =
              ResourceSpans.newBuilder()
                  .setResource((Resource) resource.get(0))
                  .setSchemaUrl((String) resource.get(1));
          scopes.values().forEach(resourceSpans::addScopeSpans);
          traces.addResourceSpans(resourceSpans);
        });
    return traces.build();
  }

  /** A default status and an absent one mean the same; protobuf equality tells them apart. */
  static Span normalized(Span span) {
    return span.getStatus().equals(Status.getDefaultInstance())
        ? span.toBuilder().clearStatus().build()
        : span;
  }
}
