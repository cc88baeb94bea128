package dev.tracelake.infra;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;

/** The API Gateway in front of the functions, in either shape. */
public interface ApiFront {
  /** The base URL: OTLP exporters send to {@code <url>/v1/traces}. */
  String url();

  /** Server errors (5xx) answered on {@code POST /v1/traces}, per five minutes. */
  IMetric ingestServerErrors();

  /**
   * The sum per five minutes of an API Gateway metric of {@code POST /v1/traces}; the shapes name
   * the metric and the API's dimensions differently.
   */
  static IMetric ingestSum(String metricName, Map<String, String> apiDimensions) {
    Map<String, String> dimensions = new HashMap<>(apiDimensions);
    dimensions.put("Method", "POST");
    dimensions.put("Resource", "/v1/traces");
    return Metric.Builder.create()
        .namespace("AWS/ApiGateway")
        .metricName(metricName)
        .dimensionsMap(dimensions)
        .statistic("Sum")
        .period(Duration.minutes(5))
        .build();
  }
}
