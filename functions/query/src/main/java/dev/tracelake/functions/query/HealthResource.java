package dev.tracelake.functions.query;

import dev.tracelake.query.QueryEngine;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * {@code GET /health}: 200 when the engine answers a trivial query. It reads no span object, so it
 * costs a few milliseconds and no S3 request, whatever is stored.
 */
@Path("/health")
public class HealthResource {
  private static final Logger LOG = Logger.getLogger(HealthResource.class);

  @Inject QueryEngine engine;

  @GET
  public Response health() {
    try {
      engine.check();
      return json(200, "{\"status\":\"ok\"}");
    } catch (SQLException | RuntimeException e) {
      LOG.error("health check failed", e);
      return json(503, "{\"status\":\"unavailable\"}");
    }
  }

  private static Response json(int status, String body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }
}
