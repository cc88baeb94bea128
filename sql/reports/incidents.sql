-- Incidents: the stretches of time in which a service broke its objectives badly enough for a
-- burn-rate alert to fire, with when each began, was detected and was resolved (MTTD, MTTR).
--
-- Definitions (objectives and rules as in sla.sql; minutes are UTC clock minutes):
--   Entry spans, errors and objectives are those of sla.sql, counted per service and minute by
--   start time. Two kinds of incident, each with its bad entry spans and error budget:
--     errors   bad = status ERROR;                           budget = 1 - availability target
--     latency  bad = slower than the latency objective;      budget = 0.05 (the objective is a p95)
--   burn rate over a time window = (bad / total in the window) / budget.
--   Alerting rule (multiwindow, multi-burn-rate, as in Google's SRE workbook, chapter 5): at the
--   end of each minute in which the service had entry spans, a rule of the incident's kind fires
--   when the burn rate over its long window and over its short window, both ending with that
--   minute, are at least its burn_rate. Only spans up to that minute count: the rule is evaluated
--   as the data arrived.
--   A minute breaches when its own burn rate is at least the lowest burn_rate of the kind's rules;
--   minutes without entry spans do not. An episode is a run of breaching minutes with gaps shorter
--   than $11 minutes. An episode is an incident when a rule fired during it.
--     onset        the start of the episode's first breaching minute
--     detected_at  the end of the first minute in which a rule fired
--     resolved_at  the end of the episode's last breaching minute, once $11 minutes without a breach
--                  followed it (before that, and at the end of the data, NULL: still open)
--   ttd_seconds = detected_at - onset, ttr_seconds = resolved_at - onset; MTTD and MTTR are their
--   means, over all incidents and per service (MTTR over the resolved ones).
--
-- Parameters:
--   $1 first partition date, $2 its hour; $3 last partition date, $4 its hour (the files read)
--   $5 evaluation start, $6 evaluation end (BIGINT unix nanoseconds, inclusive): the report window
--      reaching back by the longest rule window, so that rules see the data before it
--   $7 report window start, $8 its end: incidents overlapping it are reported
--   $9 objectives, JSON, as in sla.sql (rows naming an operation are not used here)
--   $10 rules, JSON: [{"kind": "errors" | "latency", "long_minutes", "short_minutes", "burn_rate"}]
--   $11 hold time in minutes
--
-- Rows: row_type 'incident' (one per incident), 'service' (one per service with entry spans in the
-- report window or an incident overlapping it, with incidents, mttd_seconds, mttr_seconds) and
-- 'overall' (the same over all services).
WITH objectives AS (
  SELECT service, availability, latency_ms
  FROM slo_objectives($9::VARCHAR)
  WHERE operation IS NULL
),
rules AS (
  SELECT row_number() OVER () AS rule, r.kind, r.long_minutes, r.short_minutes, r.burn_rate
  FROM (SELECT unnest(from_json($10::VARCHAR, '[{"kind": "VARCHAR", "long_minutes": "INTEGER",
          "short_minutes": "INTEGER", "burn_rate": "DOUBLE"}]')) AS r)
),
entry_spans AS (
  SELECT service_name AS service, start_time_unix_nano // 60000000000 AS minute, status_code,
         duration_nano, start_time_unix_nano BETWEEN $7::BIGINT AND $8::BIGINT AS in_report
  FROM span_facts
  WHERE dt BETWEEN $1::DATE AND $3::DATE
    AND (dt > $1::DATE OR hour >= $2::INTEGER)
    AND (dt < $3::DATE OR hour <= $4::INTEGER)
    AND start_time_unix_nano BETWEEN $5::BIGINT AND $6::BIGINT
    AND kind IN (2, 5)
),
service_objectives AS (
  SELECT services.service,
         coalesce(own.availability, fallback.availability) AS availability,
         coalesce(own.latency_ms, fallback.latency_ms) AS latency_ms
  FROM (SELECT DISTINCT service FROM entry_spans) AS services
  CROSS JOIN (SELECT * FROM objectives WHERE service IS NULL) AS fallback
  LEFT JOIN objectives AS own ON own.service = services.service
),
per_minute AS (
  SELECT service, minute, 1 - availability AS error_budget, count(*) AS total,
         count(*) FILTER (WHERE status_code = 2) AS errors,
         count(*) FILTER (WHERE duration_nano > latency_ms * 1e6) AS slow
  FROM entry_spans JOIN service_objectives USING (service)
  GROUP BY service, minute, availability
),
-- The last minute the data reaches: an episode is resolved only once the hold time fits before it.
horizon AS (
  SELECT least(max(minute), $6::BIGINT // 60000000000) AS minute FROM per_minute
),
by_kind AS (
  SELECT service, 'errors' AS kind, minute, total, errors AS bad, error_budget AS budget
  FROM per_minute
  UNION ALL
  SELECT service, 'latency', minute, total, slow, 0.05
  FROM per_minute
),
burn_rates AS (
  SELECT service, kind, minute, total, bad, budget, rules.burn_rate,
         min(rules.burn_rate) OVER (PARTITION BY service, kind, minute) AS lowest_burn_rate,
         sum(bad) OVER long_window / sum(total) OVER long_window / budget AS long_burn,
         sum(bad) OVER short_window / sum(total) OVER short_window / budget AS short_burn
  FROM by_kind JOIN rules USING (kind)
  WINDOW long_window AS (PARTITION BY service, kind, rule ORDER BY minute
                         RANGE BETWEEN long_minutes - 1 PRECEDING AND CURRENT ROW),
         short_window AS (PARTITION BY service, kind, rule ORDER BY minute
                          RANGE BETWEEN short_minutes - 1 PRECEDING AND CURRENT ROW)
),
evaluated AS (
  SELECT service, kind, minute,
         bool_or(long_burn >= burn_rate AND short_burn >= burn_rate) AS fires,
         bool_or(bad / total / budget >= lowest_burn_rate) AS breaches
  FROM burn_rates
  GROUP BY service, kind, minute
),
breaches AS (
  SELECT service, kind, minute,
         sum(starts_episode) OVER (PARTITION BY service, kind ORDER BY minute) AS episode
  FROM (
    SELECT service, kind, minute,
           CASE WHEN minute - lag(minute) OVER (PARTITION BY service, kind ORDER BY minute) <= $11
                THEN 0 ELSE 1 END AS starts_episode
    FROM evaluated
    WHERE breaches
  )
),
episodes AS (
  SELECT service, kind, min(minute) AS first_minute, max(minute) AS last_minute
  FROM breaches
  GROUP BY service, kind, episode
),
incidents AS (
  SELECT episodes.service, episodes.kind, first_minute,
         min(evaluated.minute) FILTER (WHERE evaluated.fires) AS detection_minute,
         CASE WHEN any_value(horizon.minute) - last_minute >= $11 THEN last_minute END
           AS resolved_minute
  FROM episodes
  CROSS JOIN horizon
  JOIN evaluated
    ON evaluated.service = episodes.service AND evaluated.kind = episodes.kind
   AND evaluated.minute BETWEEN first_minute AND last_minute
  GROUP BY episodes.service, episodes.kind, first_minute, last_minute
  HAVING detection_minute IS NOT NULL
),
reported AS (
  SELECT service, kind,
         make_timestamp(first_minute * 60000000) AS onset,
         make_timestamp((detection_minute + 1) * 60000000) AS detected_at,
         make_timestamp((resolved_minute + 1) * 60000000) AS resolved_at,
         (detection_minute + 1 - first_minute) * 60 AS ttd_seconds,
         (resolved_minute + 1 - first_minute) * 60 AS ttr_seconds
  FROM incidents
  WHERE first_minute * 60000000000 <= $8::BIGINT
    AND (resolved_minute IS NULL OR (resolved_minute + 1) * 60000000000 >= $7::BIGINT)
)
SELECT 'incident' AS row_type, service, kind, onset, detected_at, resolved_at,
       ttd_seconds, ttr_seconds, NULL AS incidents, NULL AS mttd_seconds, NULL AS mttr_seconds
FROM reported
UNION ALL
SELECT 'service', services.service, NULL, NULL, NULL, NULL, NULL, NULL,
       count(reported.service), avg(ttd_seconds), avg(ttr_seconds)
FROM (SELECT service FROM entry_spans WHERE in_report UNION SELECT service FROM reported) AS services
LEFT JOIN reported USING (service)
GROUP BY services.service
UNION ALL
SELECT 'overall', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       count(*), avg(ttd_seconds), avg(ttr_seconds)
FROM reported
ORDER BY row_type, service, onset, kind;
