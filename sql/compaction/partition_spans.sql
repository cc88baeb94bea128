-- Compaction, step 1, between merge.sql and aggregates.sql: the spans view aggregates.sql reads,
-- over the merged spans of the partition {dt}/{hour} and the live objects of the hour before it
-- ({previous_dt}/{previous_hour}, {previous_objects}), with the columns of views/spans.sql that
-- views/calls.sql uses. A span is aggregated when the aggregates compaction keeps count it:
-- {keep_aggregates} is true in a partition retention has sampled (its aggregates count spans that
-- are gone, and are kept), where only the spans that arrived since are counted anew; false
-- elsewhere, where all are counted anew.
-- The engine replaces {dt}, {hour}, {previous_dt}, {previous_hour}, {previous_objects} and
-- {keep_aggregates}.
CREATE OR REPLACE TEMP VIEW spans AS
SELECT * EXCLUDE (compacted_before), DATE '{dt}' AS dt, {hour} AS hour,
       {keep_aggregates} AND compacted_before AS aggregated
FROM merged
UNION ALL BY NAME
SELECT *, DATE '{previous_dt}' AS dt, {previous_hour} AS hour, false AS aggregated
FROM read_parquet({previous_objects}, hive_partitioning = false);
