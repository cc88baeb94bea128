package dev.tracelake.bench;

import dev.tracelake.parquet.SpanParquetEncoder;
import dev.tracelake.spans.SpanBatch;
import dev.tracelake.spans.SpanRow;
import dev.tracelake.synthetic.SyntheticTraces;
import dev.tracelake.testing.Machine;
import dev.tracelake.testing.OtlpFiles;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Prints the machine, the storage size of synthetic spans in each format, then runs {@link
 * IngestBenchmarks} and prints spans per second per core. Run from the repository root:
 *
 * <pre>
 * ./mvnw -q -pl functions/bench -am package -DskipTests &amp;&amp; java -jar functions/bench/target/benchmarks.jar
 * </pre>
 */
public final class IngestBench {
  private IngestBench() {}

  public static void main(String[] args) throws RunnerException {
    System.out.println(Machine.describe());
    printSizes(SyntheticTraces.EXPORT_BATCH_SPANS);
    // Larger objects spread the footer and bloom filter over more spans.
    printSizes(8 * SyntheticTraces.EXPORT_BATCH_SPANS);

    Options options =
        new OptionsBuilder()
            .include(IngestBenchmarks.class.getName() + "\\.")
            .forks(1)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(2))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(2))
            .build();
    Collection<RunResult> results = new Runner(options).run();

    Map<String, Double> spansPerSecond = new HashMap<>();
    for (RunResult result : results) {
      String label = result.getParams().getBenchmark();
      spansPerSecond.put(
          label.substring(label.lastIndexOf('.') + 1), result.getPrimaryResult().getScore());
    }
    double parse = spansPerSecond.get("protobufParseOnly");
    System.out.println();
    System.out.println("Throughput on one core (spans/s, 512-span requests):");
    for (String benchmark :
        List.of("protobufParseOnly", "protobufIngestEncode", "jsonIngestEncode")) {
      double score = spansPerSecond.get(benchmark);
      System.out.printf(
          "  %-22s %,12.0f spans/s   %5.1fx the cost of parse-only%n",
          benchmark, score, parse / score);
    }
  }

  /** Bytes per span of the same spans as Parquet, OTLP protobuf + gzip and OTLP protobuf. */
  private static void printSizes(int spans) {
    ExportTraceServiceRequest request = SyntheticTraces.request(0, spans, IngestBenchmarks.HOUR);
    long parquet = 0;
    for (List<SpanRow> rows : SpanBatch.of(request).rowsByHour().values()) {
      parquet += new SpanParquetEncoder().encode(rows).length;
    }
    byte[] protobuf = request.toByteArray();
    System.out.printf(
        "Size of %d spans, bytes/span: Parquet (zstd) %.1f | OTLP protobuf+gzip %.1f |"
            + " OTLP protobuf %.1f | OTLP/JSON %.1f%n",
        spans,
        (double) parquet / spans,
        (double) OtlpFiles.gzip(protobuf).length / spans,
        (double) protobuf.length / spans,
        (double) SyntheticTraces.toOtlpJson(request).length / spans);
  }
}
