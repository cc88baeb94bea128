package dev.tracelake.index;

import java.util.List;

/**
 * The trace index: for each trace, the objects holding its spans and a summary of them. Written
 * after the objects it names, so it never points at a missing object.
 */
public interface TraceIndex {
  /** No index: the embedded local mode finds traces by scanning its Parquet files instead. */
  TraceIndex NONE = entries -> {};

  /**
   * Records entries. Writing the same entry again is harmless (entries are keyed by trace and
   * object).
   *
   * @throws dev.tracelake.storage.StorageUnavailableException when the index cannot take the write
   *     now, after retries
   */
  void write(List<TraceIndexEntry> entries);
}
