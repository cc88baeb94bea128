-- Compaction, step 1, between merge.sql and aggregates.sql: the spans view aggregates.sql reads,
-- over the merged spans of the partition {dt}/{hour} and the live objects of the hour before it
-- ({previous_dt}/{previous_hour}, {previous_objects}), with the columns of views/spans.sql that
-- views/calls.sql uses. None of them is aggregated yet.
-- The engine replaces {dt}, {hour}, {previous_dt}, {previous_hour} and {previous_objects}.
CREATE OR REPLACE TEMP VIEW spans AS
SELECT * EXCLUDE (bucket), DATE '{dt}' AS dt, {hour} AS hour, false AS aggregated
FROM merged
UNION ALL BY NAME
SELECT *, DATE '{previous_dt}' AS dt, {previous_hour} AS hour, false AS aggregated
FROM read_parquet({previous_objects}, hive_partitioning = false);
