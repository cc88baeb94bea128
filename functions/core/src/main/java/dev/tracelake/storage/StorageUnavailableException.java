package dev.tracelake.storage;

/**
 * S3, DynamoDB or the local disk could not serve a write or read just now (down, throttled, out of
 * retries). Nothing the client sent was wrong: it should retry the same request later.
 */
public final class StorageUnavailableException extends RuntimeException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
