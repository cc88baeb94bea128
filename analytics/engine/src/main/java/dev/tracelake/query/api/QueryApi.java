package dev.tracelake.query.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.tracelake.otlp.OtlpJson;
import dev.tracelake.query.SqlRejectedException;
import dev.tracelake.query.SqlSandbox;
import dev.tracelake.query.TimeRange;
import dev.tracelake.query.TraceReader;
import dev.tracelake.query.report.DependencyReport;
import dev.tracelake.query.report.ReportJson;
import dev.tracelake.query.report.Reports;
import dev.tracelake.query.report.SloPolicy;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The query HTTP API, framework-free: Jaeger's query API v3 ({@code /api/v3/...}) and its service
 * graph ({@code /api/dependencies}), so Jaeger tooling works against tracelake, SQL over the spans
 * ({@code /api/sql}), and the reports ({@code /api/reports/...}). The query function and {@code
 * ./tracelake serve} route requests here and send back the {@link ApiReply} as it is.
 */
public final class QueryApi {
  private static final Logger LOG = Logger.getLogger(QueryApi.class);

  /** Jaeger's span kind names, by OTLP's numbering; "" is unspecified. */
  private static final List<String> SPAN_KINDS =
      List.of("", "internal", "server", "client", "producer", "consumer");

  /** How far back from its end a report looks when no start is given: a day. */
  public static final Duration DEFAULT_REPORT_LOOKBACK = Duration.ofDays(1);

  private final TraceReader traces;
  private final SqlSandbox sql;
  private final Reports reports;
  private final SloPolicy policy;
  private final Clock clock;

  /**
   * @param policy the objectives and alerting rules the SLA and incident reports measure against
   */
  public QueryApi(
      TraceReader traces, SqlSandbox sql, Reports reports, SloPolicy policy, Clock clock) {
    this.traces = traces;
    this.sql = sql;
    this.reports = reports;
    this.policy = policy;
    this.clock = clock;
  }

  /**
   * {@code GET /health}: 200 when DuckDB answers a query over the spans view (of no files, so it
   * costs no reads), else 503.
   */
  public ApiReply health() {
    try {
      traces.checkDatabase();
      JsonObject body = new JsonObject();
      body.addProperty("status", "ok");
      return ApiReply.ok(body);
    } catch (SQLException | RuntimeException e) {
      LOG.warn("health check failed", e);
      return ApiReply.error(503, "cannot query: " + e.getMessage());
    }
  }

  /** {@code GET /api/v3/traces/{trace_id}}: {@code {"result": TracesData}}, or 404. */
  public ApiReply trace(String traceId) {
    return answer(
        () -> {
          Optional<TracesData> trace = traces.trace(TraceReader.normalizedTraceId(traceId));
          return trace.isEmpty()
              ? ApiReply.error(404, "trace not found: " + traceId)
              : result(trace.get());
        });
  }

  /** {@code GET /api/v3/traces?query.serviceName=…}: the matching whole traces, newest first. */
  public ApiReply findTraces(Map<String, String> parameters) {
    return answer(() -> result(traces.search(FindTracesParameters.parse(parameters, clock))));
  }

  /** {@code GET /api/v3/services}: {@code {"services": [...]}}. */
  public ApiReply services() {
    return answer(
        () -> {
          JsonArray services = new JsonArray();
          traces.services().forEach(services::add);
          JsonObject body = new JsonObject();
          body.add("services", services);
          return ApiReply.ok(body);
        });
  }

  /**
   * {@code GET /api/v3/operations?service=…&spanKind=…}: {@code {"operations": [{"name",
   * "spanKind"}]}}, with Jaeger's span kind names (server, client, …).
   */
  public ApiReply operations(Map<String, String> parameters) {
    return answer(
        () -> {
          String service =
              FindTracesParameters.parameter(parameters, "service")
                  .orElseThrow(() -> new IllegalArgumentException("service is required"));
          Optional<Integer> kind =
              FindTracesParameters.parameter(parameters, "spanKind").map(QueryApi::spanKind);
          JsonArray operations = new JsonArray();
          for (TraceReader.Operation operation : traces.operations(service, kind)) {
            JsonObject entry = new JsonObject();
            entry.addProperty("name", operation.name());
            entry.addProperty("spanKind", SPAN_KINDS.get(operation.spanKind()));
            operations.add(entry);
          }
          JsonObject body = new JsonObject();
          body.add("operations", operations);
          return ApiReply.ok(body);
        });
  }

  /**
   * {@code POST /api/sql} with {@code {"sql": "…", "from": RFC 3339, "to": RFC 3339}} (the time
   * range is optional and picks the objects read): {@code {"columns", "rows", "truncated"}}. A
   * statement the sandbox refuses, or one DuckDB cannot run, is a 400 saying why.
   */
  public ApiReply sql(String body) {
    return answer(
        () -> {
          SqlRequest request = SqlRequest.parse(body);
          try {
            return new ApiReply(200, sql.execute(request.sql(), request.range()).toJson());
          } catch (SqlRejectedException e) {
            return ApiReply.error(400, e.getMessage());
          }
        });
  }

  /**
   * {@code GET /api/reports/{dependencies|sla|incidents}?from=…&to=…} (RFC 3339; by default the day
   * before now): the report as JSON, or 404 for a report there is not.
   */
  public ApiReply report(String name, Map<String, String> parameters) {
    return answer(
        () -> {
          Instant to =
              FindTracesParameters.parameter(parameters, "to")
                  .map(Rfc3339::parse)
                  .orElseGet(clock::instant);
          Instant from =
              FindTracesParameters.parameter(parameters, "from")
                  .map(Rfc3339::parse)
                  .orElse(to.minus(DEFAULT_REPORT_LOOKBACK));
          TimeRange window = new TimeRange(from, to);
          Object report =
              switch (name) {
                case "dependencies" -> reports.dependencies(window);
                case "sla" -> reports.sla(window, policy);
                case "incidents" -> reports.incidents(window, policy);
                default -> null;
              };
          return report == null
              ? ApiReply.error(
                  404, "no report '" + name + "': there are dependencies, sla and incidents")
              : ApiReply.ok(ReportJson.tree(report));
        });
  }

  /**
   * {@code GET /api/dependencies?endTs=…&lookback=…} (Unix milliseconds; by default now and a day),
   * Jaeger's service graph endpoint that Jaeger UI and Grafana's Jaeger data source draw: {@code
   * {"data": [{"parent", "child", "callCount"}]}}, virtual edges included.
   */
  public ApiReply jaegerDependencies(Map<String, String> parameters) {
    return answer(
        () -> {
          long endMillis =
              FindTracesParameters.parameter(parameters, "endTs")
                  .map(text -> milliseconds("endTs", text))
                  .orElseGet(clock::millis);
          long lookbackMillis =
              FindTracesParameters.parameter(parameters, "lookback")
                  .map(text -> milliseconds("lookback", text))
                  .orElse(DEFAULT_REPORT_LOOKBACK.toMillis());
          Instant end = Instant.ofEpochMilli(endMillis);
          DependencyReport graph =
              reports.dependencies(new TimeRange(end.minusMillis(lookbackMillis), end));
          JsonArray links = new JsonArray();
          for (DependencyReport.Edge edge : graph.edges()) {
            JsonObject link = new JsonObject();
            link.addProperty("parent", edge.caller());
            link.addProperty("child", edge.callee());
            link.addProperty("callCount", edge.calls());
            links.add(link);
          }
          JsonObject body = new JsonObject();
          body.add("data", links);
          body.addProperty("total", links.size());
          body.addProperty("limit", 0);
          body.addProperty("offset", 0);
          body.add("errors", JsonNull.INSTANCE);
          return ApiReply.ok(body);
        });
  }

  private static long milliseconds(String parameter, String text) {
    try {
      long value = Long.parseLong(text);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(
        parameter + " is a non-negative number of milliseconds, not '" + text + "'");
  }

  private static int spanKind(String name) {
    int kind = SPAN_KINDS.indexOf(name.toLowerCase());
    if (kind < 1) {
      throw new IllegalArgumentException(
          "spanKind must be one of internal, server, client, producer, consumer, not '"
              + name
              + "'");
    }
    return kind;
  }

  private static ApiReply result(TracesData traces) {
    JsonObject body = new JsonObject();
    body.add("result", OtlpJson.tracesData(traces));
    return ApiReply.ok(body);
  }

  private interface Call {
    ApiReply run() throws SQLException;
  }

  /** Bad input is the caller's to fix (400); anything else is ours (500, logged). */
  private static ApiReply answer(Call call) {
    try {
      return call.run();
    } catch (IllegalArgumentException e) {
      return ApiReply.error(400, e.getMessage());
    } catch (SQLException | RuntimeException e) {
      LOG.error("query failed", e);
      return ApiReply.error(500, "the query failed: " + e.getMessage());
    }
  }
}
