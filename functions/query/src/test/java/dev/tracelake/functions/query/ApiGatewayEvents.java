package dev.tracelake.functions.query;

import com.google.gson.JsonObject;
import java.util.UUID;

/** API Gateway HTTP API (payload format 2.0) events, as Lambda hands them to the function. */
final class ApiGatewayEvents {
  private ApiGatewayEvents() {}

  /** A GET of a path with a raw query string ("" for none). */
  static JsonObject get(String path, String rawQueryString) {
    JsonObject http = new JsonObject();
    http.addProperty("method", "GET");
    http.addProperty("path", path);
    http.addProperty("protocol", "HTTP/1.1");
    http.addProperty("sourceIp", "127.0.0.1");
    JsonObject context = new JsonObject();
    context.add("http", http);
    context.addProperty("requestId", UUID.randomUUID().toString());
    context.addProperty("stage", "$default");
    JsonObject headers = new JsonObject();
    headers.addProperty("accept", "application/json");
    JsonObject event = new JsonObject();
    event.addProperty("version", "2.0");
    event.addProperty("routeKey", "$default");
    event.addProperty("rawPath", path);
    event.addProperty("rawQueryString", rawQueryString);
    event.add("headers", headers);
    event.add("requestContext", context);
    event.addProperty("isBase64Encoded", false);
    return event;
  }
}
