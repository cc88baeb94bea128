package dev.tracelake.query;

import dev.tracelake.spans.HourPartition;
import java.nio.file.Path;

/**
 * The SQL that writes one hour partition's aggregates object ({@code compaction/aggregates.sql}),
 * and the binding of the hour placeholders it shares with {@code compaction/partition_spans.sql}:
 * compaction writes aggregates with it, and the engine the empty aggregates object its views take
 * their columns from.
 */
public final class PartitionAggregatesSql {
  private static final String AGGREGATES = SqlResources.load("compaction/aggregates.sql");

  private PartitionAggregatesSql() {}

  /** The statement writing the partition's aggregates object to {@code output}. */
  public static String writing(HourPartition partition, Path output) {
    return bindHours(AGGREGATES, partition)
        .replace("{from_nano}", Long.toString(partition.startUnixNano()))
        .replace("{to_nano}", Long.toString(partition.next().startUnixNano() - 1))
        .replace("{output}", SpanDatabase.literal(output.toString()));
  }

  /**
   * Replaces {@code {dt}} and {@code {hour}} with the partition's, and {@code {previous_dt}} and
   * {@code {previous_hour}} with those of the hour before it.
   */
  public static String bindHours(String sql, HourPartition partition) {
    HourPartition previous = partition.previous();
    return sql.replace("{previous_dt}", previous.date().toString())
        .replace("{previous_hour}", Integer.toString(previous.hour()))
        .replace("{dt}", partition.date().toString())
        .replace("{hour}", Integer.toString(partition.hour()));
  }
}
