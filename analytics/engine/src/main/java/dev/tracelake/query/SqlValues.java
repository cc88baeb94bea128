package dev.tracelake.query;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Blob;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBStruct;

/** DuckDB's JDBC values as the JSON-friendly objects {@link SqlResult} holds. */
final class SqlValues {
  private SqlValues() {}

  static Object jsonFriendly(Object value) throws SQLException {
    if (value == null
        || value instanceof Boolean
        || value instanceof String
        || value instanceof Integer
        || value instanceof Long
        || value instanceof BigDecimal
        || value instanceof java.math.BigInteger) {
      return value;
    }
    if (value instanceof Byte || value instanceof Short) {
      return ((Number) value).intValue();
    }
    if (value instanceof Float || value instanceof Double) {
      double number = ((Number) value).doubleValue();
      if (Double.isFinite(number)) {
        return value;
      }
      // JSON has no NaN or infinity: they become DuckDB's own text for them.
      return Double.isNaN(number) ? "nan" : number > 0 ? "inf" : "-inf";
    }
    if (value instanceof Timestamp timestamp) {
      // DuckDB's TIMESTAMP has no zone; the driver fills a Timestamp whose local fields are the
      // stored ones, and tracelake stores UTC.
      return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC).toString();
    }
    if (value instanceof OffsetDateTime timestamp) {
      return timestamp.toInstant().toString();
    }
    if (value instanceof Blob blob) {
      return base64(blob);
    }
    if (value instanceof Array array) {
      Object[] elements = (Object[]) array.getArray();
      List<Object> list = new ArrayList<>(elements.length);
      for (Object element : elements) {
        list.add(jsonFriendly(element));
      }
      return list;
    }
    if (value instanceof DuckDBStruct struct) {
      return jsonFriendly(struct.getMap());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> object = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        object.put(String.valueOf(jsonFriendly(entry.getKey())), jsonFriendly(entry.getValue()));
      }
      return object;
    }
    // Dates, times, UUIDs, intervals, JSON, BIT: their text is DuckDB's (and ISO's) own.
    return value.toString();
  }

  private static String base64(Blob blob) throws SQLException {
    try (InputStream in = blob.getBinaryStream()) {
      return Base64.getEncoder().encodeToString(in.readAllBytes());
    } catch (IOException e) {
      throw new SQLException("cannot read a BLOB value", e);
    }
  }
}
