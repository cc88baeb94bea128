package dev.tracelake.infra;

import static dev.tracelake.infra.StackSecurityTest.path;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Glue table Athena reads: the storage contract's columns and the key layout's partitions. */
class AthenaTemplateTest {
  private static final String ATTRIBUTE =
      "struct<key:string,string_value:string,bool_value:boolean,int_value:bigint,"
          + "double_value:double,bytes_value:binary,array_value:string,kvlist_value:string>";

  private final Synthesized stack = Synthesized.of(TracelakeSettings.defaults());

  @Test
  @SuppressWarnings("unchecked")
  void columnsAreTheStorageContractsInHiveTypes() {
    Map<String, Object> table = table();
    List<Map<String, Object>> columns =
        (List<Map<String, Object>>)
            path(table, "Properties", "TableInput", "StorageDescriptor", "Columns");

    assertThat(columns.stream().map(column -> column.get("Name")))
        .containsExactly(
            "trace_id",
            "span_id",
            "parent_span_id",
            "trace_state",
            "flags",
            "service_name",
            "name",
            "kind",
            "start_time_unix_nano",
            "end_time_unix_nano",
            "duration_nano",
            "status_code",
            "status_message",
            "attributes",
            "dropped_attributes_count",
            "events",
            "dropped_events_count",
            "links",
            "dropped_links_count",
            "resource_attributes",
            "resource_dropped_attributes_count",
            "resource_schema_url",
            "resource_entity_refs",
            "scope_name",
            "scope_version",
            "scope_attributes",
            "scope_dropped_attributes_count",
            "scope_schema_url");
    Map<Object, Object> types =
        columns.stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    column -> column.get("Name"), column -> column.get("Type")));
    assertThat(types)
        .containsEntry("trace_id", "string")
        .containsEntry("flags", "bigint")
        .containsEntry("kind", "int")
        .containsEntry("status_code", "int")
        .containsEntry("attributes", "array<" + ATTRIBUTE + ">")
        .containsEntry(
            "events",
            "array<struct<time_unix_nano:bigint,name:string,attributes:array<"
                + ATTRIBUTE
                + ">,dropped_attributes_count:bigint>>")
        .containsEntry(
            "links",
            "array<struct<trace_id:string,span_id:string,trace_state:string,flags:bigint,"
                + "attributes:array<"
                + ATTRIBUTE
                + ">,dropped_attributes_count:bigint>>")
        .containsEntry("resource_attributes", "string");
  }

  @Test
  @SuppressWarnings("unchecked")
  void partitionsAreProjectedFromTheKeyLayout() {
    Map<String, Object> input = (Map<String, Object>) path(table(), "Properties", "TableInput");

    assertThat(input.get("PartitionKeys"))
        .isEqualTo(
            List.of(Map.of("Name", "dt", "Type", "date"), Map.of("Name", "hour", "Type", "int")));
    assertThat((Map<String, Object>) input.get("Parameters"))
        .containsEntry("projection.enabled", "true")
        .containsEntry("projection.dt.type", "date")
        .containsEntry("projection.dt.format", "yyyy-MM-dd")
        .containsEntry("projection.hour.type", "integer")
        .containsEntry("projection.hour.range", "0,23")
        .containsEntry("projection.hour.digits", "2");
    assertThat(path(input, "Parameters", "storage.location.template").toString())
        .contains("/spans/dt=${dt}/hour=${hour}/");
    assertThat(path(input, "StorageDescriptor", "SerdeInfo", "SerializationLibrary"))
        .isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
  }

  @Test
  void athenaResultsAreEncryptedInTheirOwnPrefix() {
    Map<String, Object> workGroup =
        stack.resources("AWS::Athena::WorkGroup").values().iterator().next();
    assertThat(
            path(
                workGroup,
                "Properties",
                "WorkGroupConfiguration",
                "ResultConfiguration",
                "EncryptionConfiguration",
                "EncryptionOption"))
        .isEqualTo("SSE_S3");
    assertThat(
            path(
                workGroup, "Properties", "WorkGroupConfiguration", "EnforceWorkGroupConfiguration"))
        .isEqualTo(true);
  }

  private Map<String, Object> table() {
    assertThat(stack.resources("AWS::Glue::Table")).hasSize(1);
    return stack.resources("AWS::Glue::Table").values().iterator().next();
  }
}
