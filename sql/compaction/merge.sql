-- Compaction, step 1: the spans of one hour partition's live objects, each span once.
-- A span delivered twice (the same request retried after a crash, or the same spans re-batched by
-- an exporter or collector) is one row per delivery in the objects; the same trace_id, span_id,
-- service, kind and start time mean the same span, and the delivery that ended latest is kept.
-- (Service and kind are in the key because Zipkin-style instrumentation shares one span ID between
-- the client and the server half of a call, which are two spans.)
-- compacted_before: whether a delivery of the span was in a compacted object, so that the
-- partition's aggregates count it already.
-- The engine replaces {inputs} with the input files.
CREATE OR REPLACE TEMP TABLE merged AS
SELECT *,
       bool_or(starts_with(parse_filename(filename), 'compacted-')) OVER span AS compacted_before
FROM read_parquet({inputs}, hive_partitioning = false)
WINDOW span AS (PARTITION BY trace_id, span_id, service_name, kind, start_time_unix_nano)
QUALIFY row_number() OVER (span ORDER BY end_time_unix_nano DESC) = 1;
