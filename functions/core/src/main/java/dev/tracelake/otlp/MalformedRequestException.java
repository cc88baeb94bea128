package dev.tracelake.otlp;

/** The request body cannot be decoded as an OTLP export request; the message says why. */
public final class MalformedRequestException extends Exception {
  public MalformedRequestException(String message) {
    super(message);
  }

  public MalformedRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
