-- The services that reported spans, by name.
SELECT DISTINCT service_name FROM spans ORDER BY service_name;
