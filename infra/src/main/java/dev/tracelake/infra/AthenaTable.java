package dev.tracelake.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The span objects as a table Athena queries: a Glue database and {@value #TABLE} table over the
 * spans prefix, its partitions (dt, a date; hour, an integer) found by partition projection from
 * the key layout, so nothing has to add partitions as data arrives; and a workgroup that writes its
 * results, encrypted, under the bucket's {@value SpanStorage#ATHENA_RESULTS_PREFIX}/ prefix.
 */
public final class AthenaTable extends Construct {
  /** The table's name. */
  public static final String TABLE = "spans";

  /** Partition projection's first day: spans older than this are not seen by Athena. */
  static final String FIRST_DAY = "2020-01-01";

  private final String databaseName;
  private final CfnWorkGroup workGroup;

  /** The database, table and workgroup over the given bucket. */
  public AthenaTable(Construct scope, String id, IBucket bucket, String databaseName) {
    super(scope, id);
    this.databaseName = databaseName;
    CfnDatabase database =
        CfnDatabase.Builder.create(this, "Database")
            .catalogId(Aws.ACCOUNT_ID)
            .databaseInput(
                CfnDatabase.DatabaseInputProperty.builder()
                    .name(databaseName)
                    .description("tracelake spans: Parquet objects written by the ingest function")
                    .build())
            .build();

    String location = "s3://" + bucket.getBucketName() + "/" + SpanStorage.SPANS_PREFIX + "/";
    CfnTable table =
        CfnTable.Builder.create(this, "Table")
            .catalogId(Aws.ACCOUNT_ID)
            .databaseName(databaseName)
            .tableInput(
                CfnTable.TableInputProperty.builder()
                    .name(TABLE)
                    .description("One row per span: the README's storage contract")
                    .tableType("EXTERNAL_TABLE")
                    .parameters(
                        Map.ofEntries(
                            Map.entry("classification", "parquet"),
                            Map.entry("EXTERNAL", "TRUE"),
                            Map.entry("projection.enabled", "true"),
                            Map.entry("projection.dt.type", "date"),
                            Map.entry("projection.dt.format", "yyyy-MM-dd"),
                            Map.entry("projection.dt.range", FIRST_DAY + ",NOW"),
                            Map.entry("projection.dt.interval", "1"),
                            Map.entry("projection.dt.interval.unit", "DAYS"),
                            Map.entry("projection.hour.type", "integer"),
                            Map.entry("projection.hour.range", "0,23"),
                            Map.entry("projection.hour.digits", "2"),
                            Map.entry(
                                "storage.location.template", location + "dt=${dt}/hour=${hour}/")))
                    .partitionKeys(
                        List.of(
                            column(new HiveSchema.Column("dt", "date")),
                            column(new HiveSchema.Column("hour", "int"))))
                    .storageDescriptor(
                        CfnTable.StorageDescriptorProperty.builder()
                            .location(location)
                            .inputFormat(
                                "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
                            .outputFormat(
                                "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat")
                            .serdeInfo(
                                CfnTable.SerdeInfoProperty.builder()
                                    .serializationLibrary(
                                        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")
                                    .build())
                            .columns(
                                HiveSchema.spanColumns().stream().map(AthenaTable::column).toList())
                            .build())
                    .build())
            .build();
    table.addResourceDependency(database);

    workGroup =
        CfnWorkGroup.Builder.create(this, "WorkGroup")
            .name(databaseName)
            .description("tracelake: Athena over the spans table")
            .recursiveDeleteOption(true)
            .workGroupConfiguration(
                CfnWorkGroup.WorkGroupConfigurationProperty.builder()
                    .enforceWorkGroupConfiguration(true)
                    .publishCloudWatchMetricsEnabled(true)
                    .resultConfiguration(
                        CfnWorkGroup.ResultConfigurationProperty.builder()
                            .outputLocation(
                                "s3://"
                                    + bucket.getBucketName()
                                    + "/"
                                    + SpanStorage.ATHENA_RESULTS_PREFIX
                                    + "/")
                            .encryptionConfiguration(
                                CfnWorkGroup.EncryptionConfigurationProperty.builder()
                                    .encryptionOption("SSE_S3")
                                    .build())
                            .build())
                    .build())
            .build();
  }

  private static CfnTable.ColumnProperty column(HiveSchema.Column column) {
    return CfnTable.ColumnProperty.builder().name(column.name()).type(column.type()).build();
  }

  /** The Glue database's name. */
  public String databaseName() {
    return databaseName;
  }

  /** The workgroup's name. */
  public String workGroupName() {
    return workGroup.getName();
  }
}
