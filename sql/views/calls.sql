-- The calls between services, the edges of the dependency graph: one row per call, for the
-- dependency report over spans not yet in aggregates and for compaction when it writes them.
--
-- Definitions:
--   A call is a span whose parent span is in a different service: caller = the parent's service,
--   callee = the span's service; its status and duration are the span's.
--   A virtual call (virtual = true) goes to a peer that reports no spans of its own: a CLIENT (3)
--   or PRODUCER (4) span that no span names as its parent, the callee named by the span's
--   peer.service attribute, else db.system, else server.address (spans with none of them are left
--   out); its status and duration are those of the CLIENT or PRODUCER span.
--
-- dependency_calls(first_dt, first_hour, last_dt, last_hour, from_nano, to_nano): the calls of
-- the spans of the spans view that start in [from_nano, to_nano] and are not aggregated (their
-- object's aggregates count them already). Parents and children are looked up among all spans of
-- the partitions first_dt/first_hour to last_dt/last_hour, which may reach back before from_nano.
-- Columns: caller, callee, virtual, status_code, duration_nano, start_time_unix_nano.
--
-- Each CTE reads the files anew (NOT MATERIALIZED): DuckDB would otherwise materialize a CTE used
-- more than once, and spill ten million spans to disk, which costs several times two more scans.
-- Parents and children are looked up only among the traces of the counted spans (related): over
-- compacted hours, where aggregates count every span, nothing is then read twice, where the joins
-- used to read every span's IDs for nothing (1.1 s of a 1.6 s dependency report over a day of
-- ten million spans, measured).
CREATE OR REPLACE TEMP MACRO dependency_calls(first_dt, first_hour, last_dt, last_hour,
                                              from_nano, to_nano) AS TABLE
WITH read_spans AS NOT MATERIALIZED (
  SELECT trace_id, span_id, parent_span_id, service_name, kind, status_code, duration_nano,
         start_time_unix_nano,
         start_time_unix_nano BETWEEN from_nano AND to_nano AND NOT aggregated AS counted,
         attributes
  FROM spans
  WHERE dt BETWEEN first_dt AND last_dt
    AND (dt > first_dt OR hour >= first_hour)
    AND (dt < last_dt OR hour <= last_hour)
),
counted_traces AS (
  SELECT DISTINCT trace_id FROM read_spans WHERE counted
),
related AS NOT MATERIALIZED (
  SELECT * FROM read_spans WHERE trace_id IN (SELECT trace_id FROM counted_traces)
),
service_calls AS (
  SELECT parent.service_name AS caller, child.service_name AS callee, false AS virtual,
         child.status_code, child.duration_nano, child.start_time_unix_nano
  FROM related child
  JOIN related parent
    ON child.trace_id = parent.trace_id AND child.parent_span_id = parent.span_id
  WHERE child.counted AND child.service_name <> parent.service_name
),
-- Outbound calls no span answered; their attributes narrowed to the three that can name the peer
-- in one pass, rather than three passes of attr() over all of them.
unanswered AS (
  SELECT service_name, status_code, duration_nano, start_time_unix_nano,
         list_filter(attributes, lambda a: a.key IN ('peer.service', 'db.system', 'server.address'))
           AS names
  FROM related outbound
  WHERE counted AND kind IN (3, 4)
    AND NOT EXISTS (
      SELECT 1 FROM related child
      WHERE child.trace_id = outbound.trace_id AND child.parent_span_id = outbound.span_id)
),
peer_calls AS (
  SELECT service_name AS caller,
         coalesce(attr(names, 'peer.service'), attr(names, 'db.system'),
                  attr(names, 'server.address')) AS callee,
         true AS virtual, status_code, duration_nano, start_time_unix_nano
  FROM unanswered
)
SELECT * FROM service_calls
UNION ALL
SELECT * FROM peer_calls WHERE callee IS NOT NULL;
