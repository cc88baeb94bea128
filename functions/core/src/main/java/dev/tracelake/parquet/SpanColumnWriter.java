package dev.tracelake.parquet;

import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import com.google.protobuf.ByteString;
import dev.tracelake.otlp.OtlpJson;
import dev.tracelake.spans.SpanRow;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Writes {@link SpanRow}s into the leaf columns of {@link SpanParquetSchema}, straight from the
 * decoded protobuf objects, with the repetition and definition levels computed here rather than by
 * parquet-java's record shredder (which keeps per-field bookkeeping and fills in nulls field by
 * field, and cost more than the values themselves).
 *
 * <h2>Levels</h2>
 *
 * Parquet stores every leaf column as a flat sequence of entries, a value or a null, each with two
 * small numbers that say where in the nesting it belongs:
 *
 * <ul>
 *   <li>The <b>definition level</b> counts the optional and repeated fields on the leaf's path that
 *       are present. A value has its column's maximum level; a null has the level of the deepest
 *       field that is present, which is also how an empty list is told from a missing one.
 *   <li>The <b>repetition level</b> is 0 for a row's first entry in the column. A later entry of
 *       the same row carries the nesting depth, counted in repeated fields, of the list it starts a
 *       new element of: 1 for the next span attribute, 2 for the next attribute of the same event.
 * </ul>
 *
 * Every leaf column gets exactly one entry per row and per list element on its path, a null if it
 * has nothing; an empty list puts one null into each column under it. In this schema a span's
 * attribute list {@code attributes (optional) > list (repeated) > element > key} holds, in {@code
 * attributes.list.element.key}: an empty list as null at r=0 d=1, then per entry the key at d=2
 * with r=0 for the first entry and r=1 after. Its optional {@code string_value} is at d=3 when set
 * and null at d=2 when the entry has another type. Event and link attributes sit one list deeper,
 * under the optional {@code events} or {@code links} and its repeated {@code list}: two definition
 * levels and one repetition level more. The levels are read from the schema, not written down here:
 * {@link ListColumns} asks for the level at which its list is present and empty and the repetition
 * level of its elements, {@link Leaf} for the level of a present value.
 *
 * <p>One writer serves one object. The attributes of a resource and of a scope are the same for
 * every span reported under them, so they are stored as one OTLP/JSON value, printed once per
 * resource or scope and dictionary-encoded (see {@link IdentityDictionaryValuesWriter}); shredding
 * them into typed entries on every row cost more than all the rest of the span.
 */
final class SpanColumnWriter {
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final Leaf traceId;
  private final Leaf spanId;
  private final Leaf parentSpanId;
  private final Leaf traceState;
  private final Leaf flags;
  private final Leaf serviceName;
  private final Leaf name;
  private final Leaf kind;
  private final Leaf startTime;
  private final Leaf endTime;
  private final Leaf duration;
  private final Leaf statusCode;
  private final Leaf statusMessage;
  private final AttributeColumns attributes;
  private final Leaf droppedAttributes;
  private final EventColumns events;
  private final Leaf droppedEvents;
  private final LinkColumns links;
  private final Leaf droppedLinks;
  private final Leaf resourceAttributes;
  private final Leaf resourceDroppedAttributes;
  private final Leaf resourceSchemaUrl;
  private final Leaf resourceEntityRefs;
  private final Leaf scopeName;
  private final Leaf scopeVersion;
  private final Leaf scopeAttributes;
  private final Leaf scopeDroppedAttributes;
  private final Leaf scopeSchemaUrl;

  private final Map<Resource, Binary> resourceAttributesJson = new IdentityHashMap<>();
  private final Map<InstrumentationScope, Binary> scopeAttributesJson = new IdentityHashMap<>();

  /**
   * Looks every column up in {@link SpanParquetSchema#SCHEMA}, which {@code store} must be for, so
   * that a column renamed or retyped in the schema file without this class, or one this class does
   * not write, fails here rather than writing garbage.
   */
  SpanColumnWriter(ColumnWriteStore store) {
    Columns columns = new Columns(store);
    traceId = columns.leaf(BINARY, "trace_id");
    spanId = columns.leaf(BINARY, "span_id");
    parentSpanId = columns.leaf(BINARY, "parent_span_id");
    traceState = columns.leaf(BINARY, "trace_state");
    flags = columns.leaf(INT64, "flags");
    serviceName = columns.leaf(BINARY, "service_name");
    name = columns.leaf(BINARY, "name");
    kind = columns.leaf(INT32, "kind");
    startTime = columns.leaf(INT64, "start_time_unix_nano");
    endTime = columns.leaf(INT64, "end_time_unix_nano");
    duration = columns.leaf(INT64, "duration_nano");
    statusCode = columns.leaf(INT32, "status_code");
    statusMessage = columns.leaf(BINARY, "status_message");
    attributes = new AttributeColumns(columns, "attributes");
    droppedAttributes = columns.leaf(INT64, "dropped_attributes_count");
    events = new EventColumns(columns);
    droppedEvents = columns.leaf(INT64, "dropped_events_count");
    links = new LinkColumns(columns);
    droppedLinks = columns.leaf(INT64, "dropped_links_count");
    resourceAttributes = columns.leaf(BINARY, "resource_attributes");
    resourceDroppedAttributes = columns.leaf(INT64, "resource_dropped_attributes_count");
    resourceSchemaUrl = columns.leaf(BINARY, "resource_schema_url");
    resourceEntityRefs = columns.leaf(BINARY, "resource_entity_refs");
    scopeName = columns.leaf(BINARY, "scope_name");
    scopeVersion = columns.leaf(BINARY, "scope_version");
    scopeAttributes = columns.leaf(BINARY, "scope_attributes");
    scopeDroppedAttributes = columns.leaf(INT64, "scope_dropped_attributes_count");
    scopeSchemaUrl = columns.leaf(BINARY, "scope_schema_url");
    columns.checkAllUsed();
  }

  /** Writes one row: one entry into every column at repetition level 0, plus list elements. */
  void write(SpanRow row) {
    Span span = row.span();
    traceId.binary(hex(span.getTraceId()), 0);
    spanId.binary(hex(span.getSpanId()), 0);
    if (span.getParentSpanId().isEmpty()) {
      parentSpanId.absent(0);
    } else {
      parentSpanId.binary(hex(span.getParentSpanId()), 0);
    }
    traceState.optionalString(span.getTraceState(), 0);
    flags.int64(Integer.toUnsignedLong(span.getFlags()), 0);
    serviceName.binary(utf8(row.serviceName()), 0);
    name.binary(utf8(span.getName()), 0);
    kind.int32(span.getKindValue(), 0);
    startTime.int64(span.getStartTimeUnixNano(), 0);
    endTime.int64(span.getEndTimeUnixNano(), 0);
    duration.int64(span.getEndTimeUnixNano() - span.getStartTimeUnixNano(), 0);
    statusCode.int32(span.getStatus().getCodeValue(), 0);
    statusMessage.optionalString(span.getStatus().getMessage(), 0);
    attributes.write(span.getAttributesList(), 0);
    droppedAttributes.int64(Integer.toUnsignedLong(span.getDroppedAttributesCount()), 0);
    events.write(span.getEventsList(), 0);
    droppedEvents.int64(Integer.toUnsignedLong(span.getDroppedEventsCount()), 0);
    links.write(span.getLinksList(), 0);
    droppedLinks.int64(Integer.toUnsignedLong(span.getDroppedLinksCount()), 0);

    Resource resource = row.resource();
    if (resource.getAttributesCount() == 0) {
      resourceAttributes.absent(0);
    } else {
      resourceAttributes.binary(
          resourceAttributesJson.computeIfAbsent(
              resource, r -> utf8(OtlpJson.printArray(r.getAttributesList()))),
          0);
    }
    resourceDroppedAttributes.int64(
        Integer.toUnsignedLong(resource.getDroppedAttributesCount()), 0);
    resourceSchemaUrl.optionalString(row.resourceSchemaUrl(), 0);
    if (resource.getEntityRefsCount() == 0) {
      resourceEntityRefs.absent(0);
    } else {
      resourceEntityRefs.binary(utf8(OtlpJson.printArray(resource.getEntityRefsList())), 0);
    }

    InstrumentationScope scope = row.scope();
    scopeName.optionalString(scope.getName(), 0);
    scopeVersion.optionalString(scope.getVersion(), 0);
    if (scope.getAttributesCount() == 0) {
      scopeAttributes.absent(0);
    } else {
      scopeAttributes.binary(
          scopeAttributesJson.computeIfAbsent(
              scope, sc -> utf8(OtlpJson.printArray(sc.getAttributesList()))),
          0);
    }
    scopeDroppedAttributes.int64(Integer.toUnsignedLong(scope.getDroppedAttributesCount()), 0);
    scopeSchemaUrl.optionalString(row.scopeSchemaUrl(), 0);
  }

  /**
   * A string as UTF-8. Not {@link Binary#fromString}: that encodes into a ByteBuffer, which the
   * dictionary's hashing and the statistics' comparisons read several times slower than an array.
   */
  private static Binary utf8(String value) {
    return Binary.fromConstantByteArray(value.getBytes(StandardCharsets.UTF_8));
  }

  private static Binary hex(ByteString id) {
    byte[] hex = new byte[id.size() * 2];
    for (int i = 0; i < id.size(); i++) {
      int b = id.byteAt(i) & 0xff;
      hex[2 * i] = HEX_DIGITS[b >>> 4];
      hex[2 * i + 1] = HEX_DIGITS[b & 0x0f];
    }
    return Binary.fromConstantByteArray(hex);
  }

  /**
   * One leaf column and the definition level of a value in it. Callers use the method of the type
   * the column was looked up with.
   */
  private static final class Leaf {
    private final ColumnWriter writer;
    private final int present;

    Leaf(ColumnWriter writer, int present) {
      this.writer = writer;
      this.present = present;
    }

    void binary(Binary value, int r) {
      writer.write(value, r, present);
    }

    void int32(int value, int r) {
      writer.write(value, r, present);
    }

    void int64(long value, int r) {
      writer.write(value, r, present);
    }

    void bool(boolean value, int r) {
      writer.write(value, r, present);
    }

    void float64(double value, int r) {
      writer.write(value, r, present);
    }

    /** Proto3 cannot tell an empty string from an absent one: both are stored as null. */
    void optionalString(String value, int r) {
      if (value.isEmpty()) {
        absent(r);
      } else {
        binary(utf8(value), r);
      }
    }

    /** Null in an optional field whose parent is present. */
    void absent(int r) {
      writer.writeNull(r, present - 1);
    }

    /** Null because a list on the path is empty: {@code d} is that list's definition level. */
    void nullAt(int r, int d) {
      writer.writeNull(r, d);
    }
  }

  /**
   * A Parquet LIST, {@code <name> (optional) > list (repeated) > element}, of protobuf messages;
   * subclasses write an element's fields. An empty list is written as empty, not as null.
   */
  private abstract static class ListColumns<T> {
    /** The definition level of the list when it is present but empty. */
    private final int empty;

    /** The repetition level of every element after the first. */
    private final int next;

    ListColumns(String... path) {
      empty = SpanParquetSchema.SCHEMA.getMaxDefinitionLevel(path);
      next = SpanParquetSchema.SCHEMA.getMaxRepetitionLevel(append(path, "list"));
    }

    /**
     * @param r the repetition level of the list's first entry: that of the element or row it is in
     */
    final void write(List<T> items, int r) {
      if (items.isEmpty()) {
        writeNulls(r, empty);
        return;
      }
      for (T item : items) {
        writeElement(item, r);
        r = next;
      }
    }

    abstract void writeElement(T item, int r);

    /** Writes a null into every column of the list, for an empty list here or further up. */
    abstract void writeNulls(int r, int d);
  }

  /**
   * An attribute list: per element a key and exactly one of the value columns, the one of the
   * attribute's OTLP type, or none for an empty value.
   */
  private static final class AttributeColumns extends ListColumns<KeyValue> {
    private final Leaf key;
    private final Leaf stringValue;
    private final Leaf boolValue;
    private final Leaf intValue;
    private final Leaf doubleValue;
    private final Leaf bytesValue;
    private final Leaf arrayValue;
    private final Leaf kvlistValue;
    private final Leaf[] values;

    AttributeColumns(Columns columns, String... path) {
      super(path);
      String[] element = append(path, "list", "element");
      key = columns.leaf(BINARY, append(element, "key"));
      stringValue = columns.leaf(BINARY, append(element, "string_value"));
      boolValue = columns.leaf(BOOLEAN, append(element, "bool_value"));
      intValue = columns.leaf(INT64, append(element, "int_value"));
      doubleValue = columns.leaf(DOUBLE, append(element, "double_value"));
      bytesValue = columns.leaf(BINARY, append(element, "bytes_value"));
      arrayValue = columns.leaf(BINARY, append(element, "array_value"));
      kvlistValue = columns.leaf(BINARY, append(element, "kvlist_value"));
      values =
          new Leaf[] {
            stringValue, boolValue, intValue, doubleValue, bytesValue, arrayValue, kvlistValue
          };
    }

    @Override
    void writeElement(KeyValue attribute, int r) {
      key.binary(utf8(attribute.getKey()), r);
      AnyValue value = attribute.getValue();
      Leaf written =
          switch (value.getValueCase()) {
            case STRING_VALUE -> {
              stringValue.binary(utf8(value.getStringValue()), r);
              yield stringValue;
            }
            case BOOL_VALUE -> {
              boolValue.bool(value.getBoolValue(), r);
              yield boolValue;
            }
            case INT_VALUE -> {
              intValue.int64(value.getIntValue(), r);
              yield intValue;
            }
            case DOUBLE_VALUE -> {
              doubleValue.float64(value.getDoubleValue(), r);
              yield doubleValue;
            }
            case BYTES_VALUE -> {
              bytesValue.binary(
                  Binary.fromConstantByteArray(value.getBytesValue().toByteArray()), r);
              yield bytesValue;
            }
            case ARRAY_VALUE -> {
              arrayValue.binary(utf8(OtlpJson.print(value.getArrayValue())), r);
              yield arrayValue;
            }
            case KVLIST_VALUE -> {
              kvlistValue.binary(utf8(OtlpJson.print(value.getKvlistValue())), r);
              yield kvlistValue;
            }
            // An empty value has no field. string_value_strindex refers to a profiles dictionary
            // and has no meaning in a trace, so there is nothing to keep.
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> null;
          };
      for (Leaf other : values) {
        if (other != written) {
          other.absent(r);
        }
      }
    }

    @Override
    void writeNulls(int r, int d) {
      key.nullAt(r, d);
      for (Leaf value : values) {
        value.nullAt(r, d);
      }
    }
  }

  private static final class EventColumns extends ListColumns<Span.Event> {
    private final Leaf time;
    private final Leaf name;
    private final AttributeColumns attributes;
    private final Leaf droppedAttributes;

    EventColumns(Columns columns) {
      super("events");
      time = columns.leaf(INT64, "events", "list", "element", "time_unix_nano");
      name = columns.leaf(BINARY, "events", "list", "element", "name");
      attributes = new AttributeColumns(columns, "events", "list", "element", "attributes");
      droppedAttributes =
          columns.leaf(INT64, "events", "list", "element", "dropped_attributes_count");
    }

    @Override
    void writeElement(Span.Event event, int r) {
      time.int64(event.getTimeUnixNano(), r);
      name.binary(utf8(event.getName()), r);
      attributes.write(event.getAttributesList(), r);
      droppedAttributes.int64(Integer.toUnsignedLong(event.getDroppedAttributesCount()), r);
    }

    @Override
    void writeNulls(int r, int d) {
      time.nullAt(r, d);
      name.nullAt(r, d);
      attributes.writeNulls(r, d);
      droppedAttributes.nullAt(r, d);
    }
  }

  private static final class LinkColumns extends ListColumns<Span.Link> {
    private final Leaf traceId;
    private final Leaf spanId;
    private final Leaf traceState;
    private final Leaf flags;
    private final AttributeColumns attributes;
    private final Leaf droppedAttributes;

    LinkColumns(Columns columns) {
      super("links");
      traceId = columns.leaf(BINARY, "links", "list", "element", "trace_id");
      spanId = columns.leaf(BINARY, "links", "list", "element", "span_id");
      traceState = columns.leaf(BINARY, "links", "list", "element", "trace_state");
      flags = columns.leaf(INT64, "links", "list", "element", "flags");
      attributes = new AttributeColumns(columns, "links", "list", "element", "attributes");
      droppedAttributes =
          columns.leaf(INT64, "links", "list", "element", "dropped_attributes_count");
    }

    @Override
    void writeElement(Span.Link link, int r) {
      traceId.binary(hex(link.getTraceId()), r);
      spanId.binary(hex(link.getSpanId()), r);
      traceState.optionalString(link.getTraceState(), r);
      flags.int64(Integer.toUnsignedLong(link.getFlags()), r);
      attributes.write(link.getAttributesList(), r);
      droppedAttributes.int64(Integer.toUnsignedLong(link.getDroppedAttributesCount()), r);
    }

    @Override
    void writeNulls(int r, int d) {
      traceId.nullAt(r, d);
      spanId.nullAt(r, d);
      traceState.nullAt(r, d);
      flags.nullAt(r, d);
      attributes.writeNulls(r, d);
      droppedAttributes.nullAt(r, d);
    }
  }

  /**
   * Hands out the leaf columns of {@link SpanParquetSchema#SCHEMA}, each once, and checks that none
   * is left unwritten.
   */
  private static final class Columns {
    private static final Map<List<String>, ColumnDescriptor> BY_PATH =
        SpanParquetSchema.SCHEMA.getColumns().stream()
            .collect(Collectors.toUnmodifiableMap(column -> List.of(column.getPath()), c -> c));

    private final ColumnWriteStore store;
    private final Set<ColumnDescriptor> used = new HashSet<>();

    Columns(ColumnWriteStore store) {
      this.store = store;
    }

    Leaf leaf(PrimitiveTypeName type, String... path) {
      ColumnDescriptor column = BY_PATH.get(List.of(path));
      if (column == null || column.getPrimitiveType().getPrimitiveTypeName() != type) {
        throw new IllegalStateException("no " + type + " column " + String.join(".", path));
      }
      if (!used.add(column)) {
        throw new IllegalStateException(String.join(".", path) + " is written twice");
      }
      return new Leaf(store.getColumnWriter(column), column.getMaxDefinitionLevel());
    }

    void checkAllUsed() {
      if (used.size() != BY_PATH.size()) {
        throw new IllegalStateException("every column of the schema must be written");
      }
    }
  }

  private static String[] append(String[] path, String... more) {
    return Stream.concat(Arrays.stream(path), Arrays.stream(more)).toArray(String[]::new);
  }
}
