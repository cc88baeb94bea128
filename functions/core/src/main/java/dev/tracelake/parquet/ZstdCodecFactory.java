package dev.tracelake.parquet;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Zstandard page compression without Hadoop: parquet-java's own codec factory instantiates Hadoop
 * codec classes, which would pull a Hadoop runtime into the function. Write-only.
 */
final class ZstdCodecFactory implements CompressionCodecFactory {
  /** zstd's default level: nearly the ratio of higher levels at several times their speed. */
  private static final int LEVEL = 3;

  private static final BytesInputCompressor COMPRESSOR =
      new BytesInputCompressor() {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
          return BytesInput.from(Zstd.compress(bytes.toByteArray(), LEVEL));
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
    return COMPRESSOR;
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codecName) {
    throw new UnsupportedOperationException("the span writer never decompresses");
  }

  @Override
  public void release() {}
}
