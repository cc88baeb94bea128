package dev.tracelake.synthetic;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spans of one export request, grouped as an SDK exports them: one ResourceSpans per service,
 * one ScopeSpans per instrumentation scope, spans in the order they ended (the batch span processor
 * exports spans as they end).
 */
final class ExportBatch {
  private static final String SCOPE_VERSION = "2.15.0-alpha";
  private static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.24.0";

  private final Map<String, Resource> resources;
  private final Map<String, Map<String, List<Span>>> spansByServiceAndScope = new LinkedHashMap<>();

  /**
   * A batch of the services of {@code resources}; the request lists them in the order their first
   * span was added.
   */
  ExportBatch(Map<String, Resource> resources) {
    this.resources = resources;
  }

  void add(String service, String scope, Span span) {
    spansByServiceAndScope
        .computeIfAbsent(service, s -> new LinkedHashMap<>())
        .computeIfAbsent(scope, s -> new ArrayList<>())
        .add(span);
  }

  ExportTraceServiceRequest request() {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    spansByServiceAndScope.forEach(
        (service, byScope) -> {
          ResourceSpans.Builder resourceSpans =
              ResourceSpans.newBuilder()
                  .setResource(resources.get(service))
                  .setSchemaUrl(SCHEMA_URL);
          byScope.forEach(
              (scope, spans) -> {
                spans.sort(Comparator.comparingLong(Span::getEndTimeUnixNano));
                resourceSpans.addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(
                            InstrumentationScope.newBuilder()
                                .setName(scope)
                                .setVersion(SCOPE_VERSION))
                        .addAllSpans(spans));
              });
          request.addResourceSpans(resourceSpans);
        });
    return request.build();
  }
}
