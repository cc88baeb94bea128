package dev.tracelake.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The Parquet schema of span objects, loaded from {@code sql/schema/}, where the storage contract
 * is written down for the writer and every reader alike.
 */
public final class SpanParquetSchema {
  /** The layout version, written into every object's footer under {@link #VERSION_KEY}. */
  public static final String VERSION = "1";

  /** The footer key-value that names the layout version. */
  public static final String VERSION_KEY = "tracelake.schema.version";

  /** The class-path resource the schema is read from. */
  public static final String RESOURCE =
      "/tracelake/sql/schema/spans-v" + VERSION + ".parquet-schema";

  public static final MessageType SCHEMA = load();

  private SpanParquetSchema() {}

  private static MessageType load() {
    try (InputStream in = SpanParquetSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return MessageTypeParser.parseMessageType(
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
