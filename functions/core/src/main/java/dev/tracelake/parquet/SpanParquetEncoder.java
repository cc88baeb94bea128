package dev.tracelake.parquet;

import dev.tracelake.spans.SpanRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Encodes sorted span rows as one zstd-compressed Parquet object, in memory and without a Hadoop
 * runtime: driving parquet-java's file and column writers directly, with an in-memory output file
 * and our own zstd compressor, keeps it off every Hadoop code path. An encoder holds no state
 * between calls and may be shared by threads.
 */
public final class SpanParquetEncoder {
  private static final String TRACE_ID = "trace_id";

  /**
   * Binary statistics longer than this are truncated (still valid bounds): a one-megabyte attribute
   * value must not be copied twice more into the footer.
   */
  private static final int STATISTICS_TRUNCATE_LENGTH = 64;

  /** Columns where a dictionary only costs time: unique or random values. */
  private static final List<String> WITHOUT_DICTIONARY =
      List.of(
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
   * Columns of long values that repeat row after row, one object each per resource or scope: see
   * {@link IdentityDictionaryValuesWriter}.
   */
  private static final Set<String> IDENTITY_DICTIONARY =
      Set.of("resource_attributes", "scope_attributes");

  /** The footer's key-value metadata. */
  private static final Map<String, String> FOOTER =
      Map.of(SpanParquetSchema.VERSION_KEY, SpanParquetSchema.VERSION);

  /**
   * Encodes the rows, which must be sorted by trace ID, as a Parquet file of one row group: an
   * object holds the spans of one request, at most 64 MiB decompressed, well below the 128 MiB row
   * group parquet-java cuts at by default.
   *
   * <p>The rows go through parquet-java's column writers (encodings, statistics, pages, bloom
   * filter) and file writer (layout, footer), but not through its record layer: {@link
   * SpanColumnWriter} writes each column with the levels it computes itself.
   *
   * @return the bytes of the complete file
   */
  public byte[] encode(List<SpanRow> sortedRows) {
    ParquetProperties properties = properties(distinctTraces(sortedRows));
    InMemoryOutputFile file = new InMemoryOutputFile();
    try (ZstdCompressor compressor = new ZstdCompressor()) {
      ParquetFileWriter fileWriter =
          new ParquetFileWriter(
              file,
              SpanParquetSchema.SCHEMA,
              ParquetFileWriter.Mode.OVERWRITE,
              ParquetWriter.DEFAULT_BLOCK_SIZE,
              // Padding aligns row groups to file system blocks; memory has none.
              0,
              null,
              properties);
      fileWriter.start();
      ColumnChunkPageWriteStore pages =
          ColumnChunkPageWriteStore.builder()
              .withSchema(SpanParquetSchema.SCHEMA)
              .withAllocator(properties.getAllocator())
              .withColumnIndexTruncateLength(properties.getColumnIndexTruncateLength())
              .withPageWriteChecksumEnabled(properties.getPageWriteChecksumEnabled())
              .withCompressorProvider(column -> compressor)
              .build();
      try (ColumnWriteStore columns =
          properties.newColumnWriteStore(SpanParquetSchema.SCHEMA, pages, pages)) {
        SpanColumnWriter writer = new SpanColumnWriter(columns);
        for (SpanRow row : sortedRows) {
          writer.write(row);
          // Lets the column writers cut a page when it is full.
          columns.endRecord();
        }
        if (!sortedRows.isEmpty()) {
          fileWriter.startBlock(sortedRows.size());
          columns.flush();
          pages.flushToFileWriter(fileWriter);
          fileWriter.endBlock();
        }
      } finally {
        pages.close();
      }
      fileWriter.end(FOOTER);
    } catch (IOException e) {
      // Only memory is written to, so this is a bug rather than an I/O condition.
      throw new UncheckedIOException("encoding spans as Parquet failed", e);
    }
    return file.toByteArray();
  }

  private static ParquetProperties properties(long distinctTraces) {
    ParquetProperties.Builder properties =
        ParquetProperties.builder()
            // parquet-java writes no bloom filter for a column that is dictionary-encoded
            // throughout; trace_id has none (see WITHOUT_DICTIONARY).
            .withBloomFilterEnabled(TRACE_ID, true)
            .withBloomFilterNDV(TRACE_ID, distinctTraces)
            .withStatisticsTruncateLength(STATISTICS_TRUNCATE_LENGTH)
            // Size statistics (level histograms, unencoded byte counts) help query planners size
            // scans of big files; no reader of ours uses them, and they cost every value a count.
            .withSizeStatisticsEnabled(false)
            .withValuesWriterFactory(new ValuesWriters());
    WITHOUT_DICTIONARY.forEach(column -> properties.withDictionaryEncoding(column, false));
    WITHOUT_STATISTICS.forEach(column -> properties.withStatisticsEnabled(column, false));
    return properties.build();
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

  /** parquet-java's encoders, but with an identity dictionary for {@link #IDENTITY_DICTIONARY}. */
  private static final class ValuesWriters implements ValuesWriterFactory {
    private final ValuesWriterFactory defaults = new DefaultValuesWriterFactory();
    private ParquetProperties properties;

    @Override
    public void initialize(ParquetProperties properties) {
      this.properties = properties;
      defaults.initialize(properties);
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor column) {
      if (!IDENTITY_DICTIONARY.contains(String.join(".", column.getPath()))) {
        return defaults.newValuesWriter(column);
      }
      // As parquet-java's default (version 1) writers: a dictionary that falls back to plain
      // encoding when it outgrows its page.
      return FallbackValuesWriter.of(
          new IdentityDictionaryValuesWriter(
              properties.getDictionaryPageSizeThreshold(),
              Encoding.PLAIN_DICTIONARY,
              Encoding.PLAIN_DICTIONARY,
              properties.getAllocator()),
          new PlainValuesWriter(
              properties.getInitialSlabSize(),
              properties.getPageSizeThreshold(),
              properties.getAllocator()));
    }
  }
}
