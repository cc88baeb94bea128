package dev.tracelake.otlp;

/** The request body, as sent or once decompressed, is larger than the configured limit. */
public final class PayloadTooLargeException extends Exception {
  public PayloadTooLargeException(String message) {
    super(message);
  }
}
