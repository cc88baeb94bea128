-- The traces a search finds, with Jaeger's meaning: a trace matches when one of its spans has the
-- service, the operation, a duration within the bounds, a start within the window, and every tag
-- somewhere on that span (its attributes, its events', its links', its resource's or its scope's).
-- Newest first, by the start of the newest matching span.
--
-- Parameters (NULL: no condition):
--   $1 first partition date, $2 its hour; $3 last partition date, $4 its hour (prune the files)
--   $5 window start, $6 window end (BIGINT unix nanoseconds, inclusive)
--   $7 service name, $8 operation (span name), $9 span kind (INTEGER, OTLP's numbering)
--   $10 minimum, $11 maximum duration (BIGINT nanoseconds, inclusive)
--   $12 tags: VARCHAR[] of key || chr(31) || text, see own_tags and shared_tags in
--       views/macros.sql; [] for none
--   $13 the most traces to return
WITH candidates AS (
  SELECT trace_id, start_time_unix_nano, attributes, events, links,
         coalesce(resource_attributes, '') AS resource_json,
         coalesce(scope_attributes, '') AS scope_json
  FROM spans
  WHERE dt BETWEEN $1::DATE AND $3::DATE
    AND (dt > $1::DATE OR hour >= $2::INTEGER)
    AND (dt < $3::DATE OR hour <= $4::INTEGER)
    AND start_time_unix_nano BETWEEN $5::BIGINT AND $6::BIGINT
    AND ($7::VARCHAR IS NULL OR service_name = $7::VARCHAR)
    AND ($8::VARCHAR IS NULL OR name = $8::VARCHAR)
    AND ($9::INTEGER IS NULL OR kind = $9::INTEGER)
    AND ($10::BIGINT IS NULL OR duration_nano >= $10::BIGINT)
    AND ($11::BIGINT IS NULL OR duration_nano <= $11::BIGINT)
),
-- Resource and scope attributes are JSON, the same on every span of a batch: parse each distinct
-- pair once rather than once per span (a third of a tag search's time, measured).
shared AS (
  SELECT resource_json, scope_json,
         shared_tags(nullif(resource_json, ''), nullif(scope_json, '')) AS tags
  FROM (SELECT DISTINCT resource_json, scope_json FROM candidates)
)
SELECT trace_id
FROM candidates JOIN shared USING (resource_json, scope_json)
WHERE len($12::VARCHAR[]) = 0
   OR list_has_all(list_concat(own_tags(attributes, events, links), shared.tags), $12::VARCHAR[])
GROUP BY trace_id
ORDER BY max(start_time_unix_nano) DESC, trace_id
LIMIT $13::BIGINT;
