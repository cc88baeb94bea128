-- Compaction, step 1, once per output object: the merged spans of one of {buckets} buckets, by a
-- hash of the trace ID, so that a trace is whole in one object; hashing rather than ranges of the
-- ID, because some ID generators (AWS X-Ray's) put the time in the leading digits.
-- Rows are in the order of the storage contract (trace_id, then start time), so that a trace's rows
-- are contiguous and row groups have narrow trace_id statistics; DuckDB also writes a bloom filter
-- for trace_id, which it dictionary-encodes, so a lookup skips the objects of other buckets after
-- reading a few KB.
-- Row groups of {row_group_spans} spans: large enough to compress well and to scan quickly, small
-- enough that a trace lookup decodes little besides its trace.
-- The engine replaces {bucket}, {buckets}, {output} and {row_group_spans}.
COPY (
  SELECT * EXCLUDE (compacted_before)
  FROM merged
  WHERE hash(trace_id) % {buckets} = {bucket}
  ORDER BY trace_id, start_time_unix_nano, span_id
) TO {output} (
  FORMAT parquet,
  COMPRESSION zstd,
  ROW_GROUP_SIZE {row_group_spans},
  KV_METADATA {'tracelake.schema.version': '1'}
);
