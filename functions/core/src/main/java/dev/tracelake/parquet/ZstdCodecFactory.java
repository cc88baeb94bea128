package dev.tracelake.parquet;

import com.github.luben.zstd.ZstdCompressCtx;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Zstandard page compression without Hadoop: parquet-java's own codec factory instantiates Hadoop
 * codec classes, which would pull a Hadoop runtime into the function. Write-only. One factory
 * serves one file: it keeps one native compression context for all of the file's pages (making one
 * per page cost more than compressing small pages) and frees it when the writer releases it.
 */
final class ZstdCodecFactory implements CompressionCodecFactory {
  /** zstd's default level: nearly the ratio of higher levels at several times their speed. */
  private static final int LEVEL = 3;

  private final ZstdCompressCtx context = new ZstdCompressCtx().setLevel(LEVEL);

  private final BytesInputCompressor compressor =
      new BytesInputCompressor() {
        @Override
        public BytesInput compress(BytesInput bytes) throws java.io.IOException {
          return BytesInput.from(context.compress(bytes.toByteArray()));
        }

        @Override
        public CompressionCodecName getCodecName() {
          return CompressionCodecName.ZSTD;
        }

        @Override
        public void release() {}
      };

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codecName) {
    if (codecName != CompressionCodecName.ZSTD) {
      throw new IllegalArgumentException("only ZSTD is supported, not " + codecName);
    }
    return compressor;
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codecName) {
    throw new UnsupportedOperationException("the span writer never decompresses");
  }

  @Override
  public void release() {
    context.close();
  }
}
