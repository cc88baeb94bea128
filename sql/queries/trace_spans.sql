-- Every stored span of some traces, in storage-contract columns, by trace and start time.
-- The engine replaces {files} with the span objects holding them (the trace index's, or those
-- trace_objects.sql found) and {trace_ids} with the IDs as SQL literals (checked to be 32 hex
-- digits): constants let DuckDB skip row groups by trace_id statistics and bloom filters.
-- It reads the objects directly rather than through the spans view, whose definition and extra
-- columns cost a tenth of a lookup (measured).
-- A span stored twice comes back twice here; the trace reader keeps one, as compaction does.
SELECT *
FROM read_parquet({files}, hive_partitioning = false)
WHERE trace_id IN ({trace_ids})
ORDER BY trace_id, start_time_unix_nano, span_id;
