-- Compaction, step 1, once per output object: the merged spans of one of {buckets} buckets, by a
-- hash of the trace ID, so that a trace is whole in one object; hashing rather than ranges of the
-- ID, because some ID generators (AWS X-Ray's) put the time in the leading digits.
-- Rows are ordered for the two ways they are read:
-- - by the slice of {trace_slice_nanos} (the search's slice, TraceReader.SEARCH_SLICE) in which
--   the trace's first span of the hour started: a search reads its window newest slice first and
--   stops at its limit, and DuckDB skips the row groups of older slices by their start time
--   statistics, so finding and gathering the newest traces of an hour decodes a few row groups
--   rather than all of them;
-- - then by trace_id and start time, so that a trace's rows are contiguous and in few row groups;
--   DuckDB writes a bloom filter for trace_id, which it dictionary-encodes, so a lookup skips the
--   row groups and objects that do not hold the trace after reading a few KB.
-- Row groups of {row_group_spans} spans: large enough to compress well and to scan quickly, small
-- enough that a trace lookup decodes little besides its trace.
-- The engine replaces {bucket}, {buckets}, {output}, {row_group_spans} and {trace_slice_nanos}.
COPY (
  SELECT * EXCLUDE (compacted_before, trace_slice)
  FROM (
    SELECT *, min(start_time_unix_nano) OVER (PARTITION BY trace_id) // {trace_slice_nanos}
                AS trace_slice
    FROM merged
    WHERE hash(trace_id) % {buckets} = {bucket}
  )
  ORDER BY trace_slice, trace_id, start_time_unix_nano, span_id
) TO {output} (
  FORMAT parquet,
  COMPRESSION zstd,
  ROW_GROUP_SIZE {row_group_spans},
  KV_METADATA {'tracelake.schema.version': '1'}
);
