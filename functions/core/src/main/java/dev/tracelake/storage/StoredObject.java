package dev.tracelake.storage;

import java.time.Instant;

/**
 * An object as a listing shows it.
 *
 * @param key the full key, prefix included
 * @param size its size in bytes
 * @param lastModified when it was last written
 */
public record StoredObject(String key, long size, Instant lastModified) {
  /** The last segment of the key: the object's name within its partition. */
  public String name() {
    return nameOf(key);
  }

  /** The last segment of a key. */
  public static String nameOf(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }
}
