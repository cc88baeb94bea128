package dev.tracelake.spans;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * One span with the resource and scope it was reported under: exactly one row of the Parquet
 * schema. It holds the decoded protobuf objects rather than copies, so flattening costs no
 * allocation per field.
 *
 * @param resource the resource of the enclosing ResourceSpans
 * @param resourceSchemaUrl ResourceSpans.schema_url
 * @param scope the instrumentation scope of the enclosing ScopeSpans
 * @param scopeSchemaUrl ScopeSpans.schema_url
 * @param serviceName the resource's {@code service.name}, or {@value #UNKNOWN_SERVICE}
 * @param span the span itself
 */
public record SpanRow(
    Resource resource,
    String resourceSchemaUrl,
    InstrumentationScope scope,
    String scopeSchemaUrl,
    String serviceName,
    Span span) {

  /** The service name OpenTelemetry SDKs report when none is configured. */
  public static final String UNKNOWN_SERVICE = "unknown_service";

  /** OTLP's STATUS_CODE_ERROR. */
  public static final int STATUS_ERROR = 2;

  public boolean isRoot() {
    return span.getParentSpanId().isEmpty();
  }

  public boolean isError() {
    return span.getStatus().getCodeValue() == STATUS_ERROR;
  }
}
