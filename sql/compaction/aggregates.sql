-- Compaction, step 1, after merge.sql: the aggregates object of the hour partition {dt}/{hour}
-- (views/span_aggregates.sql describes its rows), counting every span of it once: operations per
-- minute, and the calls of views/calls.sql, looked up among the spans of the partition and of the
-- hour before it ({previous_dt}/{previous_hour}), where the parents of its first calls started.
-- Written before retention drops any span, so that reports keep their totals.
-- The engine replaces {dt}, {hour}, {previous_dt}, {previous_hour}, {from_nano}, {to_nano} (the
-- partition's hour in unix nanoseconds) and {output}.
COPY (
  WITH counted AS (
    SELECT 'operation' AS aggregate, NULL::VARCHAR AS caller, service_name, name, kind,
           NULL::BOOLEAN AS virtual, status_code, start_time_unix_nano, duration_nano
    FROM spans
    WHERE dt = DATE '{dt}' AND hour = {hour} AND NOT aggregated
    UNION ALL
    SELECT 'edge', caller, callee, NULL, NULL, virtual, status_code, start_time_unix_nano,
           duration_nano
    FROM dependency_calls(DATE '{previous_dt}', {previous_hour}, DATE '{dt}', {hour},
                          {from_nano}, {to_nano})
  ),
  buckets AS (
    SELECT aggregate, start_time_unix_nano // 60000000000 * 60000000000 AS minute_start_unix_nano,
           caller, service_name, name, kind, virtual, status_code,
           duration_bucket(duration_nano) AS bucket, count(*) AS spans
    FROM counted
    GROUP BY ALL
  )
  SELECT aggregate, minute_start_unix_nano, caller, service_name, name, kind, virtual, status_code,
         sum(spans)::BIGINT AS span_count,
         list({'bucket': bucket, 'spans': spans} ORDER BY bucket) AS duration_buckets
  FROM buckets
  GROUP BY aggregate, minute_start_unix_nano, caller, service_name, name, kind, virtual,
           status_code
  ORDER BY aggregate, minute_start_unix_nano, service_name, name, caller, kind, virtual,
           status_code
) TO {output} (
  FORMAT parquet,
  COMPRESSION zstd,
  KV_METADATA {'tracelake.aggregates.version': '1'}
);
