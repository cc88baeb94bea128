package dev.tracelake.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The embedded default: objects are files under a directory, with the same keys as in S3. */
public final class LocalDirectoryObjectStore implements ObjectStore {
  private static final String INCOMING = ".incoming-";

  private final Path root;

  public LocalDirectoryObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public void put(String key, byte[] content) {
    Path target = file(key);
    try {
      Files.createDirectories(target.getParent());
      // Write aside, then rename: readers never see a half-written Parquet file.
      Path temporary = Files.createTempFile(target.getParent(), INCOMING, ".tmp");
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
  public List<StoredObject> list(String prefix) {
    // The deepest directory the prefix names whole; the rest of the prefix filters names.
    int slash = prefix.lastIndexOf('/');
    Path directory = slash < 0 ? root : file(prefix.substring(0, slash));
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .filter(Files::isRegularFile)
          .filter(file -> !file.getFileName().toString().startsWith(INCOMING))
          .map(file -> root.relativize(file).toString().replace('\\', '/'))
          .filter(key -> key.startsWith(prefix))
          .sorted()
          .map(this::stored)
          .flatMap(Optional::stream)
          .toList();
    } catch (IOException e) {
      throw new StorageUnavailableException("cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(Files.readAllBytes(file(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageUnavailableException("cannot read " + file(key) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean download(String key, Path file) {
    try {
      Files.copy(file(key), file, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new StorageUnavailableException("cannot copy " + file(key) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(Collection<String> keys) {
    for (String key : keys) {
      try {
        Files.deleteIfExists(file(key));
      } catch (IOException e) {
        throw new StorageUnavailableException(
            "cannot delete " + file(key) + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String location() {
    return root.toString();
  }

  private Optional<StoredObject> stored(String key) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file(key), BasicFileAttributes.class);
      return Optional.of(
          new StoredObject(key, attributes.size(), attributes.lastModifiedTime().toInstant()));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // deleted since the walk saw it
    } catch (IOException e) {
      throw new StorageUnavailableException("cannot read " + file(key) + ": " + e.getMessage(), e);
    }
  }

  private Path file(String key) {
    Path target = root.resolve(key).normalize();
    if (!target.startsWith(root)) {
      throw new IllegalArgumentException("object key escapes the data directory: " + key);
    }
    return target;
  }
}
