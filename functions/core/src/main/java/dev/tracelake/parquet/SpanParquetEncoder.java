package dev.tracelake.parquet;

import dev.tracelake.spans.SpanRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

/**
 * Encodes sorted span rows as one zstd-compressed Parquet object, in memory and without a Hadoop
 * runtime: a plain configuration, an in-memory output file and our own zstd codec factory keep
 * parquet-java off every Hadoop code path.
 */
public final class SpanParquetEncoder {
  private static final String TRACE_ID = "trace_id";

  /**
   * Binary statistics longer than this are truncated (still valid bounds): a one-megabyte attribute
   * value must not be copied twice more into the footer.
   */
  private static final int STATISTICS_TRUNCATE_LENGTH = 64;

  /**
   * Columns where a dictionary only costs time: unique or random values, and the resource and scope
   * attributes, long values repeated row after row that zstd compresses just as well, while a
   * dictionary would hash and compare them on every row.
   */
  private static final List<String> WITHOUT_DICTIONARY =
      List.of(
          "resource_attributes",
          "scope_attributes",
          TRACE_ID,
          "span_id",
          "parent_span_id",
          "start_time_unix_nano",
          "end_time_unix_nano",
          "duration_nano",
          "events.list.element.time_unix_nano",
          "links.list.element.trace_id",
          "links.list.element.span_id");

  /**
   * Columns whose min/max statistics no reader can use to skip data: attribute entries (filtered
   * inside lists) and the JSON columns.
   */
  private static final List<String> WITHOUT_STATISTICS =
      SpanParquetSchema.SCHEMA.getColumns().stream()
          .map(column -> String.join(".", column.getPath()))
          .filter(path -> path.contains("attributes") || path.equals("resource_entity_refs"))
          .toList();

  /**
   * Encodes the rows, which must be sorted by trace ID, as a Parquet file.
   *
   * @return the bytes of the complete file
   */
  public byte[] encode(List<SpanRow> sortedRows) {
    InMemoryOutputFile file = new InMemoryOutputFile();
    Builder builder =
        new Builder(file)
            .withConf(new PlainParquetConfiguration())
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCodecFactory(new ZstdCodecFactory())
            .withCompressionCodec(CompressionCodecName.ZSTD)
            // parquet-java writes no bloom filter for a column that is dictionary-encoded
            // throughout;
            // trace_id has none (see WITHOUT_DICTIONARY).
            .withBloomFilterEnabled(TRACE_ID, true)
            .withBloomFilterNDV(TRACE_ID, distinctTraces(sortedRows))
            .withStatisticsTruncateLength(STATISTICS_TRUNCATE_LENGTH);
    WITHOUT_DICTIONARY.forEach(column -> builder.withDictionaryEncoding(column, false));
    WITHOUT_STATISTICS.forEach(column -> builder.withStatisticsEnabled(column, false));
    try (ParquetWriter<SpanRow> writer = builder.build()) {
      for (SpanRow row : sortedRows) {
        writer.write(row);
      }
    } catch (IOException e) {
      // Only memory is written to, so this is a bug rather than an I/O condition.
      throw new UncheckedIOException("encoding spans as Parquet failed", e);
    }
    return file.toByteArray();
  }

  private static long distinctTraces(List<SpanRow> sortedRows) {
    long traces = 0;
    for (int i = 0; i < sortedRows.size(); i++) {
      if (i == 0
          || !sortedRows
              .get(i)
              .span()
              .getTraceId()
              .equals(sortedRows.get(i - 1).span().getTraceId())) {
        traces++;
      }
    }
    return Math.max(traces, 1);
  }

  private static final class Builder extends ParquetWriter.Builder<SpanRow, Builder> {
    Builder(OutputFile file) {
      super(file);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<SpanRow> getWriteSupport(ParquetConfiguration configuration) {
      return new SpanWriteSupport();
    }

    /** Not reached: {@link #getWriteSupport(ParquetConfiguration)} overrides the only caller. */
    @Override
    protected WriteSupport<SpanRow> getWriteSupport(Configuration configuration) {
      return new SpanWriteSupport();
    }
  }
}
