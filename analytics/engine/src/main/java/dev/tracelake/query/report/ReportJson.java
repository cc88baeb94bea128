package dev.tracelake.query.report;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import java.time.Instant;

/**
 * Reports as JSON, the form of {@code /api/reports/...} and {@code --format json}: the records'
 * fields in snake_case ({@code p95Ms} is {@code p95_ms}), times in RFC 3339 UTC, absent values as
 * null.
 */
public final class ReportJson {
  private static final Gson GSON =
      new GsonBuilder()
          .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
          .registerTypeAdapter(
              Instant.class,
              (JsonSerializer<Instant>) (time, type, context) -> new JsonPrimitive(time.toString()))
          .registerTypeAdapter(
              IncidentKind.class,
              (JsonSerializer<IncidentKind>)
                  (kind, type, context) -> new JsonPrimitive(kind.label()))
          .serializeNulls()
          .serializeSpecialFloatingPointValues()
          .disableHtmlEscaping()
          .create();

  private ReportJson() {}

  /** A report record as a JSON tree. */
  public static JsonElement tree(Object report) {
    return GSON.toJsonTree(report);
  }

  /** A report record as JSON text, indented for people. */
  public static String text(Object report) {
    return GSON.newBuilder().setPrettyPrinting().create().toJson(tree(report));
  }
}
