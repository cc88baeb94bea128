package dev.tracelake.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The storage contract's columns as Hive types, for the Glue table Athena reads: made from the very
 * Parquet schema file the writer loads ({@code sql/schema/spans-v1.parquet-schema}), so the table
 * cannot drift from the files.
 */
public final class HiveSchema {
  /** The schema file, a class-path resource of the {@code sql} module. */
  static final String SCHEMA_RESOURCE = "/tracelake/sql/schema/spans-v1.parquet-schema";

  private HiveSchema() {}

  /**
   * A column and its Hive type.
   *
   * @param name the column
   * @param type its Hive type, e.g. {@code array<struct<key:string,...>>}
   */
  public record Column(String name, String type) {}

  /** The columns of the span objects, in the schema's order (the partition columns excluded). */
  public static List<Column> spanColumns() {
    try (InputStream in = HiveSchema.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA_RESOURCE + " is not on the class path");
      }
      MessageType schema =
          MessageTypeParser.parseMessageType(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return schema.getFields().stream()
          .map(field -> new Column(field.getName(), hiveType(field)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String hiveType(Type type) {
    if (type.isPrimitive()) {
      return primitive(type.asPrimitiveType());
    }
    GroupType group = type.asGroupType();
    if (group.getLogicalTypeAnnotation()
        instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
      // The three-level list: optional group x (LIST) { repeated group list { element } }.
      Type element = group.getType(0).asGroupType().getType(0);
      return "array<" + hiveType(element) + ">";
    }
    return group.getFields().stream()
        .map(field -> field.getName() + ":" + hiveType(field))
        .collect(Collectors.joining(",", "struct<", ">"));
  }

  private static String primitive(PrimitiveType type) {
    return switch (type.getPrimitiveTypeName()) {
      case BINARY ->
          type.getLogicalTypeAnnotation()
                  instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
              ? "string"
              : "binary";
      case INT32 -> "int";
      case INT64 -> "bigint";
      case BOOLEAN -> "boolean";
      case DOUBLE -> "double";
      case FLOAT -> "float";
      default -> throw new IllegalArgumentException("no Hive type for " + type);
    };
  }
}
