package dev.tracelake.parquet;

import com.google.protobuf.ByteString;
import dev.tracelake.otlp.OtlpJson;
import dev.tracelake.spans.SpanRow;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;

/**
 * Writes a {@link SpanRow} as one record of {@link SpanParquetSchema}, straight from the decoded
 * protobuf objects. Field positions are looked up in the schema once, here, so that a column
 * renamed in the schema file without this class fails at start-up rather than writing garbage.
 *
 * <p>One writer serves one object. The attributes of a resource and of a scope are the same for
 * every span reported under them, so they are stored as one OTLP/JSON value, printed once per
 * resource or scope and dictionary-encoded by Parquet; shredding them into typed entries on every
 * row cost more than all the rest of the span.
 */
final class SpanRecordWriter {
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** A field of a group, with its position in that group. */
  private record Field(String name, int index) {
    static Field of(GroupType group, String name) {
      return new Field(name, group.getFieldIndex(name));
    }
  }

  private final RecordConsumer out;

  private final Field traceId;
  private final Field spanId;
  private final Field parentSpanId;
  private final Field traceState;
  private final Field flags;
  private final Field serviceName;
  private final Field name;
  private final Field kind;
  private final Field startTime;
  private final Field endTime;
  private final Field duration;
  private final Field statusCode;
  private final Field statusMessage;
  private final Field attributes;
  private final Field droppedAttributes;
  private final Field events;
  private final Field droppedEvents;
  private final Field links;
  private final Field droppedLinks;
  private final Field resourceAttributes;
  private final Field resourceDroppedAttributes;
  private final Field resourceSchemaUrl;
  private final Field resourceEntityRefs;
  private final Field scopeName;
  private final Field scopeVersion;
  private final Field scopeAttributes;
  private final Field scopeDroppedAttributes;
  private final Field scopeSchemaUrl;

  private final Field attributeKey;
  private final Field stringValue;
  private final Field boolValue;
  private final Field intValue;
  private final Field doubleValue;
  private final Field bytesValue;
  private final Field arrayValue;
  private final Field kvlistValue;

  private final Field eventTime;
  private final Field eventName;
  private final Field eventAttributes;
  private final Field eventDroppedAttributes;

  private final Field linkTraceId;
  private final Field linkSpanId;
  private final Field linkTraceState;
  private final Field linkFlags;
  private final Field linkAttributes;
  private final Field linkDroppedAttributes;

  private final Map<Resource, Binary> resourceAttributesJson = new IdentityHashMap<>();
  private final Map<InstrumentationScope, Binary> scopeAttributesJson = new IdentityHashMap<>();

  private final Consumer<KeyValue> attributeWriter = this::writeAttribute;
  private final Consumer<Span.Event> eventWriter = this::writeEvent;
  private final Consumer<Span.Link> linkWriter = this::writeLink;

  SpanRecordWriter(MessageType schema, RecordConsumer out) {
    this.out = out;
    traceId = Field.of(schema, "trace_id");
    spanId = Field.of(schema, "span_id");
    parentSpanId = Field.of(schema, "parent_span_id");
    traceState = Field.of(schema, "trace_state");
    flags = Field.of(schema, "flags");
    serviceName = Field.of(schema, "service_name");
    name = Field.of(schema, "name");
    kind = Field.of(schema, "kind");
    startTime = Field.of(schema, "start_time_unix_nano");
    endTime = Field.of(schema, "end_time_unix_nano");
    duration = Field.of(schema, "duration_nano");
    statusCode = Field.of(schema, "status_code");
    statusMessage = Field.of(schema, "status_message");
    attributes = Field.of(schema, "attributes");
    droppedAttributes = Field.of(schema, "dropped_attributes_count");
    events = Field.of(schema, "events");
    droppedEvents = Field.of(schema, "dropped_events_count");
    links = Field.of(schema, "links");
    droppedLinks = Field.of(schema, "dropped_links_count");
    resourceAttributes = Field.of(schema, "resource_attributes");
    resourceDroppedAttributes = Field.of(schema, "resource_dropped_attributes_count");
    resourceSchemaUrl = Field.of(schema, "resource_schema_url");
    resourceEntityRefs = Field.of(schema, "resource_entity_refs");
    scopeName = Field.of(schema, "scope_name");
    scopeVersion = Field.of(schema, "scope_version");
    scopeAttributes = Field.of(schema, "scope_attributes");
    scopeDroppedAttributes = Field.of(schema, "scope_dropped_attributes_count");
    scopeSchemaUrl = Field.of(schema, "scope_schema_url");

    GroupType attribute = element(schema, "attributes");
    GroupType event = element(schema, "events");
    GroupType link = element(schema, "links");
    for (GroupType otherAttributes :
        List.of(element(event, "attributes"), element(link, "attributes"))) {
      if (!otherAttributes.equals(attribute)) {
        throw new IllegalStateException("every attribute list must have the same element type");
      }
    }
    attributeKey = Field.of(attribute, "key");
    stringValue = Field.of(attribute, "string_value");
    boolValue = Field.of(attribute, "bool_value");
    intValue = Field.of(attribute, "int_value");
    doubleValue = Field.of(attribute, "double_value");
    bytesValue = Field.of(attribute, "bytes_value");
    arrayValue = Field.of(attribute, "array_value");
    kvlistValue = Field.of(attribute, "kvlist_value");

    eventTime = Field.of(event, "time_unix_nano");
    eventName = Field.of(event, "name");
    eventAttributes = Field.of(event, "attributes");
    eventDroppedAttributes = Field.of(event, "dropped_attributes_count");

    linkTraceId = Field.of(link, "trace_id");
    linkSpanId = Field.of(link, "span_id");
    linkTraceState = Field.of(link, "trace_state");
    linkFlags = Field.of(link, "flags");
    linkAttributes = Field.of(link, "attributes");
    linkDroppedAttributes = Field.of(link, "dropped_attributes_count");
  }

  void write(SpanRow row) {
    Span span = row.span();
    out.startMessage();
    hex(traceId, span.getTraceId());
    hex(spanId, span.getSpanId());
    if (!span.getParentSpanId().isEmpty()) {
      hex(parentSpanId, span.getParentSpanId());
    }
    optionalString(traceState, span.getTraceStateBytes());
    int64(flags, Integer.toUnsignedLong(span.getFlags()));
    string(serviceName, Binary.fromString(row.serviceName()));
    string(name, span.getNameBytes());
    int32(kind, span.getKindValue());
    int64(startTime, span.getStartTimeUnixNano());
    int64(endTime, span.getEndTimeUnixNano());
    int64(duration, span.getEndTimeUnixNano() - span.getStartTimeUnixNano());
    int32(statusCode, span.getStatus().getCodeValue());
    optionalString(statusMessage, span.getStatus().getMessageBytes());
    list(attributes, span.getAttributesList(), attributeWriter);
    int64(droppedAttributes, Integer.toUnsignedLong(span.getDroppedAttributesCount()));
    list(events, span.getEventsList(), eventWriter);
    int64(droppedEvents, Integer.toUnsignedLong(span.getDroppedEventsCount()));
    list(links, span.getLinksList(), linkWriter);
    int64(droppedLinks, Integer.toUnsignedLong(span.getDroppedLinksCount()));

    Resource resource = row.resource();
    if (resource.getAttributesCount() > 0) {
      string(
          resourceAttributes,
          resourceAttributesJson.computeIfAbsent(
              resource, r -> Binary.fromString(OtlpJson.printArray(r.getAttributesList()))));
    }
    int64(resourceDroppedAttributes, Integer.toUnsignedLong(resource.getDroppedAttributesCount()));
    optionalString(resourceSchemaUrl, row.resourceSchemaUrl());
    if (resource.getEntityRefsCount() > 0) {
      string(
          resourceEntityRefs, Binary.fromString(OtlpJson.printArray(resource.getEntityRefsList())));
    }

    InstrumentationScope scope = row.scope();
    optionalString(scopeName, scope.getNameBytes());
    optionalString(scopeVersion, scope.getVersionBytes());
    if (scope.getAttributesCount() > 0) {
      string(
          scopeAttributes,
          scopeAttributesJson.computeIfAbsent(
              scope, sc -> Binary.fromString(OtlpJson.printArray(sc.getAttributesList()))));
    }
    int64(scopeDroppedAttributes, Integer.toUnsignedLong(scope.getDroppedAttributesCount()));
    optionalString(scopeSchemaUrl, row.scopeSchemaUrl());
    out.endMessage();
  }

  private void writeAttribute(KeyValue attribute) {
    string(attributeKey, attribute.getKeyBytes());
    AnyValue value = attribute.getValue();
    switch (value.getValueCase()) {
      case STRING_VALUE -> string(stringValue, value.getStringValueBytes());
      case BOOL_VALUE -> {
        out.startField(boolValue.name, boolValue.index);
        out.addBoolean(value.getBoolValue());
        out.endField(boolValue.name, boolValue.index);
      }
      case INT_VALUE -> int64(intValue, value.getIntValue());
      case DOUBLE_VALUE -> {
        out.startField(doubleValue.name, doubleValue.index);
        out.addDouble(value.getDoubleValue());
        out.endField(doubleValue.name, doubleValue.index);
      }
      case BYTES_VALUE -> string(bytesValue, value.getBytesValue());
      case ARRAY_VALUE ->
          string(arrayValue, Binary.fromString(OtlpJson.print(value.getArrayValue())));
      case KVLIST_VALUE ->
          string(kvlistValue, Binary.fromString(OtlpJson.print(value.getKvlistValue())));
      // An empty value has no field. string_value_strindex refers to a profiles dictionary and
      // has no meaning in a trace, so there is nothing to keep.
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> {}
    }
  }

  private void writeEvent(Span.Event event) {
    int64(eventTime, event.getTimeUnixNano());
    string(eventName, event.getNameBytes());
    list(eventAttributes, event.getAttributesList(), attributeWriter);
    int64(eventDroppedAttributes, Integer.toUnsignedLong(event.getDroppedAttributesCount()));
  }

  private void writeLink(Span.Link link) {
    hex(linkTraceId, link.getTraceId());
    hex(linkSpanId, link.getSpanId());
    optionalString(linkTraceState, link.getTraceStateBytes());
    int64(linkFlags, Integer.toUnsignedLong(link.getFlags()));
    list(linkAttributes, link.getAttributesList(), attributeWriter);
    int64(linkDroppedAttributes, Integer.toUnsignedLong(link.getDroppedAttributesCount()));
  }

  /** A three-level Parquet LIST; an empty list is written as empty, not as null. */
  private <T> void list(Field field, List<T> items, Consumer<T> elementWriter) {
    out.startField(field.name, field.index);
    out.startGroup();
    if (!items.isEmpty()) {
      out.startField("list", 0);
      for (T item : items) {
        out.startGroup();
        out.startField("element", 0);
        out.startGroup();
        elementWriter.accept(item);
        out.endGroup();
        out.endField("element", 0);
        out.endGroup();
      }
      out.endField("list", 0);
    }
    out.endGroup();
    out.endField(field.name, field.index);
  }

  private void hex(Field field, ByteString id) {
    byte[] hex = new byte[id.size() * 2];
    for (int i = 0; i < id.size(); i++) {
      int b = id.byteAt(i) & 0xff;
      hex[2 * i] = HEX_DIGITS[b >>> 4];
      hex[2 * i + 1] = HEX_DIGITS[b & 0x0f];
    }
    string(field, Binary.fromConstantByteArray(hex));
  }

  /** Proto3 cannot tell an empty string from an absent one: both are stored as null. */
  private void optionalString(Field field, ByteString utf8) {
    if (!utf8.isEmpty()) {
      string(field, utf8);
    }
  }

  private void optionalString(Field field, String value) {
    if (!value.isEmpty()) {
      string(field, Binary.fromString(value));
    }
  }

  private void string(Field field, ByteString utf8) {
    string(field, Binary.fromConstantByteArray(utf8.toByteArray()));
  }

  private void string(Field field, Binary value) {
    out.startField(field.name, field.index);
    out.addBinary(value);
    out.endField(field.name, field.index);
  }

  private void int32(Field field, int value) {
    out.startField(field.name, field.index);
    out.addInteger(value);
    out.endField(field.name, field.index);
  }

  private void int64(Field field, long value) {
    out.startField(field.name, field.index);
    out.addLong(value);
    out.endField(field.name, field.index);
  }

  private static GroupType element(GroupType parent, String listField) {
    return parent
        .getType(listField)
        .asGroupType()
        .getType("list")
        .asGroupType()
        .getType("element")
        .asGroupType();
  }
}
