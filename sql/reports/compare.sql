-- The regression gate: per service and operation, how the error rate and the p95 and p99 latency of
-- a candidate (a new version, a canary, the hour after a deploy) changed from a baseline, and
-- whether a change is larger than the thresholds allow.
--
-- Definitions:
--   Entry span: kind SERVER (2) or CONSUMER (5), the work others asked of a service.
--   Error: status_code 2 (ERROR). An operation is a (service_name, name) pair.
--   The two sides, baseline and candidate, are sets of entry spans, in one of two modes:
--     windows ($9 NULL)  the spans that start in the side's window
--     by key ($9 set)    the spans that start in the side's window and whose value of the
--                        attribute $9 is the side's value ($10, $11): the span's own attribute
--                        if it has it, else its resource's (service.version, say); compared as
--                        text, as attr() and resource_attr() give it. Spans without the attribute
--                        are on neither side. Both windows are usually the same one.
--     A span in both windows (overlapping windows) counts on both sides.
--   Per side: calls = its entry spans, errors = those with status ERROR, error_rate =
--   errors / calls, p95_ms and p99_ms = exact percentiles of their durations in ms, interpolated
--   linearly between the closest ranks (quantile_cont). A side without calls of the operation has
--   NULL in all its columns: the operation is on one side only.
--   error_rate_change = candidate error_rate - baseline error_rate (absolute: 0.01 is one
--   percentage point), computed from the counts in one division, so that a change of exactly the
--   threshold is not over it by rounding.
--   p95_change = candidate p95_ms / baseline p95_ms - 1, the same for p99_change (relative: 0.2 is
--   20% slower, -0.5 twice as fast); NULL when the baseline's is 0.
--   judged: both sides have at least $15 calls. Operations with fewer calls on either side (and
--   those on one side only) are reported, but never regressed: too little traffic to tell a
--   regression from noise.
--   reasons: the thresholds a judged operation exceeds, in this order:
--     'error_rate'  error_rate_change > $12
--     'p95'         p95_change > $13
--     'p99'         p99_change > $14
--   regressed: reasons is not empty.
--
-- Parameters:
--   $1 first partition date, $2 its hour; $3 last partition date, $4 its hour (the files read,
--      from the start of the earlier window to the end of the later one)
--   $5 baseline window start, $6 its end; $7 candidate window start, $8 its end (BIGINT unix
--      nanoseconds, inclusive)
--   $9 the attribute key that tells the sides apart, or NULL to compare the windows
--   $10 the baseline's value of it, $11 the candidate's (unused without $9)
--   $12 the largest error_rate_change allowed (DOUBLE, absolute; the CLI's default 0.01)
--   $13 the largest p95_change allowed, $14 the largest p99_change (DOUBLE, relative; 0.2)
--   $15 the fewest calls on each side for an operation to be judged (BIGINT; 50)
--
-- Rows: one per operation with calls on either side, regressed ones first, then by service and
-- operation.
WITH entry_spans AS (
  SELECT service_name, name, status_code, duration_nano,
         start_time_unix_nano BETWEEN $5::BIGINT AND $6::BIGINT AS in_baseline_window,
         start_time_unix_nano BETWEEN $7::BIGINT AND $8::BIGINT AS in_candidate_window,
         CASE WHEN $9::VARCHAR IS NOT NULL THEN attr(attributes, $9::VARCHAR) END AS span_value,
         CASE WHEN $9::VARCHAR IS NOT NULL THEN coalesce(resource_attributes, '') END
           AS resource_json
  FROM spans
  WHERE dt BETWEEN $1::DATE AND $3::DATE
    AND (dt > $1::DATE OR hour >= $2::INTEGER)
    AND (dt < $3::DATE OR hour <= $4::INTEGER)
    AND (start_time_unix_nano BETWEEN $5::BIGINT AND $6::BIGINT
         OR start_time_unix_nano BETWEEN $7::BIGINT AND $8::BIGINT)
    AND kind IN (2, 5)
),
-- Resource attributes are JSON, the same on every span of a batch: parse each distinct value once
-- rather than once per span. Without a key there is nothing to parse.
resources AS (
  SELECT resource_json, resource_attr(nullif(resource_json, ''), $9::VARCHAR) AS resource_value
  FROM (SELECT DISTINCT resource_json FROM entry_spans WHERE resource_json IS NOT NULL)
),
sided AS (
  SELECT service_name, name, status_code, duration_nano,
         in_baseline_window
           AND ($9::VARCHAR IS NULL OR coalesce(span_value, resource_value) = $10::VARCHAR)
           AS in_baseline,
         in_candidate_window
           AND ($9::VARCHAR IS NULL OR coalesce(span_value, resource_value) = $11::VARCHAR)
           AS in_candidate
  FROM entry_spans LEFT JOIN resources USING (resource_json)
),
measured AS (
  SELECT service_name AS service, name AS operation,
         count(*) FILTER (WHERE in_baseline) AS b_calls,
         count(*) FILTER (WHERE in_baseline AND status_code = 2) AS b_errors,
         quantile_cont(duration_nano, [0.95, 0.99]) FILTER (WHERE in_baseline) AS b_quantiles,
         count(*) FILTER (WHERE in_candidate) AS c_calls,
         count(*) FILTER (WHERE in_candidate AND status_code = 2) AS c_errors,
         quantile_cont(duration_nano, [0.95, 0.99]) FILTER (WHERE in_candidate) AS c_quantiles
  FROM sided
  WHERE in_baseline OR in_candidate
  GROUP BY service_name, name
),
sides AS (
  SELECT service, operation,
         nullif(b_calls, 0) AS baseline_calls,
         CASE WHEN b_calls > 0 THEN b_errors END AS baseline_errors,
         b_errors / nullif(b_calls, 0) AS baseline_error_rate,
         b_quantiles[1] / 1e6 AS baseline_p95_ms,
         b_quantiles[2] / 1e6 AS baseline_p99_ms,
         nullif(c_calls, 0) AS candidate_calls,
         CASE WHEN c_calls > 0 THEN c_errors END AS candidate_errors,
         c_errors / nullif(c_calls, 0) AS candidate_error_rate,
         c_quantiles[1] / 1e6 AS candidate_p95_ms,
         c_quantiles[2] / 1e6 AS candidate_p99_ms,
         (c_errors::HUGEINT * b_calls - b_errors::HUGEINT * c_calls)
           / nullif(b_calls::HUGEINT * c_calls, 0) AS error_rate_change
  FROM measured
),
changes AS (
  SELECT *,
         candidate_p95_ms / nullif(baseline_p95_ms, 0) - 1 AS p95_change,
         candidate_p99_ms / nullif(baseline_p99_ms, 0) - 1 AS p99_change,
         coalesce(baseline_calls >= $15::BIGINT AND candidate_calls >= $15::BIGINT, false)
           AS judged
  FROM sides
),
judged AS (
  SELECT *,
         CASE WHEN judged
              THEN list_filter([CASE WHEN error_rate_change > $12::DOUBLE THEN 'error_rate' END,
                                CASE WHEN p95_change > $13::DOUBLE THEN 'p95' END,
                                CASE WHEN p99_change > $14::DOUBLE THEN 'p99' END],
                               lambda reason: reason IS NOT NULL)
              ELSE []::VARCHAR[] END AS reasons
  FROM changes
)
SELECT service, operation,
       baseline_calls, baseline_errors, baseline_error_rate, baseline_p95_ms, baseline_p99_ms,
       candidate_calls, candidate_errors, candidate_error_rate, candidate_p95_ms, candidate_p99_ms,
       error_rate_change, p95_change, p99_change,
       judged, len(reasons) > 0 AS regressed, reasons
FROM judged
ORDER BY regressed DESC, service, operation;
