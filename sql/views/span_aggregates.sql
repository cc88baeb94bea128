-- The span_aggregates view: per-minute counts and latency histograms that compaction writes for
-- each hour partition it compacts (compaction/aggregates.sql), so that reports keep their totals
-- when retention drops raw spans, and read a few rows instead of millions. One row per minute and
--   aggregate = 'operation': service_name, name (the operation), kind and status_code of spans;
--   aggregate = 'edge':      caller, service_name (the callee), virtual and status_code of calls,
--                            as views/calls.sql defines them
-- with span_count spans, whose durations duration_buckets counts per bucket (macros.sql), and
-- minute_start_unix_nano the start of the minute (UTC) the spans started in. dt and hour are the
-- Hive partition, as in the spans view.
-- The engine replaces {aggregate_files} with the list of aggregates objects the query may read.
CREATE OR REPLACE TEMP VIEW span_aggregates AS
SELECT *
FROM read_parquet(
  {aggregate_files},
  hive_partitioning = true,
  hive_types = {'dt': DATE, 'hour': INTEGER}
);
