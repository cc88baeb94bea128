package dev.tracelake.functions.query;

import dev.tracelake.query.QueryEngine;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /health}: 200 when the engine answers a trivial query ({@link
 * dev.tracelake.query.api.QueryApi#health()}). It reads no span object, so it costs a few
 * milliseconds and no S3 request, whatever is stored.
 */
@Path("/health")
public class HealthResource {
  @Inject QueryEngine engine;

  @GET
  public Response health() {
    return QueryApiResource.reply(engine.api().health());
  }
}
