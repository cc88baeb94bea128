package dev.tracelake.functions.query;

import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.api.ApiReply;
import dev.tracelake.query.api.QueryApi;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query API under {@code /api/}: Jaeger's query API v3 and service graph, the SQL sandbox, and
 * the reports. Each route hands its parameters to the engine's {@link QueryApi} and returns the
 * {@link ApiReply} as it is; status codes and error bodies are the API's, not the framework's.
 */
@Path("/api")
public class QueryApiResource {

  @Inject QueryEngine engine;

  @GET
  @Path("/v3/traces/{traceId}")
  public Response trace(@PathParam("traceId") String traceId) {
    return reply(engine.api().trace(traceId));
  }

  @GET
  @Path("/v3/traces")
  public Response findTraces(@Context UriInfo uri) {
    return reply(engine.api().findTraces(parameters(uri)));
  }

  @GET
  @Path("/v3/services")
  public Response services() {
    return reply(engine.api().services());
  }

  @GET
  @Path("/v3/operations")
  public Response operations(@Context UriInfo uri) {
    return reply(engine.api().operations(parameters(uri)));
  }

  @GET
  @Path("/reports/{name}")
  public Response report(@PathParam("name") String name, @Context UriInfo uri) {
    return reply(engine.api().report(name, parameters(uri)));
  }

  /** Jaeger's service graph, which Jaeger UI and Grafana draw. */
  @GET
  @Path("/dependencies")
  public Response dependencies(@Context UriInfo uri) {
    return reply(engine.api().jaegerDependencies(parameters(uri)));
  }

  /** {@code POST /api/sql}: the body is the JSON request, as the API takes it. */
  @POST
  @Path("/sql")
  @Consumes(MediaType.WILDCARD)
  public Response sql(String body) {
    return reply(engine.api().sql(body));
  }

  /** Every query parameter, decoded; of a repeated one, the first value, as the API takes one. */
  static Map<String, String> parameters(UriInfo uri) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> parameter : uri.getQueryParameters().entrySet()) {
      List<String> values = parameter.getValue();
      parameters.put(parameter.getKey(), values.isEmpty() ? "" : values.get(0));
    }
    return parameters;
  }

  static Response reply(ApiReply reply) {
    return Response.status(reply.status())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(reply.json())
        .build();
  }
}
