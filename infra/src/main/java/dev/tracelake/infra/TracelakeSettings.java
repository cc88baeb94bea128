package dev.tracelake.infra;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.constructs.Node;

/**
 * What a deployment may choose, from the CDK context ({@code cdk.json}, or {@code -c key=value} on
 * the command line). Every setting has a default; {@link #fromContext} names the key of a bad
 * value.
 *
 * @param stackName the CloudFormation stack ({@code stackName}, default {@code Tracelake})
 * @param apiShape the API in front of the functions ({@code apiShape}: {@code http}, the default,
 *     or {@code rest} for LocalStack's free plan, which has no HTTP APIs)
 * @param auth how requests authenticate ({@code auth}: {@code apiKey}, the default, or {@code iam}
 *     for SigV4-signed requests)
 * @param retentionDays days span objects and index items are kept ({@code retentionDays}, 30)
 * @param hotDays days every trace is kept before tail-based retention keeps only the traces that
 *     matter ({@code hotDays}; retention is off when absent); fewer than {@code retentionDays}
 * @param compactionEveryMinutes how often the compaction function runs ({@code
 *     compactionEveryMinutes}, 60): a divisor of an hour, more often for traffic above about 11
 *     requests a second, whose hours hold more objects than an hourly run merges
 * @param ingestMemoryMb the ingest function's memory ({@code ingestMemoryMb}, 1024)
 * @param queryMemoryMb the query function's memory ({@code queryMemoryMb}, 4096)
 * @param corsOrigins origins browsers may call from ({@code corsOrigins}, comma-separated; none by
 *     default, so no CORS)
 * @param throttleRateLimit steady requests per second over all routes ({@code throttleRateLimit},
 *     200)
 * @param throttleBurstLimit requests let through in a burst ({@code throttleBurstLimit}, 400)
 * @param bucketName the bucket's name ({@code bucketName}; generated when absent)
 * @param indexTableName the trace index's name ({@code indexTableName}; generated when absent)
 * @param functionTracing X-Ray tracing of the functions themselves ({@code functionTracing}, false)
 * @param alarmTopicArn an SNS topic the alarms notify ({@code alarmTopicArn}; none when absent)
 */
public record TracelakeSettings(
    String stackName,
    ApiShape apiShape,
    Auth auth,
    int retentionDays,
    Optional<Integer> hotDays,
    int compactionEveryMinutes,
    int ingestMemoryMb,
    int queryMemoryMb,
    List<String> corsOrigins,
    int throttleRateLimit,
    int throttleBurstLimit,
    Optional<String> bucketName,
    Optional<String> indexTableName,
    boolean functionTracing,
    Optional<String> alarmTopicArn) {

  /** The API Gateway flavour in front of the functions. */
  public enum ApiShape {
    /** API Gateway HTTP API (v2): cheaper and faster; the default. */
    HTTP,
    /** API Gateway REST API (v1): what LocalStack's free plan emulates. */
    REST
  }

  /** How requests authenticate. */
  public enum Auth {
    /** An API key in {@code x-api-key} (or {@code Authorization: Bearer}), checked by a Lambda. */
    API_KEY,
    /** IAM: requests signed with SigV4 by a principal allowed to invoke the API. */
    IAM
  }

  /** The settings of a deployment that chooses nothing. */
  public static TracelakeSettings defaults() {
    return new TracelakeSettings(
        "Tracelake",
        ApiShape.HTTP,
        Auth.API_KEY,
        30,
        Optional.empty(),
        60,
        1024,
        4096,
        List.of(),
        200,
        400,
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty());
  }

  /** The settings the context gives, defaults for the rest. */
  public static TracelakeSettings fromContext(Node node) {
    TracelakeSettings d = defaults();
    Context context = new Context(node);
    int retentionDays = context.number("retentionDays", 1, 3650).orElse(d.retentionDays);
    return new TracelakeSettings(
        context.text("stackName").orElse(d.stackName),
        context
            .text("apiShape")
            .map(value -> context.choice("apiShape", value, ApiShape.values()))
            .orElse(d.apiShape),
        context
            .text("auth")
            .map(value -> context.choice("auth", value.replace("apiKey", "api_key"), Auth.values()))
            .orElse(d.auth),
        retentionDays,
        context.number("hotDays", 1, retentionDays - 1),
        context
            .number("compactionEveryMinutes", 5, 60)
            .map(minutes -> context.divisorOfAnHour("compactionEveryMinutes", minutes))
            .orElse(d.compactionEveryMinutes),
        context.number("ingestMemoryMb", 512, 10240).orElse(d.ingestMemoryMb),
        context.number("queryMemoryMb", 1024, 10240).orElse(d.queryMemoryMb),
        context
            .text("corsOrigins")
            .map(
                value ->
                    Arrays.stream(value.split(","))
                        .map(String::strip)
                        .filter(origin -> !origin.isEmpty())
                        .toList())
            .orElse(d.corsOrigins),
        context.number("throttleRateLimit", 1, 100_000).orElse(d.throttleRateLimit),
        context.number("throttleBurstLimit", 1, 100_000).orElse(d.throttleBurstLimit),
        context.text("bucketName"),
        context.text("indexTableName"),
        context.text("functionTracing").map(Boolean::parseBoolean).orElse(d.functionTracing),
        context.text("alarmTopicArn"));
  }

  /**
   * The minutes past the hour the compaction function starts: every {@link
   * #compactionEveryMinutes}, one of them at :35, after the 30 minutes of grace that close the
   * previous hour. A cron expression's minutes field.
   */
  public String compactionCronMinutes() {
    return compactionEveryMinutes == 60
        ? "35"
        : 35 % compactionEveryMinutes + "/" + compactionEveryMinutes;
  }

  /** Context values, which come as strings from {@code -c} and as JSON values from cdk.json. */
  private record Context(Node node) {
    Optional<String> text(String key) {
      return Optional.ofNullable(node.tryGetContext(key))
          .map(Object::toString)
          .map(String::strip)
          .filter(value -> !value.isEmpty());
    }

    Optional<Integer> number(String key, int min, int max) {
      return text(key)
          .map(
              value -> {
                int number;
                try {
                  number = (int) Double.parseDouble(value);
                } catch (NumberFormatException e) {
                  throw new IllegalArgumentException(
                      "context " + key + ": '" + value + "' is not a number", e);
                }
                if (number < min || number > max) {
                  throw new IllegalArgumentException(
                      "context " + key + ": " + number + " is not in " + min + ".." + max);
                }
                return number;
              });
    }

    int divisorOfAnHour(String key, int minutes) {
      if (60 % minutes != 0) {
        throw new IllegalArgumentException(
            "context "
                + key
                + ": "
                + minutes
                + " does not divide an hour; use 5, 6, 10, 12, 15,"
                + " 20, 30 or 60");
      }
      return minutes;
    }

    <E extends Enum<E>> E choice(String key, String value, E[] choices) {
      return Arrays.stream(choices)
          .filter(choice -> choice.name().equalsIgnoreCase(value))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "context "
                          + key
                          + ": '"
                          + value
                          + "' is not one of "
                          + Arrays.stream(choices)
                              .map(choice -> choice.name().toLowerCase(Locale.ROOT))
                              .toList()));
    }
  }
}
