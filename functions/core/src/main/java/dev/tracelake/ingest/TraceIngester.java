package dev.tracelake.ingest;

import dev.tracelake.index.ServiceOperation;
import dev.tracelake.index.TraceIndex;
import dev.tracelake.index.TraceIndexEntry;
import dev.tracelake.parquet.SpanParquetEncoder;
import dev.tracelake.spans.HourPartition;
import dev.tracelake.spans.SpanBatch;
import dev.tracelake.spans.SpanRow;
import dev.tracelake.storage.ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ingest path after decoding: span rows, one Parquet object per hour partition, then the trace
 * index entries for those objects and the operations in them. The same request stored twice writes
 * the same keys with the same content, so exporter retries never duplicate spans.
 */
public final class TraceIngester {
  /**
   * Bytes of the SHA-256 of the request kept in object names: 128 bits, collision-free in practice.
   */
  private static final int BATCH_ID_BYTES = 16;

  private final SpanParquetEncoder encoder = new SpanParquetEncoder();
  private final ObjectStore objects;
  private final SpanObjectKeys keys;
  private final TraceIndex index;

  public TraceIngester(ObjectStore objects, SpanObjectKeys keys, TraceIndex index) {
    this.objects = objects;
    this.keys = keys;
    this.index = index;
  }

  /**
   * Stores a request's valid spans.
   *
   * @param request the decoded request
   * @param decodedBody the request body after decompression, which names the objects: the same body
   *     retried lands on the same keys
   * @throws dev.tracelake.storage.StorageUnavailableException when S3 or DynamoDB cannot take the
   *     writes; the request can be retried as it is
   */
  public IngestResult ingest(ExportTraceServiceRequest request, byte[] decodedBody) {
    SpanBatch batch = SpanBatch.of(request);
    List<String> objectKeys = new ArrayList<>();
    List<TraceIndexEntry> entries = new ArrayList<>();
    if (batch.acceptedSpans() > 0) {
      String batchId = batchId(decodedBody);
      for (Map.Entry<HourPartition, List<SpanRow>> hour : batch.rowsByHour().entrySet()) {
        LongSummaryStatistics starts =
            hour.getValue().stream()
                .mapToLong(row -> row.span().getStartTimeUnixNano())
                .summaryStatistics();
        String key = keys.key(hour.getKey(), starts.getMin(), starts.getMax(), batchId);
        objects.put(key, encoder.encode(hour.getValue()));
        objectKeys.add(key);
        entries.addAll(TraceIndexEntry.summarize(key, hour.getValue()));
      }
      // Only now that every object exists: the index must never point at a missing object.
      index.write(entries);
      batch
          .rowsByHour()
          .forEach((hour, rows) -> index.recordOperations(keys.prefix(), hour, operations(rows)));
    }
    return new IngestResult(
        batch.acceptedSpans(), batch.rejectedSpans(), batch.rejectionMessage(), objectKeys);
  }

  private static Set<ServiceOperation> operations(List<SpanRow> rows) {
    return rows.stream()
        .map(
            row ->
                new ServiceOperation(
                    row.serviceName(), row.span().getName(), row.span().getKindValue()))
        .collect(Collectors.toSet());
  }

  private static String batchId(byte[] decodedBody) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(decodedBody);
      return HexFormat.of().formatHex(Arrays.copyOf(digest, BATCH_ID_BYTES));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
