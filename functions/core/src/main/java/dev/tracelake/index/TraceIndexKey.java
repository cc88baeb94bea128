package dev.tracelake.index;

/**
 * The key of one trace index entry: a trace, and an object holding some of its spans.
 *
 * @param traceId lowercase hex trace ID
 * @param objectKey the key of the span object
 */
public record TraceIndexKey(String traceId, String objectKey) {}
