package dev.tracelake.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The embedded default: objects are files under a directory, with the same keys as in S3. */
public final class LocalDirectoryObjectStore implements ObjectStore {
  private final Path root;

  public LocalDirectoryObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public void put(String key, byte[] content) {
    Path target = root.resolve(key).normalize();
    if (!target.startsWith(root)) {
      throw new IllegalArgumentException("object key escapes the data directory: " + key);
    }
    try {
      Files.createDirectories(target.getParent());
      // Write aside, then rename: readers never see a half-written Parquet file.
      Path temporary = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
      try {
        Files.write(temporary, content);
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new StorageUnavailableException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String location() {
    return root.toString();
  }
}
