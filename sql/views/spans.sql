-- The spans view: one row per span, over span objects of storage contract v1
-- (schema/spans-v1.parquet-schema), with three columns added:
--   dt DATE, hour INTEGER  the Hive partition of the object (the span's start hour, UTC)
--   start_time TIMESTAMP   start_time_unix_nano as a timestamp (UTC, microseconds)
-- Filter on dt and hour to read only the partitions in range: DuckDB prunes files by their path.
-- The engine replaces {span_files} with the list of files (or globs) the query may read.
CREATE OR REPLACE TEMP VIEW spans AS
SELECT
  *,
  make_timestamp(start_time_unix_nano // 1000) AS start_time,
  starts_with(parse_filename(filename), 'compacted-') AS aggregated
FROM read_parquet(
  {span_files},
  hive_partitioning = true,
  hive_types = {'dt': DATE, 'hour': INTEGER}
);
