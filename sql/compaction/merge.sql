-- Compaction, step 1: the spans of one hour partition's live objects, each span once.
-- A span delivered twice (the same request retried after a crash, or the same spans re-batched by
-- an exporter or collector) is one row per delivery in the objects; the same trace_id, span_id,
-- service, kind and start time mean the same span, and the delivery that ended latest is kept.
-- (Service and kind are in the key because Zipkin-style instrumentation shares one span ID between
-- the client and the server half of a call, which are two spans.)
-- Each span goes to one of {buckets} output objects by a hash of its trace ID, so that a trace is
-- whole in one object; hashing rather than ranges of the ID, because some ID generators (AWS
-- X-Ray's) put the time in the leading digits.
-- The engine replaces {inputs} with the input files and {buckets} with the number of outputs.
CREATE OR REPLACE TEMP TABLE merged AS
SELECT *, hash(trace_id) % {buckets} AS bucket
FROM read_parquet({inputs}, hive_partitioning = false)
QUALIFY row_number() OVER (
  PARTITION BY trace_id, span_id, service_name, kind, start_time_unix_nano
  ORDER BY end_time_unix_nano DESC
) = 1;
