-- Compaction, step 4: which traces each replaced object held, to remove their index entries.
-- The engine replaces {inputs} with the replaced files.
SELECT DISTINCT trace_id, parse_filename(filename) AS object_name
FROM read_parquet({inputs}, filename = true, hive_partitioning = false)
ORDER BY ALL;
