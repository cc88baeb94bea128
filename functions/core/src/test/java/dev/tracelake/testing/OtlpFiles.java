package dev.tracelake.testing;

import dev.tracelake.otlp.MalformedRequestException;
import dev.tracelake.otlp.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Reading OTLP/JSON files and producing the other encodings of the same request. */
public final class OtlpFiles {
  private OtlpFiles() {}

  public static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes an OTLP/JSON file with the production decoder. */
  public static ExportTraceServiceRequest request(Path jsonFile) {
    try {
      return OtlpJson.parseTraceRequest(Files.readString(jsonFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MalformedRequestException e) {
      throw new IllegalArgumentException(jsonFile + " is not OTLP/JSON", e);
    }
  }

  public static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
