package dev.tracelake.query.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.tracelake.query.TimeRange;
import dev.tracelake.query.TraceQuery;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The query parameters of Jaeger's {@code GET /api/v3/traces}, in their lowerCamelCase names
 * ({@code query.serviceName}) or the snake_case aliases of Jaeger's HTTP gateway ({@code
 * query.service_name}).
 */
final class FindTracesParameters {
  private FindTracesParameters() {}

  /**
   * The search the parameters ask for.
   *
   * @throws IllegalArgumentException naming the parameter that is wrong
   */
  static TraceQuery parse(Map<String, String> parameters, Clock clock) {
    Instant max =
        parameter(parameters, "query.startTimeMax")
            .map(text -> instant("query.startTimeMax", text))
            .orElseGet(clock::instant);
    Instant min =
        parameter(parameters, "query.startTimeMin")
            .map(text -> instant("query.startTimeMin", text))
            .orElse(max.minus(TraceQuery.DEFAULT_LOOKBACK));
    if (min.isAfter(max)) {
      throw new IllegalArgumentException("query.startTimeMin is after query.startTimeMax");
    }
    OptionalLong durationMin = duration(parameters, "query.durationMin");
    OptionalLong durationMax = duration(parameters, "query.durationMax");
    if (durationMin.isPresent()
        && durationMax.isPresent()
        && durationMin.getAsLong() > durationMax.getAsLong()) {
      throw new IllegalArgumentException("query.durationMin is above query.durationMax");
    }
    int limit =
        parameter(parameters, "query.searchDepth")
            .map(FindTracesParameters::searchDepth)
            .orElse(TraceQuery.DEFAULT_LIMIT);
    return new TraceQuery(
        new TimeRange(min, max),
        parameter(parameters, "query.serviceName"),
        parameter(parameters, "query.operationName"),
        OptionalInt.empty(),
        durationMin,
        durationMax,
        parameter(parameters, "query.attributes")
            .map(FindTracesParameters::attributes)
            .orElse(Map.of()),
        limit);
  }

  /** A parameter by its camelCase name or its snake_case alias; blank counts as absent. */
  static Optional<String> parameter(Map<String, String> parameters, String camelName) {
    String value = parameters.get(camelName);
    if (value == null) {
      value = parameters.get(camelName.replaceAll("([A-Z])", "_$1").toLowerCase());
    }
    return Optional.ofNullable(value).filter(text -> !text.isBlank());
  }

  private static Instant instant(String name, String text) {
    try {
      return Rfc3339.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage());
    }
  }

  private static OptionalLong duration(Map<String, String> parameters, String name) {
    Optional<String> text = parameter(parameters, name);
    if (text.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      long nanos = GoDuration.parseNanos(text.get());
      return nanos == 0 ? OptionalLong.empty() : OptionalLong.of(nanos);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage());
    }
  }

  private static int searchDepth(String text) {
    try {
      int depth = Integer.parseInt(text);
      if (depth >= 1) {
        return depth;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "query.searchDepth must be a whole number of traces, at least 1, not '" + text + "'");
  }

  /** {"key": value, …}: values are strings, numbers or booleans, matched by their text. */
  private static Map<String, String> attributes(String json) {
    JsonElement root;
    try {
      root = JsonParser.parseString(json);
    } catch (JsonParseException e) {
      root = null;
    }
    if (root == null || !root.isJsonObject()) {
      throw new IllegalArgumentException(
          "query.attributes must be a JSON object such as {\"http.status_code\": 500}, not '"
              + json
              + "'");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : ((JsonObject) root).entrySet()) {
      if (!entry.getValue().isJsonPrimitive()) {
        throw new IllegalArgumentException(
            "query.attributes: the value of '"
                + entry.getKey()
                + "' must be a string, number or boolean");
      }
      attributes.put(entry.getKey(), entry.getValue().getAsString());
    }
    return attributes;
  }
}
