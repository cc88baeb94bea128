package dev.tracelake.query.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tracelake.otlp.MalformedRequestException;
import dev.tracelake.otlp.OtlpJson;
import dev.tracelake.spans.StoredSpan;
import dev.tracelake.testing.ConformanceData;
import dev.tracelake.testing.OtlpFiles;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Jaeger's storage conformance suite ({@code ../shared/conformance/jaeger}), read as it is and
 * turned into what tracelake's public interfaces take: the fixture files to POST to {@code
 * /v1/traces}, and each query as {@code GET /api/v3/traces} parameters with the trace IDs it must
 * return, exactly.
 */
public final class JaegerConformance {
  /** One query of queries.json. */
  public record Query(
      String caption, Map<String, String> parameters, Set<String> expectedTraceIds) {
    @Override
    public String toString() {
      return caption;
    }
  }

  private JaegerConformance() {}

  /** The fixture files, each an OTLP/JSON request body. */
  public static List<Path> traceFiles() {
    return ConformanceData.jaegerTraces();
  }

  /** Every query, with Jaeger's parameters written as API v3 query parameters. */
  public static List<Query> queries() {
    List<Query> queries = new ArrayList<>();
    for (JsonElement element : JsonParser.parseString(read("queries.json")).getAsJsonArray()) {
      JsonObject entry = element.getAsJsonObject();
      JsonObject query = entry.getAsJsonObject("Query");
      Map<String, String> parameters = new LinkedHashMap<>();
      parameters.put("query.serviceName", query.get("ServiceName").getAsString());
      String operation = query.get("OperationName").getAsString();
      if (!operation.isEmpty()) {
        parameters.put("query.operationName", operation);
      }
      if (query.get("Tags").isJsonObject()) {
        parameters.put("query.attributes", query.get("Tags").toString());
      }
      parameters.put("query.startTimeMin", query.get("StartTimeMin").getAsString());
      parameters.put("query.startTimeMax", query.get("StartTimeMax").getAsString());
      goDuration(query, "DurationMin").ifPresent(d -> parameters.put("query.durationMin", d));
      goDuration(query, "DurationMax").ifPresent(d -> parameters.put("query.durationMax", d));
      parameters.put("query.searchDepth", query.get("NumTraces").getAsString());
      Set<String> expected = new LinkedHashSet<>();
      for (JsonElement fixture : entry.getAsJsonArray("ExpectedFixtures")) {
        expected.addAll(traceIds(fixture(fixture.getAsString())));
      }
      queries.add(new Query(entry.get("Caption").getAsString(), parameters, expected));
    }
    return queries;
  }

  /** The request of a fixture, by its name in queries.json (the file name without .json). */
  public static ExportTraceServiceRequest fixture(String name) {
    return OtlpFiles.request(ConformanceData.root().resolve("jaeger/traces/" + name + ".json"));
  }

  /** Every fixture span with the given trace ID, flattened for comparison. */
  public static List<StoredSpan> fixtureSpans(String traceId) {
    List<StoredSpan> spans = new ArrayList<>();
    for (Path file : traceFiles()) {
      for (StoredSpan span : StoredSpan.of(OtlpFiles.request(file))) {
        if (hex(span).equals(traceId)) {
          spans.add(span);
        }
      }
    }
    return spans;
  }

  /** The spans of an API v3 answer ({@code {"result": TracesData}}), flattened for comparison. */
  public static List<StoredSpan> resultSpans(String responseBody) {
    JsonObject result =
        JsonParser.parseString(responseBody).getAsJsonObject().getAsJsonObject("result");
    try {
      // TracesData and ExportTraceServiceRequest have the same JSON shape.
      return StoredSpan.of(OtlpJson.parseTraceRequest(result.toString()));
    } catch (MalformedRequestException e) {
      throw new AssertionError("the result is not OTLP/JSON: " + result, e);
    }
  }

  /** The distinct trace IDs of an API v3 answer, in the order they come. */
  public static Set<String> resultTraceIds(String responseBody) {
    Set<String> ids = new LinkedHashSet<>();
    resultSpans(responseBody).forEach(span -> ids.add(hex(span)));
    return ids;
  }

  private static Set<String> traceIds(ExportTraceServiceRequest request) {
    Set<String> ids = new LinkedHashSet<>();
    StoredSpan.of(request).forEach(span -> ids.add(hex(span)));
    return ids;
  }

  private static String hex(StoredSpan span) {
    return HexFormat.of().formatHex(span.span().getTraceId().toByteArray());
  }

  /** Go encodes a duration as nanoseconds in JSON; the API takes Go's text form. 0 is no bound. */
  private static Optional<String> goDuration(JsonObject query, String name) {
    long nanos = query.get(name).getAsLong();
    return nanos == 0 ? Optional.empty() : Optional.of(nanos + "ns");
  }

  private static String read(String name) {
    try {
      return Files.readString(ConformanceData.root().resolve("jaeger/" + name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
