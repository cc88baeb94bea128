package dev.tracelake.testing;

import com.google.gson.JsonObject;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * API Gateway HTTP API events (payload format 2.0), as Lambda hands them to a function: what the
 * functions' tests send to Quarkus' mock event server, and the cold-start harness to the runtime.
 */
public final class ApiGatewayEvents {
  private ApiGatewayEvents() {}

  /** A GET of a path with a raw query string ("" for none). */
  public static JsonObject get(String path, String rawQueryString) {
    return request("GET", path, rawQueryString, Map.of("accept", "application/json"), null);
  }

  /**
   * A request; the body, when there is one, travels base64-encoded, as API Gateway sends binary and
   * compressed bodies.
   */
  public static JsonObject request(
      String method, String path, String rawQueryString, Map<String, String> headers, byte[] body) {
    JsonObject http = new JsonObject();
    http.addProperty("method", method);
    http.addProperty("path", path);
    http.addProperty("protocol", "HTTP/1.1");
    http.addProperty("sourceIp", "127.0.0.1");
    JsonObject context = new JsonObject();
    context.add("http", http);
    context.addProperty("requestId", UUID.randomUUID().toString());
    context.addProperty("stage", "$default");
    JsonObject headerObject = new JsonObject();
    headers.forEach(headerObject::addProperty);
    JsonObject event = new JsonObject();
    event.addProperty("version", "2.0");
    event.addProperty("routeKey", "$default");
    event.addProperty("rawPath", path);
    event.addProperty("rawQueryString", rawQueryString);
    event.add("headers", headerObject);
    event.add("requestContext", context);
    if (body != null) {
      event.addProperty("body", Base64.getEncoder().encodeToString(body));
    }
    event.addProperty("isBase64Encoded", body != null);
    return event;
  }
}
