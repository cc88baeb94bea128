package dev.tracelake.functions.ingest;

import dev.tracelake.ingest.OtlpHttpEndpoint;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /v1/traces}: hands the request to the core's {@link OtlpHttpEndpoint} and returns its
 * reply as it is. Any content type is let through so that the endpoint, not the framework, answers
 * an unsupported one with OTLP's error body.
 */
@Path("/v1/traces")
public class OtlpTracesResource {

  @Inject OtlpHttpEndpoint endpoint;

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response export(
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
      byte[] body) {
    OtlpHttpEndpoint.Reply reply =
        endpoint.export(contentType, contentEncoding, body == null ? new byte[0] : body);
    Response.ResponseBuilder response =
        Response.status(reply.status()).type(reply.contentType()).entity(reply.body());
    reply
        .retryAfterSeconds()
        .ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, seconds));
    return response.build();
  }
}
