-- The services that reported spans, by name, from the files SpanSource.summaryFiles gives: span
-- objects, and aggregates objects standing for the compacted objects whose spans they count (a
-- fortieth of the bytes).
SELECT service_name FROM spans
UNION
SELECT service_name FROM span_aggregates WHERE aggregate = 'operation'
ORDER BY service_name;
