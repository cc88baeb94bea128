package dev.tracelake.parquet;

import java.util.Arrays;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet output file in a byte array: objects are small and go to S3 in one PUT. Unlike
 * ByteArrayOutputStream it takes no lock per byte, which the footer, written byte by byte, pays for
 * on every object.
 */
final class InMemoryOutputFile implements OutputFile {
  private byte[] buffer = new byte[64 * 1024];
  private int size;

  @Override
  public PositionOutputStream create(long blockSizeHint) {
    return createOrOverwrite(blockSizeHint);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) {
    size = 0;
    return new PositionOutputStream() {
      @Override
      public long getPos() {
        return size;
      }

      @Override
      public void write(int b) {
        ensureRoom(1);
        buffer[size++] = (byte) b;
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        ensureRoom(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
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
    return Arrays.copyOf(buffer, size);
  }

  private void ensureRoom(int length) {
    if (size + length > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + length));
    }
  }
}
