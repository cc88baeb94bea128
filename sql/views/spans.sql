-- The spans view: one row per span, over span objects of storage contract v1
-- (schema/spans-v1.parquet-schema), with four columns added:
--   dt DATE, hour INTEGER  the Hive partition of the object (the span's start hour, UTC)
--   start_time TIMESTAMP   start_time_unix_nano as a timestamp (UTC, microseconds)
--   aggregated BOOLEAN     whether the span is in a compacted object, whose spans the
--                          partition's span_aggregates count (views/facts.sql)
-- Filter on dt and hour to read only the partitions in range: DuckDB prunes files by their path.
-- The engine replaces {ingested_files} and {compacted_files} with the lists of files (or globs)
-- the query may read, ingested and compacted ones apart: a constant column per list costs nothing,
-- where telling them apart by each row's file name would cost a string per span.
CREATE OR REPLACE TEMP VIEW spans AS
SELECT *, make_timestamp(start_time_unix_nano // 1000) AS start_time, false AS aggregated
FROM read_parquet(
  {ingested_files},
  hive_partitioning = true,
  hive_types = {'dt': DATE, 'hour': INTEGER}
)
UNION ALL BY NAME
SELECT *, make_timestamp(start_time_unix_nano // 1000) AS start_time, true AS aggregated
FROM read_parquet(
  {compacted_files},
  hive_partitioning = true,
  hive_types = {'dt': DATE, 'hour': INTEGER}
);
