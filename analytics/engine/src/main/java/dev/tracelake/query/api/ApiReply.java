package dev.tracelake.query.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * What an API call answers: an HTTP status and a JSON body, for whichever HTTP front serves it (the
 * query function, or {@code ./tracelake serve}).
 */
public record ApiReply(int status, String json) {
  static ApiReply ok(JsonElement body) {
    return new ApiReply(200, body.toString());
  }

  /**
   * An error in the shape of Jaeger's API v3 HTTP gateway: {@code {"error": {"httpCode": …,
   * "message": …}}}.
   */
  static ApiReply error(int status, String message) {
    JsonObject details = new JsonObject();
    details.addProperty("httpCode", status);
    details.addProperty("message", message);
    JsonObject body = new JsonObject();
    body.add("error", details);
    return new ApiReply(status, body.toString());
  }
}
