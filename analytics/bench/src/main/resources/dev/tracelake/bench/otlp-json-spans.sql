-- A spans view over OTLP/JSON objects as the Collector's awss3exporter writes them (one gzipped
-- TracesData document per export request), with the columns tracelake's reports and lookups read,
-- computed the way the ingest path computes them; none of them aggregated. DuckDB reads gzip and JSON as they are; every
-- query unnests every document, since nothing in an object says which traces or times it holds
-- except its path's minute. The benchmark replaces {ingested_files}.
CREATE OR REPLACE TEMP VIEW spans AS
WITH documents AS (
  SELECT resourceSpans
  FROM read_json({ingested_files}, format = 'auto', columns = {
    resourceSpans: 'STRUCT(
      resource STRUCT(attributes STRUCT(key VARCHAR, value STRUCT(stringValue VARCHAR,
        boolValue BOOLEAN, intValue VARCHAR, doubleValue DOUBLE, arrayValue JSON,
        kvlistValue JSON))[]),
      scopeSpans STRUCT(
        scope STRUCT(name VARCHAR, version VARCHAR),
        spans STRUCT(traceId VARCHAR, spanId VARCHAR, parentSpanId VARCHAR, name VARCHAR,
          kind INTEGER, startTimeUnixNano VARCHAR, endTimeUnixNano VARCHAR,
          attributes STRUCT(key VARCHAR, value STRUCT(stringValue VARCHAR, boolValue BOOLEAN,
            intValue VARCHAR, doubleValue DOUBLE, arrayValue JSON, kvlistValue JSON))[],
          status STRUCT(code INTEGER, message VARCHAR))[])[])[]'
  })
),
resources AS (SELECT unnest(resourceSpans) AS r FROM documents),
scopes AS (
  SELECT
    coalesce(list_extract(list_filter(r.resource.attributes,
      lambda a: a.key = 'service.name'), 1).value.stringValue, 'unknown_service') AS service_name,
    unnest(r.scopeSpans) AS s
  FROM resources
),
rows AS (SELECT service_name, s.scope.name AS scope_name, unnest(s.spans) AS span FROM scopes)
SELECT
  span.traceId AS trace_id,
  span.spanId AS span_id,
  nullif(span.parentSpanId, '') AS parent_span_id,
  service_name,
  span.name AS name,
  coalesce(span.kind, 0) AS kind,
  CAST(span.startTimeUnixNano AS BIGINT) AS start_time_unix_nano,
  CAST(span.endTimeUnixNano AS BIGINT) AS end_time_unix_nano,
  CAST(span.endTimeUnixNano AS BIGINT) - CAST(span.startTimeUnixNano AS BIGINT) AS duration_nano,
  coalesce(span.status.code, 0) AS status_code,
  nullif(span.status.message, '') AS status_message,
  list_transform(coalesce(span.attributes, []), lambda a: {
    'key': a.key, 'string_value': a.value.stringValue, 'bool_value': a.value.boolValue,
    'int_value': CAST(a.value.intValue AS BIGINT), 'double_value': a.value.doubleValue,
    'bytes_value': CAST(NULL AS BLOB), 'array_value': CAST(a.value.arrayValue AS VARCHAR),
    'kvlist_value': CAST(a.value.kvlistValue AS VARCHAR)}) AS attributes,
  scope_name,
  CAST(make_timestamp(CAST(span.startTimeUnixNano AS BIGINT) // 1000) AS DATE) AS dt,
  CAST(hour(make_timestamp(CAST(span.startTimeUnixNano AS BIGINT) // 1000)) AS INTEGER) AS hour,
  make_timestamp(CAST(span.startTimeUnixNano AS BIGINT) // 1000) AS start_time,
  false AS aggregated
FROM rows;
