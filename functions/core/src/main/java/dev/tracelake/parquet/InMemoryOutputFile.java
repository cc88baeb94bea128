package dev.tracelake.parquet;

import java.io.ByteArrayOutputStream;
import org.apache.parquet.io.DelegatingPositionOutputStream;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/** A Parquet output file in a byte array: objects are small and go to S3 in one PUT. */
final class InMemoryOutputFile implements OutputFile {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);

  @Override
  public PositionOutputStream create(long blockSizeHint) {
    return createOrOverwrite(blockSizeHint);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) {
    buffer.reset();
    return new DelegatingPositionOutputStream(buffer) {
      @Override
      public long getPos() {
        return buffer.size();
      }
    };
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  byte[] toByteArray() {
    return buffer.toByteArray();
  }
}
