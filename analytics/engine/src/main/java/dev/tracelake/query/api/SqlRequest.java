package dev.tracelake.query.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.tracelake.query.TimeRange;
import java.time.Instant;

/** The body of {@code POST /api/sql}: {@code {"sql": "…", "from": "…", "to": "…"}}. */
record SqlRequest(String sql, TimeRange range) {
  static SqlRequest parse(String body) {
    JsonObject request;
    try {
      JsonElement root = JsonParser.parseString(body);
      request = root.isJsonObject() ? root.getAsJsonObject() : null;
    } catch (JsonParseException e) {
      request = null;
    }
    if (request == null
        || !request.has("sql")
        || !request.get("sql").isJsonPrimitive()
        || request.get("sql").getAsString().isBlank()) {
      throw new IllegalArgumentException(
          "the body must be a JSON object with the query in \"sql\", e.g."
              + " {\"sql\": \"SELECT service_name, count(*) FROM spans GROUP BY 1\"}");
    }
    Instant from = instant(request, "from", TimeRange.ALL.from());
    Instant to = instant(request, "to", TimeRange.ALL.to());
    return new SqlRequest(request.get("sql").getAsString(), new TimeRange(from, to));
  }

  private static Instant instant(JsonObject request, String name, Instant absent) {
    if (!request.has(name) || request.get(name).isJsonNull()) {
      return absent;
    }
    try {
      return Rfc3339.parse(request.get(name).getAsString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + name + "\": " + e.getMessage());
    }
  }
}
