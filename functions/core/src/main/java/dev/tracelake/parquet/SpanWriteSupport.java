package dev.tracelake.parquet;

import dev.tracelake.spans.SpanRow;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;

/** parquet-java's hook for writing {@link SpanRow}s; the work is in {@link SpanRecordWriter}. */
final class SpanWriteSupport extends WriteSupport<SpanRow> {
  private SpanRecordWriter writer;

  /** Never called by {@link SpanParquetEncoder}; the Hadoop signature is abstract in the base. */
  @Override
  public WriteContext init(Configuration configuration) {
    return writeContext();
  }

  @Override
  public WriteContext init(ParquetConfiguration configuration) {
    return writeContext();
  }

  private static WriteContext writeContext() {
    return new WriteContext(
        SpanParquetSchema.SCHEMA, Map.of(SpanParquetSchema.VERSION_KEY, SpanParquetSchema.VERSION));
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    writer = new SpanRecordWriter(SpanParquetSchema.SCHEMA, recordConsumer);
  }

  @Override
  public void write(SpanRow row) {
    writer.write(row);
  }
}
