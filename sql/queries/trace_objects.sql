-- Which of the span objects {files} hold spans of the traces {trace_ids}: a first pass over the
-- trace_id column alone, whose statistics and bloom filters skip nearly all of each object, so that
-- the lookup that follows (trace_spans.sql) opens only those objects. DuckDB prepares a reader for
-- every column of every object a query opens, even one whose row groups its statistics all skip:
-- over a day's 24 compacted objects, 100 ms of a 150 ms lookup that reads every column.
-- The engine replaces {files} with a list of objects and {trace_ids} as in trace_spans.sql.
SELECT DISTINCT filename
FROM read_parquet({files}, filename = true, hive_partitioning = false)
WHERE trace_id IN ({trace_ids});
