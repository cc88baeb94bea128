-- A service's operations (span names) with their span kinds, by name, from the files
-- SpanSource.summaryFiles gives, as services.sql.
-- Parameters: $1 service name; $2 span kind (INTEGER, OTLP's numbering), NULL for any.
SELECT name, kind
FROM spans
WHERE service_name = $1::VARCHAR AND ($2::INTEGER IS NULL OR kind = $2::INTEGER)
UNION
SELECT name, kind
FROM span_aggregates
WHERE aggregate = 'operation'
  AND service_name = $1::VARCHAR AND ($2::INTEGER IS NULL OR kind = $2::INTEGER)
ORDER BY name, kind;
