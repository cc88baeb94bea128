-- Compaction, step 3: the trace index entries of the output objects, one per trace and object, with
-- the summary the ingest path writes (README, "Trace index"): the root span is the one without a
-- parent.
-- The engine replaces {outputs} with the output files.
SELECT
  trace_id,
  parse_filename(filename) AS object_name,
  count(*) AS span_count,
  min(start_time_unix_nano) AS start_unix_nano,
  max(end_time_unix_nano) AS end_unix_nano,
  list(DISTINCT service_name ORDER BY service_name) AS services,
  any_value(service_name) FILTER (WHERE parent_span_id IS NULL) AS root_service,
  any_value(name) FILTER (WHERE parent_span_id IS NULL) AS root_name,
  bool_or(status_code = 2) AS error
FROM read_parquet({outputs}, filename = true, hive_partitioning = false)
GROUP BY ALL
ORDER BY trace_id, object_name;
