package dev.tracelake.infra;

import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * CloudWatch alarms: on each function's errors and throttles, and on server errors answered to
 * exporters. Each fires when its metric is at least one in two of three five-minute periods (a lone
 * blip does not page), and notifies the SNS topic the settings name, if any.
 */
public final class Alarms extends Construct {
  private static final Duration PERIOD = Duration.minutes(5);

  private final Optional<ITopic> topic;

  /** Alarms notifying {@code topicArn} when given. */
  public Alarms(Construct scope, String id, Optional<String> topicArn) {
    super(scope, id);
    topic = topicArn.map(arn -> Topic.fromTopicArn(this, "Topic", arn));
  }

  /** Alarms on the function's errors and throttles. */
  public void watch(String name, JavaFunction function) {
    MetricOptions sum = MetricOptions.builder().statistic("Sum").period(PERIOD).build();
    alarm(
        name + "Errors",
        name + " function: invocations failed (an exception, a timeout, out of memory)",
        function.function().metricErrors(sum));
    alarm(
        name + "Throttles",
        name + " function: invocations throttled (concurrency limit reached)",
        function.function().metricThrottles(sum));
  }

  /** An alarm on server errors answered on the ingest route (exporters retry, then drop spans). */
  public void watchIngestServerErrors(ApiFront api) {
    alarm(
        "Ingest5xx",
        "POST /v1/traces answered 5xx: S3 or DynamoDB unavailable or throttled, or the function"
            + " failing",
        api.ingestServerErrors());
  }

  private void alarm(String id, String description, IMetric metric) {
    Alarm alarm =
        Alarm.Builder.create(this, id)
            .alarmDescription(description)
            .metric(metric)
            .threshold(1)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
            .evaluationPeriods(3)
            .datapointsToAlarm(2)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .build();
    topic.ifPresent(t -> alarm.addAlarmAction(new SnsAction(t)));
  }
}
