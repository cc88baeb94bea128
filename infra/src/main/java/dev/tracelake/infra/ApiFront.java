package dev.tracelake.infra;

import software.amazon.awscdk.services.cloudwatch.IMetric;

/** The API Gateway in front of the functions, in either shape. */
public interface ApiFront {
  /** The base URL: OTLP exporters send to {@code <url>/v1/traces}. */
  String url();

  /** Server errors (5xx) answered on {@code POST /v1/traces}, per five minutes. */
  IMetric ingestServerErrors();
}
