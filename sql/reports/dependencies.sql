-- The service dependency graph: who calls whom in the window, how often, how often it failed, and
-- how long the calls took.
--
-- Definitions:
--   Edges are made of the calls of views/calls.sql: caller = the parent's service, callee = the
--   child's service; virtual edges lead to peers that report no spans of their own.
--   calls = the number of calls, errors = those of them with status ERROR (status_code 2),
--   latency = their durations.
--   A call counts when it starts in the window; its parent may start before the window, as far
--   back as the files read reach ($1 to $4). Calls compaction has aggregated count from
--   span_aggregates (views/facts.sql): in whole minutes, by the minute's start.
--   Percentiles are interpolated linearly between the closest ranks (quantile_cont), in ms: exact
--   over calls not aggregated, within 1% over aggregated ones.
--
-- Parameters:
--   $1 first partition date, $2 its hour; $3 last partition date, $4 its hour (the files read)
--   $5 window start, $6 window end (BIGINT unix nanoseconds, inclusive)
WITH calls AS (
  SELECT caller, callee, virtual, status_code, duration_nano
  FROM dependency_calls($1::DATE, $2::INTEGER, $3::DATE, $4::INTEGER, $5::BIGINT, $6::BIGINT)
  UNION ALL
  SELECT caller, service_name, virtual, status_code, duration_nano
  FROM aggregated_spans
  WHERE aggregate = 'edge'
    AND dt BETWEEN $1::DATE AND $3::DATE
    AND (dt > $1::DATE OR hour >= $2::INTEGER)
    AND (dt < $3::DATE OR hour <= $4::INTEGER)
    AND start_time_unix_nano BETWEEN $5::BIGINT AND $6::BIGINT
)
SELECT caller, callee,
       count(*) AS calls,
       count(*) FILTER (WHERE status_code = 2) AS errors,
       quantile_cont(duration_nano, 0.50) / 1e6 AS p50_ms,
       quantile_cont(duration_nano, 0.95) / 1e6 AS p95_ms,
       quantile_cont(duration_nano, 0.99) / 1e6 AS p99_ms,
       virtual
FROM calls
GROUP BY caller, callee, virtual
ORDER BY caller, callee, virtual;
