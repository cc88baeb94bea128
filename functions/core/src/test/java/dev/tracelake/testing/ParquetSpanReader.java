package dev.tracelake.testing;

import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads span objects back with DuckDB, an independent Parquet reader, and rebuilds the OTLP each
 * row stands for: the test-side inverse of the writer, written from the storage contract.
 */
public final class ParquetSpanReader {
  private static final HexFormat HEX = HexFormat.of();

  /** A stored row: the rebuilt span, and the columns derived from it or from the object's path. */
  public record Row(
      StoredSpan span, String serviceName, long durationNano, String dt, int hour, String file) {}

  private ParquetSpanReader() {}

  /**
   * Every span row of the Parquet files matching a glob, e.g. {@code /data/spans/**}{@code
   * /*.parquet}.
   */
  public static List<Row> read(String glob) {
    String sql =
        "SELECT *, strftime(dt, '%Y-%m-%d') AS dt_text FROM read_parquet('"
            + glob.replace("'", "''")
            + "', hive_partitioning = true, hive_types = {'dt': DATE, 'hour': INTEGER},"
            + " filename = true) ORDER BY filename, trace_id, start_time_unix_nano";
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<Row> result = new ArrayList<>();
      while (rows.next()) {
        result.add(row(rows));
      }
      return result;
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB could not read " + glob, e);
    }
  }

  /** Every span row under a directory tree of span objects. */
  public static List<Row> readDirectory(Path root) {
    return read(root.toAbsolutePath() + "/**/*.parquet");
  }

  private static Row row(ResultSet rows) throws SQLException {
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(id(rows.getString("trace_id")))
            .setSpanId(id(rows.getString("span_id")))
            .setFlags((int) rows.getLong("flags"))
            .setName(rows.getString("name"))
            .setKindValue(rows.getInt("kind"))
            .setStartTimeUnixNano(rows.getLong("start_time_unix_nano"))
            .setEndTimeUnixNano(rows.getLong("end_time_unix_nano"))
            .addAllAttributes(attributes(rows.getArray("attributes")))
            .setDroppedAttributesCount((int) rows.getLong("dropped_attributes_count"))
            .setDroppedEventsCount((int) rows.getLong("dropped_events_count"))
            .setDroppedLinksCount((int) rows.getLong("dropped_links_count"));
    String parent = rows.getString("parent_span_id");
    if (parent != null) {
      span.setParentSpanId(id(parent));
    }
    String traceState = rows.getString("trace_state");
    if (traceState != null) {
      span.setTraceState(traceState);
    }
    int statusCode = rows.getInt("status_code");
    String statusMessage = rows.getString("status_message");
    if (statusCode != 0 || statusMessage != null) {
      span.setStatus(
          Status.newBuilder()
              .setCodeValue(statusCode)
              .setMessage(statusMessage == null ? "" : statusMessage));
    }
    for (Object element : elements(rows.getArray("events"))) {
      Map<String, Object> event = fields(element);
      span.addEvents(
          Span.Event.newBuilder()
              .setTimeUnixNano((Long) event.get("time_unix_nano"))
              .setName((String) event.get("name"))
              .addAllAttributes(attributes((Array) event.get("attributes")))
              .setDroppedAttributesCount(
                  ((Long) event.get("dropped_attributes_count")).intValue()));
    }
    for (Object element : elements(rows.getArray("links"))) {
      Map<String, Object> link = fields(element);
      Span.Link.Builder builder =
          Span.Link.newBuilder()
              .setTraceId(id((String) link.get("trace_id")))
              .setSpanId(id((String) link.get("span_id")))
              .setFlags(((Long) link.get("flags")).intValue())
              .addAllAttributes(attributes((Array) link.get("attributes")))
              .setDroppedAttributesCount(((Long) link.get("dropped_attributes_count")).intValue());
      if (link.get("trace_state") != null) {
        builder.setTraceState((String) link.get("trace_state"));
      }
      span.addLinks(builder);
    }

    Resource.Builder resource =
        Resource.newBuilder()
            .addAllAttributes(jsonAttributes(rows.getString("resource_attributes")))
            .setDroppedAttributesCount((int) rows.getLong("resource_dropped_attributes_count"));
    String entityRefs = rows.getString("resource_entity_refs");
    if (entityRefs != null) {
      for (var ref : JsonParser.parseString(entityRefs).getAsJsonArray()) {
        resource.addEntityRefs(parse(ref.toString(), EntityRef.newBuilder()));
      }
    }
    InstrumentationScope.Builder scope =
        InstrumentationScope.newBuilder()
            .addAllAttributes(jsonAttributes(rows.getString("scope_attributes")))
            .setDroppedAttributesCount((int) rows.getLong("scope_dropped_attributes_count"));
    if (rows.getString("scope_name") != null) {
      scope.setName(rows.getString("scope_name"));
    }
    if (rows.getString("scope_version") != null) {
      scope.setVersion(rows.getString("scope_version"));
    }
    StoredSpan stored =
        new StoredSpan(
            resource.build(),
            orEmpty(rows.getString("resource_schema_url")),
            scope.build(),
            orEmpty(rows.getString("scope_schema_url")),
            span.build());
    return new Row(
        stored,
        rows.getString("service_name"),
        rows.getLong("duration_nano"),
        rows.getString("dt_text"),
        rows.getInt("hour"),
        rows.getString("filename"));
  }

  private static List<KeyValue> attributes(Array list) throws SQLException {
    List<KeyValue> attributes = new ArrayList<>();
    for (Object element : elements(list)) {
      Map<String, Object> attribute = fields(element);
      KeyValue.Builder keyValue = KeyValue.newBuilder().setKey((String) attribute.get("key"));
      AnyValue.Builder value = AnyValue.newBuilder();
      if (attribute.get("string_value") != null) {
        keyValue.setValue(value.setStringValue((String) attribute.get("string_value")));
      } else if (attribute.get("bool_value") != null) {
        keyValue.setValue(value.setBoolValue((Boolean) attribute.get("bool_value")));
      } else if (attribute.get("int_value") != null) {
        keyValue.setValue(value.setIntValue((Long) attribute.get("int_value")));
      } else if (attribute.get("double_value") != null) {
        keyValue.setValue(value.setDoubleValue((Double) attribute.get("double_value")));
      } else if (attribute.get("bytes_value") != null) {
        keyValue.setValue(
            value.setBytesValue(ByteString.copyFrom(bytes(attribute.get("bytes_value")))));
      } else if (attribute.get("array_value") != null) {
        keyValue.setValue(
            value.setArrayValue(
                parse((String) attribute.get("array_value"), ArrayValue.newBuilder())));
      } else if (attribute.get("kvlist_value") != null) {
        keyValue.setValue(
            value.setKvlistValue(
                parse((String) attribute.get("kvlist_value"), KeyValueList.newBuilder())));
      }
      attributes.add(keyValue.build());
    }
    return attributes;
  }

  /** Attributes stored as an OTLP/JSON array of KeyValue, or null for none. */
  private static List<KeyValue> jsonAttributes(String json) {
    List<KeyValue> attributes = new ArrayList<>();
    if (json != null) {
      for (var element : JsonParser.parseString(json).getAsJsonArray()) {
        attributes.add(parse(element.toString(), KeyValue.newBuilder()).build());
      }
    }
    return attributes;
  }

  private static Object[] elements(Array list) throws SQLException {
    return list == null ? new Object[0] : (Object[]) list.getArray();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fields(Object struct) throws SQLException {
    return (Map<String, Object>) ((org.duckdb.DuckDBStruct) struct).getMap();
  }

  private static byte[] bytes(Object blob) throws SQLException {
    if (blob instanceof byte[] array) {
      return array;
    }
    if (blob instanceof java.nio.ByteBuffer buffer) {
      byte[] array = new byte[buffer.remaining()];
      buffer.duplicate().get(array);
      return array;
    }
    Blob sqlBlob = (Blob) blob;
    return sqlBlob.getBytes(1, (int) sqlBlob.length());
  }

  private static <B extends Message.Builder> B parse(String json, B builder) {
    try {
      JsonFormat.parser().merge(json, builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored JSON is not valid OTLP: " + json, e);
    }
  }

  private static ByteString id(String hex) {
    return ByteString.copyFrom(HEX.parseHex(hex));
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
