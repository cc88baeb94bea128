package dev.tracelake.ingest;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.tracelake.otlp.MalformedRequestException;
import dev.tracelake.otlp.OtlpEncoding;
import dev.tracelake.otlp.OtlpJson;
import dev.tracelake.otlp.OtlpRequestDecoder;
import dev.tracelake.otlp.PayloadTooLargeException;
import dev.tracelake.storage.StorageUnavailableException;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/traces} as the OTLP/HTTP specification defines it, independent of any HTTP
 * server: the Lambda resource and the local server both hand it the request's headers and body and
 * send back the {@link Reply} as it is.
 */
public final class OtlpHttpEndpoint {
  private static final Logger LOG = Logger.getLogger(OtlpHttpEndpoint.class);

  /** OTLP/HTTP's answer: status, body in the request's encoding, and when to retry. */
  public record Reply(
      int status, String contentType, byte[] body, Optional<Integer> retryAfterSeconds) {}

  private final TraceIngester ingester;
  private final OtlpRequestDecoder decoder;
  private final IngestLimits limits;

  public OtlpHttpEndpoint(TraceIngester ingester, IngestLimits limits) {
    this.ingester = ingester;
    this.limits = limits;
    this.decoder = new OtlpRequestDecoder(limits.maxDecompressedBytes());
  }

  /** The bounds this endpoint enforces; a server need read no more of a body than they allow. */
  public IngestLimits limits() {
    return limits;
  }

  /**
   * Handles one export request.
   *
   * @param contentType the Content-Type header, or null
   * @param contentEncoding the Content-Encoding header, or null
   * @param body the body as received
   */
  public Reply export(String contentType, String contentEncoding, byte[] body) {
    Optional<OtlpEncoding> encoding = OtlpEncoding.fromContentType(contentType);
    if (encoding.isEmpty()) {
      return error(
          415,
          OtlpEncoding.JSON,
          Code.INVALID_ARGUMENT,
          "Content-Type '"
              + contentType
              + "' is not supported: send application/x-protobuf or application/json");
    }
    OtlpEncoding format = encoding.get();
    Optional<Boolean> gzipped = isGzip(contentEncoding);
    if (gzipped.isEmpty()) {
      return error(
          415,
          format,
          Code.INVALID_ARGUMENT,
          "Content-Encoding '" + contentEncoding + "' is not supported: send gzip or no encoding");
    }
    if (body.length > limits.maxBodyBytes()) {
      return error(
          413,
          format,
          Code.RESOURCE_EXHAUSTED,
          "body of "
              + body.length
              + " bytes is over the limit of "
              + limits.maxBodyBytes()
              + " bytes: export smaller batches");
    }
    try {
      byte[] plain = gzipped.get() ? decoder.gunzip(body) : body;
      ExportTraceServiceRequest request = decoder.parse(plain, format);
      IngestResult result = ingester.ingest(request, plain);
      LOG.debugf(
          "stored %d spans (%d rejected) in %s",
          result.acceptedSpans(), result.rejectedSpans(), result.objectKeys());
      return success(format, result);
    } catch (MalformedRequestException e) {
      return error(400, format, Code.INVALID_ARGUMENT, e.getMessage());
    } catch (PayloadTooLargeException e) {
      return error(413, format, Code.RESOURCE_EXHAUSTED, e.getMessage());
    } catch (StorageUnavailableException e) {
      LOG.warnf("storage unavailable, asking the exporter to retry: %s", e.getMessage());
      return new Reply(
          503,
          format.mediaType(),
          encode(status(Code.UNAVAILABLE, "storage is unavailable, retry later"), format),
          Optional.of(limits.retryAfterSeconds()));
    } catch (RuntimeException e) {
      LOG.error("export failed", e);
      return error(500, format, Code.INTERNAL, "internal error; the service log has the details");
    }
  }

  private static Optional<Boolean> isGzip(String contentEncoding) {
    if (contentEncoding == null) {
      return Optional.of(false);
    }
    return switch (contentEncoding.trim().toLowerCase(Locale.ROOT)) {
      case "", "identity" -> Optional.of(false);
      case "gzip", "x-gzip" -> Optional.of(true);
      default -> Optional.empty();
    };
  }

  private static Reply success(OtlpEncoding format, IngestResult result) {
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (result.rejectedSpans() > 0) {
      response.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(result.rejectedSpans())
              .setErrorMessage(result.rejectionMessage()));
    }
    return new Reply(200, format.mediaType(), encode(response.build(), format), Optional.empty());
  }

  private static Reply error(int httpStatus, OtlpEncoding format, Code code, String message) {
    return new Reply(
        httpStatus, format.mediaType(), encode(status(code, message), format), Optional.empty());
  }

  private static Status status(Code code, String message) {
    return Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
  }

  private static byte[] encode(Message message, OtlpEncoding format) {
    return switch (format) {
      case PROTOBUF -> message.toByteArray();
      case JSON -> OtlpJson.print(message).getBytes(StandardCharsets.UTF_8);
    };
  }
}
