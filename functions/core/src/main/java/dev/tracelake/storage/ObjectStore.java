package dev.tracelake.storage;

/**
 * Where span objects go: an S3 bucket, or a local directory with the same key layout. Objects are
 * immutable once written; writing a key again writes the same content (keys come from content).
 */
public interface ObjectStore {
  /**
   * Stores an object, replacing any object under the same key, atomically: a reader sees the old
   * object, the new one or none, never part of one.
   *
   * @throws StorageUnavailableException when the store cannot take the write now
   */
  void put(String key, byte[] content);

  /** Where objects go, for people: {@code s3://bucket} or a directory path. */
  String location();
}
