package dev.tracelake.storage;

/**
 * When the spans of an ingested object started, as its name records them ({@link
 * SpanObjectKeys#key}): every one of them within {@code [firstUnixNano, lastUnixNano]}.
 */
public record ObjectStarts(long firstUnixNano, long lastUnixNano) {
  /** Whether some of the spans may have started within {@code [fromUnixNano, toUnixNano]}. */
  public boolean overlaps(long fromUnixNano, long toUnixNano) {
    return firstUnixNano <= toUnixNano && lastUnixNano >= fromUnixNano;
  }
}
