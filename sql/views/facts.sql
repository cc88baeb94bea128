-- What the reports count: the spans not yet aggregated as they are, and the aggregated ones as the
-- histograms of span_aggregates give them back. A report over facts gives the same counts whether
-- or not compaction has aggregated, or retention dropped, the spans; its percentiles are exact
-- over spans that are not aggregated and within 1% over those that are (macros.sql).

-- aggregated_spans: one row per span span_aggregates counts, with the aggregate's columns, its
-- duration_nano the duration its bucket stands for and its start_time_unix_nano its minute's start.
-- (A list per row unnested, rather than a lateral range() per bucket: most buckets hold one span,
-- and DuckDB runs the lateral join as a join, about twice as slow.)
CREATE OR REPLACE TEMP VIEW aggregated_spans AS
SELECT dt, hour, aggregate, caller, service_name, name, kind, virtual, status_code,
       minute_start_unix_nano AS start_time_unix_nano,
       bucket_duration(unnest(flatten(list_transform(duration_buckets,
         lambda b: repeat([b.bucket], b.spans))))) AS duration_nano
FROM span_aggregates;

-- span_facts: one row per span, whether it is in the spans view or only in the aggregates.
CREATE OR REPLACE TEMP VIEW span_facts AS
SELECT dt, hour, service_name, name, kind, status_code, duration_nano, start_time_unix_nano
FROM spans
WHERE NOT aggregated
UNION ALL
SELECT dt, hour, service_name, name, kind, status_code, duration_nano, start_time_unix_nano
FROM aggregated_spans
WHERE aggregate = 'operation';
