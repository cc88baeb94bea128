-- SLA/SLO compliance: per service, and per operation where an objective names one, how available
-- and how fast its entry spans were in the window, against its objectives.
--
-- Definitions:
--   Entry span of a service: kind SERVER (2) or CONSUMER (5), the work others asked of it.
--   Error: status_code 2 (ERROR).
--   availability = 1 - errors / total, over the entry spans that start in the window.
--   p50_ms, p95_ms, p99_ms: percentiles of their durations in ms, interpolated linearly between
--   the closest ranks (quantile_cont).
--   Entry spans come from span_facts (views/facts.sql): those compaction has aggregated count in
--   whole minutes, by the minute's start, and their durations within 1%; the others exactly.
--   compliant: availability >= availability_target and p95_ms <= latency_target_ms.
--   burn_rate = (errors / total) / (1 - availability_target): how fast the error budget went, 1 is
--   exactly as fast as the objective allows.
--   error_budget_remaining = 1 - burn_rate: the share of the window's error budget
--   (total * (1 - availability_target) errors) left unspent; negative when overspent.
--   Objectives: the most specific row of $7 gives each field; an operation's missing fields come
--   from its service's row, a service's from the default row.
--
-- Parameters:
--   $1 first partition date, $2 its hour; $3 last partition date, $4 its hour (the files read)
--   $5 window start, $6 window end (BIGINT unix nanoseconds, inclusive)
--   $7 objectives, JSON: [{"service", "operation", "availability", "latency_ms"}], where the row
--      with neither service nor operation is the default and gives both fields
WITH objectives AS (
  SELECT * FROM slo_objectives($7::VARCHAR)
),
entry_spans AS (
  SELECT service_name, name, status_code, duration_nano
  FROM span_facts
  WHERE dt BETWEEN $1::DATE AND $3::DATE
    AND (dt > $1::DATE OR hour >= $2::INTEGER)
    AND (dt < $3::DATE OR hour <= $4::INTEGER)
    AND start_time_unix_nano BETWEEN $5::BIGINT AND $6::BIGINT
    AND kind IN (2, 5)
),
measured AS (
  SELECT service_name AS service, NULL::VARCHAR AS operation,
         count(*) AS total, count(*) FILTER (WHERE status_code = 2) AS errors,
         quantile_cont(duration_nano, [0.50, 0.95, 0.99]) AS quantiles
  FROM entry_spans
  GROUP BY service_name
  UNION ALL
  SELECT service_name, name,
         count(*), count(*) FILTER (WHERE status_code = 2),
         quantile_cont(duration_nano, [0.50, 0.95, 0.99])
  FROM entry_spans
  SEMI JOIN objectives
    ON objectives.service = entry_spans.service_name AND objectives.operation = entry_spans.name
  GROUP BY service_name, name
),
targeted AS (
  SELECT measured.*,
         coalesce(for_operation.availability, for_service.availability, fallback.availability)
           AS availability_target,
         coalesce(for_operation.latency_ms, for_service.latency_ms, fallback.latency_ms)
           AS latency_target_ms
  FROM measured
  CROSS JOIN (SELECT * FROM objectives WHERE service IS NULL AND operation IS NULL) AS fallback
  LEFT JOIN objectives AS for_service
    ON for_service.service = measured.service AND for_service.operation IS NULL
  LEFT JOIN objectives AS for_operation
    ON for_operation.service = measured.service AND for_operation.operation = measured.operation
)
SELECT service, operation, total, errors,
       1 - errors / total AS availability,
       quantiles[1] / 1e6 AS p50_ms,
       quantiles[2] / 1e6 AS p95_ms,
       quantiles[3] / 1e6 AS p99_ms,
       availability_target, latency_target_ms,
       1 - errors / total >= availability_target AND quantiles[2] / 1e6 <= latency_target_ms
         AS compliant,
       1 - (errors / total) / (1 - availability_target) AS error_budget_remaining,
       (errors / total) / (1 - availability_target) AS burn_rate
FROM targeted
ORDER BY service, operation NULLS FIRST;
