package dev.tracelake.otlp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * OTLP/JSON, which is the proto3 JSON mapping except that trace and span IDs are hex strings
 * instead of base64. JsonFormat handles the rest (int64 as string or number, enums by name or
 * number, both field-name styles, unknown fields), so this class only rewrites the ID fields.
 */
public final class OtlpJson {
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private OtlpJson() {}

  /** Decodes an OTLP/JSON {@code ExportTraceServiceRequest}. */
  public static ExportTraceServiceRequest parseTraceRequest(String json)
      throws MalformedRequestException {
    JsonElement root;
    try (JsonReader reader = new JsonReader(new StringReader(json))) {
      reader.setStrictness(Strictness.STRICT);
      root = JsonParser.parseReader(reader);
      // Looking past the object: in strict mode anything there but the end throws.
      reader.peek();
    } catch (JsonParseException | IOException e) {
      throw new MalformedRequestException("body is not valid JSON: " + gsonMessage(e), e);
    }
    if (!root.isJsonObject()) {
      throw new MalformedRequestException("body must be a JSON object (ExportTraceServiceRequest)");
    }
    for (JsonObject resourceSpans : objects(root.getAsJsonObject(), "resourceSpans")) {
      for (JsonObject scopeSpans : objects(resourceSpans, "scopeSpans")) {
        for (JsonObject span : objects(scopeSpans, "spans")) {
          hexToBase64(span, "traceId");
          hexToBase64(span, "spanId");
          hexToBase64(span, "parentSpanId");
          for (JsonObject link : objects(span, "links")) {
            hexToBase64(link, "traceId");
            hexToBase64(link, "spanId");
          }
        }
      }
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    try {
      PARSER.merge(root.toString(), request);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRequestException(
          "body is not a valid OTLP/JSON request: " + e.getMessage(), e);
    }
    return request.build();
  }

  /** Prints a message as compact proto3 JSON (used for responses, which carry no IDs). */
  public static String print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }

  /**
   * OTLP/JSON of stored traces, as query APIs answer (Jaeger's API v3 among them): the proto3 JSON
   * tree with trace and span IDs in hex.
   */
  public static JsonObject tracesData(TracesData traces) {
    JsonObject root = JsonParser.parseString(print(traces)).getAsJsonObject();
    for (JsonObject resourceSpans : arrayMembers(root, "resourceSpans")) {
      for (JsonObject scopeSpans : arrayMembers(resourceSpans, "scopeSpans")) {
        for (JsonObject span : arrayMembers(scopeSpans, "spans")) {
          base64ToHex(span, "traceId");
          base64ToHex(span, "spanId");
          base64ToHex(span, "parentSpanId");
          for (JsonObject link : arrayMembers(span, "links")) {
            base64ToHex(link, "traceId");
            base64ToHex(link, "spanId");
          }
        }
      }
    }
    return root;
  }

  private static List<JsonObject> arrayMembers(JsonObject parent, String name) {
    JsonArray array = parent.getAsJsonArray(name);
    List<JsonObject> result = new ArrayList<>();
    if (array != null) {
      array.forEach(element -> result.add(element.getAsJsonObject()));
    }
    return result;
  }

  private static void base64ToHex(JsonObject parent, String name) {
    JsonElement value = parent.get(name);
    if (value != null) {
      parent.addProperty(
          name, HexFormat.of().formatHex(Base64.getDecoder().decode(value.getAsString())));
    }
  }

  /** Prints messages as a compact JSON array, e.g. a resource's attributes as OTLP/JSON. */
  public static String printArray(List<? extends MessageOrBuilder> messages) {
    StringBuilder json = new StringBuilder(64 * messages.size()).append('[');
    for (int i = 0; i < messages.size(); i++) {
      json.append(i == 0 ? "" : ",").append(print(messages.get(i)));
    }
    return json.append(']').toString();
  }

  /** The members of a JSON array field, under its lowerCamelCase or its proto field name. */
  private static Iterable<JsonObject> objects(JsonObject parent, String camelName)
      throws MalformedRequestException {
    JsonElement value = member(parent, camelName);
    if (value == null || value.isJsonNull()) {
      return List.of();
    }
    if (!value.isJsonArray()) {
      throw new MalformedRequestException("'" + camelName + "' must be an array");
    }
    JsonArray array = value.getAsJsonArray();
    List<JsonObject> result = new ArrayList<>(array.size());
    for (JsonElement element : array) {
      if (!element.isJsonObject()) {
        throw new MalformedRequestException("each entry of '" + camelName + "' must be an object");
      }
      result.add(element.getAsJsonObject());
    }
    return result;
  }

  private static void hexToBase64(JsonObject parent, String camelName)
      throws MalformedRequestException {
    String name = parent.has(camelName) ? camelName : snakeCase(camelName);
    JsonElement value = parent.get(name);
    if (value == null || value.isJsonNull()) {
      return;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new MalformedRequestException("'" + camelName + "' must be a hex string");
    }
    String hex = value.getAsString();
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new MalformedRequestException("'" + camelName + "' is not a hex string: '" + hex + "'");
    }
    parent.add(name, new JsonPrimitive(Base64.getEncoder().encodeToString(bytes)));
  }

  private static JsonElement member(JsonObject parent, String camelName) {
    JsonElement value = parent.get(camelName);
    return value != null ? value : parent.get(snakeCase(camelName));
  }

  private static String snakeCase(String camelName) {
    return camelName.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
  }

  /** Gson's own words on where the JSON broke, without its advice to parse leniently. */
  private static String gsonMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = root.getMessage();
    int advice = message.indexOf("\nSee ");
    return (advice < 0 ? message : message.substring(0, advice))
        .replace(
            "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
            "malformed");
  }
}
