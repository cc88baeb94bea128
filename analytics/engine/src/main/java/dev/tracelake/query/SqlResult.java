package dev.tracelake.query;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The answer to a sandboxed query, at most {@code maxRows} rows of it.
 *
 * @param columns the result's columns, in order
 * @param rows the rows, each with one value per column, as JSON-friendly Java objects: {@code
 *     null}, {@link Boolean}, {@link Number}, {@link String} (also timestamps, as RFC 3339 in UTC,
 *     dates, times, intervals, UUIDs, JSON text, and BLOBs in base64), {@link List} for lists and
 *     arrays, and {@link java.util.Map} with string keys for structs and maps
 * @param truncated whether the query had more rows than were kept
 * @param maxRows the row limit the query ran under
 */
public record SqlResult(
    List<Column> columns, List<List<Object>> rows, boolean truncated, int maxRows) {
  /**
   * A result column.
   *
   * @param name its name, as the query gives it
   * @param type its DuckDB type, e.g. {@code BIGINT}, {@code VARCHAR}, {@code STRUCT(a INTEGER)[]}
   */
  public record Column(String name, String type) {}

  private static final Gson GSON =
      new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  public SqlResult {
    columns = List.copyOf(columns);
    // Values may be null, which List.copyOf rejects.
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copy);
  }

  /**
   * The response body of {@code POST /api/sql}: {@code {"columns": [{"name": ..., "type": ...}],
   * "rows": [[...]], "truncated": bool}}.
   */
  public String toJson() {
    JsonObject body = new JsonObject();
    JsonArray columnArray = new JsonArray();
    for (Column column : columns) {
      JsonObject object = new JsonObject();
      object.addProperty("name", column.name());
      object.addProperty("type", column.type());
      columnArray.add(object);
    }
    body.add("columns", columnArray);
    body.add("rows", GSON.toJsonTree(rows));
    body.addProperty("truncated", truncated);
    return GSON.toJson(body);
  }

  /** A value as compact JSON text, the form table and CSV output give nested values. */
  static String json(Object value) {
    return GSON.toJson(value);
  }
}
