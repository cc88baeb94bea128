package dev.tracelake.synthetic;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.SplittableRandom;

/** The OTLP building blocks both generators share: attributes, IDs and exception events. */
final class OtlpValues {
  private OtlpValues() {}

  static KeyValue string(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  static KeyValue bool(String key, boolean value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setBoolValue(value))
        .build();
  }

  /** A non-zero random ID, as a valid trace or span ID must be. */
  static ByteString randomId(SplittableRandom random, int length) {
    byte[] id = randomBytes(random, length);
    id[0] |= 1;
    return ByteString.copyFrom(id);
  }

  static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  /** The event by which OpenTelemetry SDKs record an exception on a span. */
  static Span.Event exceptionEvent(
      long timeUnixNano, String type, String message, String stacktrace) {
    return Span.Event.newBuilder()
        .setName("exception")
        .setTimeUnixNano(timeUnixNano)
        .addAttributes(string("exception.type", type))
        .addAttributes(string("exception.message", message))
        .addAttributes(string("exception.stacktrace", stacktrace))
        .build();
  }
}
