package dev.tracelake.index;

/**
 * An operation as the index's catalog records it: a service, a span name, and the kind of the spans
 * carrying that name (OTLP's numbering).
 */
public record ServiceOperation(String service, String name, int kind) {}
