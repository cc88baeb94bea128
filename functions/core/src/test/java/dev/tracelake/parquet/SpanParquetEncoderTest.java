package dev.tracelake.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tracelake.spans.SpanBatch;
import dev.tracelake.spans.SpanRow;
import dev.tracelake.testing.ConformanceData;
import dev.tracelake.testing.OtlpFiles;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The physical layout DuckDB sees in an object: codec, footer, sort order, bloom filter. */
class SpanParquetEncoderTest {
  @TempDir Path dir;
  private Path file;
  private List<SpanRow> rows;

  @BeforeEach
  void encodeAllJaegerFixtures() throws Exception {
    ExportTraceServiceRequest.Builder all = ExportTraceServiceRequest.newBuilder();
    for (Path fixture : ConformanceData.jaegerTraces()) {
      all.addAllResourceSpans(OtlpFiles.request(fixture).getResourceSpansList());
    }
    rows = new ArrayList<>();
    SpanBatch.of(all.build()).rowsByHour().values().forEach(rows::addAll);
    rows.sort(
        Comparator.comparing(
            row -> row.span().getTraceId(), ByteString.unsignedLexicographicalComparator()));
    file = dir.resolve("spans.parquet");
    Files.write(file, new SpanParquetEncoder().encode(rows));
  }

  @Test
  void everyColumnIsZstdCompressedAndTheFooterNamesTheLayoutVersion() throws Exception {
    assertThat(query("SELECT DISTINCT compression FROM parquet_metadata('" + file + "')"))
        .containsExactly("ZSTD");
    assertThat(
            query(
                "SELECT decode(value) FROM parquet_kv_metadata('"
                    + file
                    + "') WHERE decode(key) = '"
                    + SpanParquetSchema.VERSION_KEY
                    + "'"))
        .containsExactly(SpanParquetSchema.VERSION);
  }

  @Test
  void traceIdIsPlainEncodedWithABloomFilter() throws Exception {
    assertThat(
            query(
                "SELECT encodings || ' ' || (bloom_filter_length > 0) FROM parquet_metadata('"
                    + file
                    + "') WHERE path_in_schema = 'trace_id'"))
        .singleElement()
        .asString()
        .doesNotContain("DICTIONARY")
        .endsWith("true");
    String present = HexFormat.of().formatHex(rows.get(0).span().getTraceId().toByteArray());
    assertThat(
            query(
                "SELECT bloom_filter_excludes FROM parquet_bloom_probe('"
                    + file
                    + "', 'trace_id', '"
                    + present
                    + "')"))
        .containsOnly("false");
    assertThat(
            query(
                "SELECT bloom_filter_excludes FROM parquet_bloom_probe('"
                    + file
                    + "', 'trace_id', 'ffffffffffffffffffffffffffff0000')"))
        .containsOnly("true");
  }

  @Test
  void rowsKeepTheirOrderByTraceId() throws Exception {
    List<String> stored = query("SELECT trace_id FROM read_parquet('" + file + "')");
    assertThat(stored).isSorted().hasSize(rows.size());
  }

  private static List<String> query(String sql) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = db.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (result.next()) {
        values.add(result.getString(1));
      }
      return values;
    }
  }
}
