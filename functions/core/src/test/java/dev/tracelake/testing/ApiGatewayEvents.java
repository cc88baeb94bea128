package dev.tracelake.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * API Gateway proxy events in payload format 1.0, as Lambda hands them to a function: the events of
 * a REST API, and of an HTTP API whose integration is set to format 1.0, which is how the stack
 * fronts the functions with either. What the functions' tests send to Quarkus' mock event server,
 * and the cold-start harness to the runtime.
 */
public final class ApiGatewayEvents {
  private ApiGatewayEvents() {}

  /** A GET of a path with a raw query string ("" for none), from a REST API. */
  public static JsonObject get(String path, String rawQueryString) {
    return request("GET", path, rawQueryString, Map.of("accept", "application/json"), null);
  }

  /**
   * A request from a REST API; the body, when there is one, travels base64-encoded, as API Gateway
   * sends binary and compressed bodies.
   */
  public static JsonObject request(
      String method, String path, String rawQueryString, Map<String, String> headers, byte[] body) {
    JsonObject identity = new JsonObject();
    identity.addProperty("sourceIp", "127.0.0.1");
    identity.addProperty("userAgent", headers.getOrDefault("user-agent", "test"));
    JsonObject context = new JsonObject();
    context.addProperty("accountId", "123456789012");
    context.addProperty("apiId", "a1b2c3d4e5");
    context.addProperty("resourcePath", path);
    context.addProperty("httpMethod", method);
    context.addProperty("path", "/prod" + path);
    context.addProperty("protocol", "HTTP/1.1");
    context.addProperty("requestId", UUID.randomUUID().toString());
    context.addProperty("stage", "prod");
    context.add("identity", identity);

    JsonObject headerObject = new JsonObject();
    JsonObject multiValueHeaders = new JsonObject();
    headers.forEach(
        (name, value) -> {
          headerObject.addProperty(name, value);
          multiValueHeaders.add(name, single(value));
        });
    JsonObject parameters = new JsonObject();
    JsonObject multiValueParameters = new JsonObject();
    for (String pair : rawQueryString.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      String[] nameAndValue = pair.split("=", 2);
      String name = URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8);
      String value =
          nameAndValue.length > 1 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "";
      parameters.addProperty(name, value);
      if (!multiValueParameters.has(name)) {
        multiValueParameters.add(name, new JsonArray());
      }
      multiValueParameters.getAsJsonArray(name).add(value);
    }

    JsonObject event = new JsonObject();
    event.addProperty("resource", path);
    event.addProperty("path", path);
    event.addProperty("httpMethod", method);
    event.add("headers", headerObject);
    event.add("multiValueHeaders", multiValueHeaders);
    event.add("queryStringParameters", parameters.isEmpty() ? JsonNull.INSTANCE : parameters);
    event.add(
        "multiValueQueryStringParameters",
        multiValueParameters.isEmpty() ? JsonNull.INSTANCE : multiValueParameters);
    event.add("pathParameters", JsonNull.INSTANCE);
    event.add("stageVariables", JsonNull.INSTANCE);
    event.add("requestContext", context);
    if (body != null) {
      event.addProperty("body", Base64.getEncoder().encodeToString(body));
    } else {
      event.add("body", JsonNull.INSTANCE);
    }
    event.addProperty("isBase64Encoded", body != null);
    return event;
  }

  /**
   * The same request as an HTTP API sends it with payload format 1.0: a {@code version} of "1.0",
   * the {@code $default} stage, and no stage in the request context's path.
   */
  public static JsonObject fromHttpApi(JsonObject restEvent) {
    JsonObject event = restEvent.deepCopy();
    event.addProperty("version", "1.0");
    JsonObject context = event.getAsJsonObject("requestContext");
    context.addProperty("stage", "$default");
    context.addProperty("path", event.get("path").getAsString());
    return event;
  }

  private static JsonArray single(String value) {
    JsonArray values = new JsonArray();
    values.add(value);
    return values;
  }
}
