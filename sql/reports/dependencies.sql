-- The service dependency graph: who calls whom in the window, how often, how often it failed, and
-- how long the calls took.
--
-- Definitions:
--   An edge is a span whose parent span is in a different service: caller = the parent's service,
--   callee = the span's service. calls = the number of such spans, errors = those of them with
--   status ERROR (status_code 2), latency = their durations.
--   A virtual edge (virtual = true) leads to a peer that reports no spans of its own: a CLIENT (3)
--   or PRODUCER (4) span that no span names as its parent, the callee named by the span's
--   peer.service attribute, else db.system, else server.address (spans with none of them are left
--   out). calls, errors and latency are those of the CLIENT or PRODUCER spans.
--   A span counts when it starts in the window; its parent may start before the window, as far
--   back as the files read reach ($1 to $4).
--   Percentiles are exact, interpolated linearly between the closest ranks (quantile_cont), in ms.
--
-- Parameters:
--   $1 first partition date, $2 its hour; $3 last partition date, $4 its hour (the files read)
--   $5 window start, $6 window end (BIGINT unix nanoseconds, inclusive)
-- Each CTE reads the files anew (NOT MATERIALIZED): DuckDB would otherwise materialize a CTE used
-- more than once, and spill ten million spans to disk, which costs several times two more scans.
WITH read_spans AS NOT MATERIALIZED (
  SELECT trace_id, span_id, parent_span_id, service_name, kind, status_code, duration_nano,
         start_time_unix_nano BETWEEN $5::BIGINT AND $6::BIGINT AS in_window, attributes
  FROM spans
  WHERE dt BETWEEN $1::DATE AND $3::DATE
    AND (dt > $1::DATE OR hour >= $2::INTEGER)
    AND (dt < $3::DATE OR hour <= $4::INTEGER)
),
service_calls AS (
  SELECT parent.service_name AS caller, child.service_name AS callee,
         child.status_code, child.duration_nano, false AS virtual
  FROM read_spans child
  JOIN read_spans parent
    ON child.trace_id = parent.trace_id AND child.parent_span_id = parent.span_id
  WHERE child.in_window AND child.service_name <> parent.service_name
),
-- Outbound calls no span answered; their attributes narrowed to the three that can name the peer
-- in one pass, rather than three passes of attr() over all of them.
unanswered AS (
  SELECT service_name, status_code, duration_nano,
         list_filter(attributes, lambda a: a.key IN ('peer.service', 'db.system', 'server.address'))
           AS names
  FROM read_spans outbound
  WHERE in_window AND kind IN (3, 4)
    AND NOT EXISTS (
      SELECT 1 FROM read_spans child
      WHERE child.trace_id = outbound.trace_id AND child.parent_span_id = outbound.span_id)
),
peer_calls AS (
  SELECT service_name AS caller,
         coalesce(attr(names, 'peer.service'), attr(names, 'db.system'),
                  attr(names, 'server.address')) AS callee,
         status_code, duration_nano, true AS virtual
  FROM unanswered
)
SELECT caller, callee,
       count(*) AS calls,
       count(*) FILTER (WHERE status_code = 2) AS errors,
       quantile_cont(duration_nano, 0.50) / 1e6 AS p50_ms,
       quantile_cont(duration_nano, 0.95) / 1e6 AS p95_ms,
       quantile_cont(duration_nano, 0.99) / 1e6 AS p99_ms,
       virtual
FROM (SELECT * FROM service_calls UNION ALL SELECT * FROM peer_calls)
WHERE callee IS NOT NULL
GROUP BY caller, callee, virtual
ORDER BY caller, callee, virtual;
