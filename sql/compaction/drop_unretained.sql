-- Compaction past the hot window, step 1, after aggregates.sql: tail-based retention. Drops from
-- the merged spans every trace the policy does not keep, deciding per whole trace (its spans in the
-- partition) from the data. A trace is kept when
--   one of its spans has status ERROR (status_code 2);
--   one of its root spans (no parent) took longer than its operation's latency objective: the
--     latency_ms of the most specific row of $1 for the root's service and name, as sla.sql picks
--     it (operation, then service, then the default row);
--   one of its spans carries one of the attributes of $2 (key and text, on the span, its events,
--     links, resource or scope, as span_tags() gives them); or
--   its trace ID is in the sample: hash(trace_id) in the first $3 of the hash's range, the same
--     decision for a trace in every partition and every run.
-- Parameters:
--   $1 objectives, JSON, as in sla.sql
--   $2 attributes that keep a trace, JSON: [{"key", "value"}]
--   $3 the share of other traces kept, 0 to 1
DELETE FROM merged
WHERE trace_id NOT IN (
  WITH objectives AS (
    SELECT * FROM slo_objectives($1::VARCHAR)
  ),
  wanted AS (
    SELECT list(a.key || chr(31) || a.value) AS tags
    FROM (SELECT unnest(from_json($2::VARCHAR, '[{"key": "VARCHAR", "value": "VARCHAR"}]')) AS a)
  ),
  slow_roots AS (
    SELECT roots.trace_id
    FROM merged AS roots
    CROSS JOIN (SELECT * FROM objectives WHERE service IS NULL AND operation IS NULL) AS fallback
    LEFT JOIN objectives AS for_service
      ON for_service.service = roots.service_name AND for_service.operation IS NULL
    LEFT JOIN objectives AS for_operation
      ON for_operation.service = roots.service_name AND for_operation.operation = roots.name
    WHERE roots.parent_span_id IS NULL
      AND roots.duration_nano
          > coalesce(for_operation.latency_ms, for_service.latency_ms, fallback.latency_ms) * 1e6
  )
  SELECT trace_id FROM merged WHERE status_code = 2
  UNION
  SELECT trace_id FROM slow_roots
  UNION
  SELECT trace_id FROM merged, wanted
  WHERE len(wanted.tags) > 0
    AND list_has_any(span_tags(attributes, events, links, resource_attributes, scope_attributes),
                     wanted.tags)
  UNION
  SELECT trace_id FROM merged
  WHERE hash(trace_id) < $3::DOUBLE * 18446744073709551615
);
