package dev.tracelake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.spans.HourPartition;
import dev.tracelake.spans.StoredSpan;
import dev.tracelake.testing.ConformanceData;
import dev.tracelake.testing.LocalIngest;
import dev.tracelake.testing.OtlpFiles;
import dev.tracelake.testing.ParquetSpanReader;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every conformance file goes in through the OTLP/HTTP endpoint, in each encoding, into the local
 * directory store, and comes back out of the Parquet, read by DuckDB, with every field intact.
 */
class LocalIngestRoundTripTest {
  @TempDir Path data;

  static Stream<Arguments> filesAndEncodings() {
    return ConformanceData.allOtlpJsonFiles().stream()
        .flatMap(
            file ->
                Stream.of("json", "json+gzip", "protobuf", "protobuf+gzip")
                    .map(encoding -> Arguments.of(file.getFileName().toString(), file, encoding)));
  }

  @ParameterizedTest(name = "{0} as {2}")
  @MethodSource("filesAndEncodings")
  void everyFieldSurvivesTheRoundTrip(String name, Path file, String encoding) {
    ExportTraceServiceRequest request = OtlpFiles.request(file);
    byte[] plain = encoding.startsWith("json") ? OtlpFiles.bytes(file) : request.toByteArray();
    boolean gzip = encoding.endsWith("+gzip");
    OtlpHttpEndpoint endpoint = LocalIngest.endpoint(data, IngestLimits.DEFAULT);

    OtlpHttpEndpoint.Reply reply =
        endpoint.export(
            encoding.startsWith("json") ? "application/json" : "application/x-protobuf",
            gzip ? "gzip" : null,
            gzip ? OtlpFiles.gzip(plain) : plain);

    assertThat(reply.status()).as(new String(reply.body())).isEqualTo(200);
    List<ParquetSpanReader.Row> rows = ParquetSpanReader.readDirectory(data.resolve("spans"));
    assertThat(rows.stream().map(ParquetSpanReader.Row::span))
        .containsExactlyInAnyOrderElementsOf(StoredSpan.of(request));
    for (ParquetSpanReader.Row row : rows) {
      HourPartition hour = HourPartition.ofUnixNanos(row.span().span().getStartTimeUnixNano());
      assertThat(row.dt()).isEqualTo(hour.date().toString());
      assertThat(row.hour()).isEqualTo(hour.hour());
      assertThat(row.durationNano())
          .isEqualTo(
              row.span().span().getEndTimeUnixNano() - row.span().span().getStartTimeUnixNano());
    }
  }
}
