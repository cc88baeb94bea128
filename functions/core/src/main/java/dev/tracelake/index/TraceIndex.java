package dev.tracelake.index;

import dev.tracelake.spans.HourPartition;
import java.util.List;
import java.util.Set;

/**
 * The trace index: for each trace, the objects holding its spans and a summary of them, written
 * after the objects it names, so it never points at a missing object; and a catalog of the
 * operations ingested, which lists services and operations without reading any object.
 */
public interface TraceIndex {
  /** No index: the embedded local mode finds traces by scanning its Parquet files instead. */
  TraceIndex NONE =
      new TraceIndex() {
        @Override
        public void write(List<TraceIndexEntry> entries) {}

        @Override
        public void delete(List<TraceIndexKey> keys) {}
      };

  /**
   * Records entries. Writing the same entry again is harmless (entries are keyed by trace and
   * object).
   *
   * @throws dev.tracelake.storage.StorageUnavailableException when the index cannot take the write
   *     now, after retries
   */
  void write(List<TraceIndexEntry> entries);

  /**
   * Removes entries, once compaction has replaced the objects they name. Removing an entry that is
   * not there is harmless.
   *
   * @throws dev.tracelake.storage.StorageUnavailableException when the index cannot take the write
   *     now, after retries
   */
  void delete(List<TraceIndexKey> keys);

  /**
   * Records that spans of these operations, stored under the key prefix, started in the hour.
   * Recording an operation again is harmless; an index without a catalog records nothing.
   *
   * @throws dev.tracelake.storage.StorageUnavailableException when the index cannot take the write
   *     now, after retries
   */
  default void recordOperations(
      String keyPrefix, HourPartition hour, Set<ServiceOperation> operations) {}
}
