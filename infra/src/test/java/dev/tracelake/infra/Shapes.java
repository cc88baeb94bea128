package dev.tracelake.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** The settings the tests synthesize: every API shape with every kind of auth. */
final class Shapes {
  private Shapes() {}

  static TracelakeSettings of(TracelakeSettings.ApiShape shape, TracelakeSettings.Auth auth) {
    TracelakeSettings d = TracelakeSettings.defaults();
    return new TracelakeSettings(
        d.stackName(),
        shape,
        auth,
        d.retentionDays(),
        d.hotDays(),
        d.compactionEveryMinutes(),
        d.ingestMemoryMb(),
        d.queryMemoryMb(),
        d.corsOrigins(),
        d.throttleRateLimit(),
        d.throttleBurstLimit(),
        d.bucketName(),
        d.indexTableName(),
        d.functionTracing(),
        d.alarmTopicArn());
  }

  /**
   * Everything optional turned on: CORS, tracing, an alarm topic, a long retention, tail-based
   * retention.
   */
  static TracelakeSettings everything(
      TracelakeSettings.ApiShape shape, TracelakeSettings.Auth auth) {
    TracelakeSettings d = of(shape, auth);
    return new TracelakeSettings(
        d.stackName(),
        shape,
        auth,
        90,
        Optional.of(7),
        15,
        2048,
        8192,
        List.of("https://ui.example.com", "http://localhost:3000"),
        50,
        100,
        Optional.of("my-spans"),
        Optional.of("my-index"),
        true,
        Optional.of("arn:aws:sns:eu-west-1:123456789012:tracelake-alarms"));
  }

  /** The settings an app with this CDK context (as {@code -c key=value} gives) reads. */
  static TracelakeSettings fromContext(Map<String, ?> context) {
    return TracelakeSettings.fromContext(
        new App(AppProps.builder().context(Map.copyOf(context)).build()).getNode());
  }

  /** Every combination, default and with everything on. */
  static List<TracelakeSettings> all() {
    List<TracelakeSettings> all = new ArrayList<>();
    for (TracelakeSettings.ApiShape shape : TracelakeSettings.ApiShape.values()) {
      for (TracelakeSettings.Auth auth : TracelakeSettings.Auth.values()) {
        all.add(of(shape, auth));
        all.add(everything(shape, auth));
      }
    }
    return all;
  }
}
