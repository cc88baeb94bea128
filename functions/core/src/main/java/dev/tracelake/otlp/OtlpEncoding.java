package dev.tracelake.otlp;

import java.util.Locale;
import java.util.Optional;

/** The two request and response encodings of OTLP/HTTP, named by their media types. */
public enum OtlpEncoding {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private final String mediaType;

  OtlpEncoding(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The media type to answer with. */
  public String mediaType() {
    return mediaType;
  }

  /**
   * The encoding a {@code Content-Type} header names, ignoring parameters such as {@code charset};
   * empty when it names neither.
   */
  public static Optional<OtlpEncoding> fromContentType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    return switch (type) {
      case "application/x-protobuf", "application/protobuf" -> Optional.of(PROTOBUF);
      case "application/json" -> Optional.of(JSON);
      default -> Optional.empty();
    };
  }
}
