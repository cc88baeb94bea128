package dev.tracelake.infra;

import java.util.List;

/**
 * One route of the API and the function that answers it. Both API shapes serve exactly these.
 *
 * @param method the HTTP method
 * @param path the path, with API Gateway's {@code {name}} path parameters
 * @param target the function answering
 */
public record Route(String method, String path, Target target) {

  /** The function a route goes to. */
  public enum Target {
    /** OTLP/HTTP ingest. */
    INGEST,
    /** The query API. */
    QUERY
  }

  /** OTLP/HTTP, Jaeger's query API v3, SQL, the reports and the health check. */
  public static final List<Route> ALL =
      List.of(
          new Route("POST", "/v1/traces", Target.INGEST),
          new Route("GET", "/api/v3/traces", Target.QUERY),
          new Route("GET", "/api/v3/traces/{traceId}", Target.QUERY),
          new Route("GET", "/api/v3/services", Target.QUERY),
          new Route("GET", "/api/v3/operations", Target.QUERY),
          new Route("POST", "/api/sql", Target.QUERY),
          new Route("GET", "/api/reports/{name}", Target.QUERY),
          new Route("GET", "/api/dependencies", Target.QUERY),
          new Route("GET", "/health", Target.QUERY));

  /** The headers a browser exporter or UI sends, allowed by CORS. */
  static final List<String> ALLOWED_HEADERS =
      List.of("content-type", "content-encoding", "x-api-key", "authorization");
}
