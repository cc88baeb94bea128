package dev.tracelake.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/** Turns an OTLP/HTTP request body (protobuf or JSON, gzipped or not) into the export request. */
public final class OtlpRequestDecoder {
  private final int maxDecompressedBytes;

  /**
   * @param maxDecompressedBytes the largest body accepted once decompressed, which bounds the
   *     memory a small gzip bomb could claim
   */
  public OtlpRequestDecoder(int maxDecompressedBytes) {
    this.maxDecompressedBytes = maxDecompressedBytes;
  }

  /** Parses a plain (already decompressed) body in the encoding its Content-Type names. */
  public ExportTraceServiceRequest parse(byte[] plain, OtlpEncoding encoding)
      throws MalformedRequestException {
    return switch (encoding) {
      case PROTOBUF -> parseProtobuf(plain);
      case JSON -> parseJson(plain);
    };
  }

  private static ExportTraceServiceRequest parseProtobuf(byte[] plain)
      throws MalformedRequestException {
    try {
      return ExportTraceServiceRequest.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRequestException(
          "body is not a valid protobuf ExportTraceServiceRequest: " + e.getMessage(), e);
    }
  }

  private static ExportTraceServiceRequest parseJson(byte[] plain)
      throws MalformedRequestException {
    if (plain.length == 0) {
      throw new MalformedRequestException("body is empty; expected an OTLP/JSON object");
    }
    return OtlpJson.parseTraceRequest(new String(plain, StandardCharsets.UTF_8));
  }

  /** Decompresses a gzipped body, refusing to inflate it past the limit. */
  public byte[] gunzip(byte[] body) throws MalformedRequestException, PayloadTooLargeException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      byte[] plain = in.readNBytes(maxDecompressedBytes + 1);
      if (plain.length > maxDecompressedBytes) {
        throw new PayloadTooLargeException(
            "body decompresses to more than " + maxDecompressedBytes + " bytes");
      }
      return plain;
    } catch (IOException e) {
      throw new MalformedRequestException(
          "Content-Encoding is gzip but the body is not valid gzip: " + e.getMessage(), e);
    }
  }
}
