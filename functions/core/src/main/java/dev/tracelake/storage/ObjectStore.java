package dev.tracelake.storage;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where span objects go: an S3 bucket, or a local directory with the same key layout. Span objects
 * are immutable once written: writing a key again writes the same content (keys come from content).
 * Ingest only puts; compaction also lists, reads and deletes.
 *
 * <p>Every method throws {@link StorageUnavailableException} when the store cannot be reached.
 */
public interface ObjectStore {
  /**
   * Stores an object, replacing any object under the same key, atomically: a reader sees the old
   * object, the new one or none, never part of one.
   */
  void put(String key, byte[] content);

  /** The objects whose keys start with the prefix, in key order. */
  List<StoredObject> list(String prefix);

  /** An object's content, for small objects (a manifest); empty when there is no such object. */
  Optional<byte[]> get(String key);

  /** Copies an object into a local file, replacing it; false when there is no such object. */
  boolean download(String key, Path file);

  /** Deletes objects; a key with no object is not an error, so a retried delete succeeds. */
  void delete(Collection<String> keys);

  /** Where objects go, for people: {@code s3://bucket} or a directory path. */
  String location();
}
