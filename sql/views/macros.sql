-- Macros over the columns of the spans view, for the engine's own queries and for anyone's SQL.

-- attribute_text(attribute): an attribute value as text, the form tag search compares:
-- strings as they are, booleans as true/false, numbers in their shortest decimal form, arrays and
-- key-value lists as their OTLP/JSON.
CREATE OR REPLACE MACRO attribute_text(a) AS
  coalesce(a.string_value, CAST(a.bool_value AS VARCHAR), CAST(a.int_value AS VARCHAR),
           CAST(a.double_value AS VARCHAR), a.array_value, a.kvlist_value);

-- json_attributes(json): resource_attributes or scope_attributes (OTLP/JSON KeyValue arrays) as a
-- list of {key, text}, with text as attribute_text gives it.
CREATE OR REPLACE MACRO json_attributes(json) AS
  list_transform(
    coalesce(from_json(json, '[{"key": "VARCHAR", "value": {"stringValue": "VARCHAR",
      "boolValue": "BOOLEAN", "intValue": "VARCHAR", "doubleValue": "DOUBLE",
      "arrayValue": "JSON", "kvlistValue": "JSON"}}]'), []),
    lambda kv: {'key': kv.key, 'text': coalesce(kv.value.stringValue,
      CAST(kv.value.boolValue AS VARCHAR), kv.value.intValue, CAST(kv.value.doubleValue AS VARCHAR),
      CAST(kv.value.arrayValue AS VARCHAR), CAST(kv.value.kvlistValue AS VARCHAR))});

-- attr(attributes, key): the text of one attribute of a span, event or link, or NULL.
--   SELECT attr(attributes, 'http.route'), count(*) FROM spans GROUP BY 1
CREATE OR REPLACE MACRO attr(attributes, name) AS
  list_extract(list_transform(list_filter(attributes, lambda a: a.key = name),
                              lambda a: attribute_text(a)), 1);

-- resource_attr(resource_attributes, key): the text of one resource attribute, or NULL.
--   SELECT resource_attr(resource_attributes, 'service.version'), count(*) FROM spans GROUP BY 1
CREATE OR REPLACE MACRO resource_attr(json, name) AS
  list_extract(list_transform(list_filter(json_attributes(json), lambda a: a.key = name),
                              lambda a: a.text), 1);

-- Every attribute a span carries, in all the places Jaeger's tag search looks, each as
-- key || chr(31) || text: own_tags gives those of the span, its events and its links;
-- shared_tags those of its resource and scope, which all spans of a batch share; span_tags both.
CREATE OR REPLACE MACRO own_tags(attributes, events, links) AS
  flatten([
    list_transform(coalesce(attributes, []), lambda a: a.key || chr(31) || attribute_text(a)),
    flatten(list_transform(coalesce(events, []), lambda e:
      list_transform(coalesce(e.attributes, []), lambda a: a.key || chr(31) || attribute_text(a)))),
    flatten(list_transform(coalesce(links, []), lambda l:
      list_transform(coalesce(l.attributes, []), lambda a: a.key || chr(31) || attribute_text(a))))
  ]);

CREATE OR REPLACE MACRO shared_tags(resource_attributes, scope_attributes) AS
  list_concat(
    list_transform(json_attributes(resource_attributes), lambda a: a.key || chr(31) || a.text),
    list_transform(json_attributes(scope_attributes), lambda a: a.key || chr(31) || a.text));

CREATE OR REPLACE MACRO span_tags(attributes, events, links, resource_attributes, scope_attributes) AS
  list_concat(own_tags(attributes, events, links),
              shared_tags(resource_attributes, scope_attributes));

-- slo_objectives(json): the objectives the SLA and incident reports are bound to, as rows
-- (service, operation, availability, latency_ms); the JSON is SloPolicy.objectivesJson()'s.
CREATE OR REPLACE MACRO slo_objectives(json) AS TABLE
  SELECT o.service, o.operation, o.availability, o.latency_ms
  FROM (SELECT unnest(from_json(json, '[{"service": "VARCHAR", "operation": "VARCHAR",
          "availability": "DOUBLE", "latency_ms": "DOUBLE"}]')) AS o);

-- Latency histograms (the duration_buckets of span_aggregates) count durations in log-scale
-- buckets, as DDSketch does: bucket b holds the durations in (gamma^(b-1), gamma^b] ns, with gamma
-- = 1.01 / 0.99, and stands for 2 * gamma^b / (gamma + 1) ns, within 1% of every duration in it.
-- Durations under 1 ns count as 1 ns. A day of durations up to 1000 s needs at most 1,400 buckets.
-- duration_bucket(nanos): the bucket of a duration.
CREATE OR REPLACE MACRO duration_bucket(nanos) AS
  ceil(ln(greatest(nanos, 1)) / ln(1.01 / 0.99))::INTEGER;

-- bucket_duration(bucket): the duration, in ns, a bucket stands for.
CREATE OR REPLACE MACRO bucket_duration(bucket) AS
  round(2 * pow(1.01 / 0.99, bucket) / (1.01 / 0.99 + 1))::BIGINT;
