package dev.tracelake.parquet;

import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Zstandard page compression without Hadoop: parquet-java's own codec factory instantiates Hadoop
 * codec classes, which would pull a Hadoop runtime into the function. One compressor serves one
 * file: it keeps one native compression context for all of the file's pages (making one per page
 * cost more than compressing small pages), which {@link #close()} frees.
 */
final class ZstdCompressor implements BytesInputCompressor, AutoCloseable {
  /**
   * Pages are small, a few kilobytes to a few hundred bytes, where zstd's level 1 compresses as
   * well as its default level 3 (slightly better, on the benchmark's objects) in half the time.
   */
  private static final int LEVEL = 1;

  private final ZstdCompressCtx context = new ZstdCompressCtx().setLevel(LEVEL);

  @Override
  public BytesInput compress(BytesInput bytes) throws IOException {
    return BytesInput.from(context.compress(bytes.toByteArray()));
  }

  @Override
  public CompressionCodecName getCodecName() {
    return CompressionCodecName.ZSTD;
  }

  /** parquet-java's page store never calls this; {@link #close()} frees the context. */
  @Override
  public void release() {}

  @Override
  public void close() {
    context.close();
  }
}
