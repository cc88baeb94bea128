package dev.tracelake.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tracelake.otlp.MalformedRequestException;
import dev.tracelake.otlp.OtlpEncoding;
import dev.tracelake.otlp.OtlpRequestDecoder;
import dev.tracelake.parquet.SpanParquetEncoder;
import dev.tracelake.spans.SpanBatch;
import dev.tracelake.spans.SpanRow;
import dev.tracelake.synthetic.SyntheticTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The ingest path on one core, one operation being one 512-span export request; with {@link
 * OperationsPerInvocation} the scores read as spans per second. Storage I/O is left out: the figure
 * is the CPU cost a function pays per span before it talks to S3 and DynamoDB.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@OperationsPerInvocation(SyntheticTraces.EXPORT_BATCH_SPANS)
public class IngestBenchmarks {
  /** Distinct requests cycled through, so that no single payload's quirks dominate. */
  static final int REQUESTS = 8;

  static final Instant HOUR = Instant.parse("2025-03-14T09:00:00Z");

  private final OtlpRequestDecoder decoder = new OtlpRequestDecoder(64 * 1024 * 1024);
  private final SpanParquetEncoder encoder = new SpanParquetEncoder();
  private byte[][] protobuf;
  private byte[][] json;
  private int next;

  /** The i-th request of the benchmark's fixed set. */
  static ExportTraceServiceRequest request(int i) {
    return SyntheticTraces.request(i, SyntheticTraces.EXPORT_BATCH_SPANS, HOUR);
  }

  @Setup
  public void setUp() {
    protobuf = new byte[REQUESTS][];
    json = new byte[REQUESTS][];
    for (int i = 0; i < REQUESTS; i++) {
      protobuf[i] = request(i).toByteArray();
      json[i] = SyntheticTraces.toOtlpJson(request(i));
    }
  }

  /** The reference: what merely decoding the protobuf request costs. */
  @Benchmark
  public ExportTraceServiceRequest protobufParseOnly() throws InvalidProtocolBufferException {
    return ExportTraceServiceRequest.parseFrom(protobuf[nextIndex()]);
  }

  @Benchmark
  public long protobufIngestEncode() throws MalformedRequestException {
    return ingest(protobuf[nextIndex()], OtlpEncoding.PROTOBUF);
  }

  @Benchmark
  public long jsonIngestEncode() throws MalformedRequestException {
    return ingest(json[nextIndex()], OtlpEncoding.JSON);
  }

  /** Decodes, groups by hour and encodes every hour; returns the Parquet bytes produced. */
  private long ingest(byte[] body, OtlpEncoding encoding) throws MalformedRequestException {
    SpanBatch batch = SpanBatch.of(decoder.parse(body, encoding));
    long bytes = 0;
    for (List<SpanRow> rows : batch.rowsByHour().values()) {
      bytes += encoder.encode(rows).length;
    }
    return bytes;
  }

  private int nextIndex() {
    next = (next + 1) % REQUESTS;
    return next;
  }
}
