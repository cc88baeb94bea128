package dev.tracelake.ingest;

/**
 * Bounds on what one export request may claim.
 *
 * @param maxBodyBytes the largest body accepted as sent; 6 MB by default, Lambda's own limit
 * @param maxDecompressedBytes the largest body accepted once decompressed
 * @param retryAfterSeconds what a 503 tells exporters to wait before retrying
 */
public record IngestLimits(int maxBodyBytes, int maxDecompressedBytes, int retryAfterSeconds) {
  public static final int DEFAULT_MAX_BODY_BYTES = 6_000_000;
  public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;
  public static final int DEFAULT_RETRY_AFTER_SECONDS = 5;

  public static final IngestLimits DEFAULT =
      new IngestLimits(
          DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_RETRY_AFTER_SECONDS);
}
