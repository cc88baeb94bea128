package dev.tracelake.query;

/**
 * The span objects one query needs do not fit in the local object cache at once. The message says
 * what to do: narrow the time range, or raise the cache size.
 */
public final class CacheTooSmallException extends RuntimeException {
  CacheTooSmallException(String message) {
    super(message);
  }
}
