package dev.tracelake.ingest;

/**
 * Bounds on what one export request may claim.
 *
 * @param maxBodyBytes the largest body accepted as sent; 6 MB by default, Lambda's own limit
 * @param maxDecompressedBytes the largest body accepted once decompressed
 * @param retryAfterSeconds what a 503 tells exporters to wait before retrying
 */
public record IngestLimits(int maxBodyBytes, int maxDecompressedBytes, int retryAfterSeconds) {
  public static final IngestLimits DEFAULT = new IngestLimits(6_000_000, 64 * 1024 * 1024, 5);
}
