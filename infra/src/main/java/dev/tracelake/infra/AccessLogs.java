package dev.tracelake.infra;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The JSON format of both API shapes' access logs: one line per request. */
final class AccessLogs {
  private AccessLogs() {}

  /**
   * The fields both shapes know, plus the route in the shape's own variable ({@code
   * $context.routeKey} for HTTP APIs, {@code $context.resourcePath} for REST APIs).
   */
  static String format(String routeVariable) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("requestId", "$context.requestId");
    fields.put("ip", "$context.identity.sourceIp");
    fields.put("requestTime", "$context.requestTime");
    fields.put("httpMethod", "$context.httpMethod");
    fields.put("route", routeVariable);
    fields.put("status", "$context.status");
    fields.put("protocol", "$context.protocol");
    fields.put("responseLength", "$context.responseLength");
    fields.put("integrationLatency", "$context.integrationLatency");
    fields.put("principal", "$context.authorizer.principalId");
    fields.put("authorizerError", "$context.authorizer.error");
    fields.put("integrationError", "$context.integrationErrorMessage");
    return fields.entrySet().stream()
        .map(field -> "\"" + field.getKey() + "\":\"" + field.getValue() + "\"")
        .collect(Collectors.joining(",", "{", "}"));
  }
}
