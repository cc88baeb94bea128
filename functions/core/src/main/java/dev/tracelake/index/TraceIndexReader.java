package dev.tracelake.index;

import java.util.List;

/**
 * The read side of the trace index: where a trace's spans are, and which operations were ingested,
 * without reading any object.
 */
public interface TraceIndexReader {
  /**
   * The keys of the objects holding some of the trace's spans; empty when the index knows no such
   * trace (never stored, or expired).
   *
   * @param traceId lowercase hex trace ID, as stored
   * @throws dev.tracelake.storage.StorageUnavailableException when the index cannot be read now
   */
  List<String> objectKeys(String traceId);

  /**
   * Every operation the catalog records for the spans stored under the key prefix (ingested within
   * the retention period), in no order.
   *
   * @throws dev.tracelake.storage.StorageUnavailableException when the index cannot be read now
   */
  List<ServiceOperation> operations(String keyPrefix);
}
