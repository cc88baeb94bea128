-- Every stored span of some traces, in storage-contract columns, by trace and start time.
-- The engine replaces {trace_ids} with the IDs as SQL literals (checked to be 32 hex digits):
-- constants let DuckDB skip row groups by trace_id statistics and bloom filters.
-- Parameters: $1 first partition date, $2 its hour; $3 last partition date, $4 its hour.
-- A span stored twice comes back twice here; the trace reader keeps one, as compaction does.
SELECT *
FROM spans
WHERE trace_id IN ({trace_ids})
  AND dt BETWEEN $1::DATE AND $3::DATE
  AND (dt > $1::DATE OR hour >= $2::INTEGER)
  AND (dt < $3::DATE OR hour <= $4::INTEGER)
ORDER BY trace_id, start_time_unix_nano, span_id;
