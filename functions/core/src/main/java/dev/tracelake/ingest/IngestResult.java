package dev.tracelake.ingest;

import java.util.List;

/**
 * What became of one export request.
 *
 * @param acceptedSpans spans stored
 * @param rejectedSpans spans dropped because they could not be stored
 * @param rejectionMessage why, for OTLP's partial success; empty when nothing was rejected
 * @param objectKeys the keys of the objects written
 */
public record IngestResult(
    int acceptedSpans, int rejectedSpans, String rejectionMessage, List<String> objectKeys) {}
