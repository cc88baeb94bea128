package dev.tracelake.compaction;

import com.google.gson.Gson;
import dev.tracelake.query.report.SloPolicy;
import dev.tracelake.spans.HourPartition;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tail-based retention: every trace is kept while its hour is in the hot window; after it,
 * compaction keeps only the traces that matter, decided from the whole trace, and drops the others.
 * The partition's aggregates, written before, still count every span, so reports keep their totals.
 * {@code sql/compaction/drop_unretained.sql} applies it.
 *
 * @param hot how long after its hour ends a partition keeps every trace; null: retention is off
 * @param objectives the latency objectives a root span is measured against: a trace whose root took
 *     longer than its operation's objective is kept
 * @param attributes attributes that keep a trace when one of its spans carries one, key to value
 * @param sampleRate the share of the other traces kept, 0 to 1, chosen by a hash of the trace ID
 */
public record RetentionPolicy(
    Duration hot, SloPolicy objectives, Map<String, String> attributes, double sampleRate) {

  /** Keeps every span. */
  public static final RetentionPolicy OFF =
      new RetentionPolicy(null, SloPolicy.defaults(), Map.of(), 1);

  private static final Gson GSON = new Gson();

  public RetentionPolicy {
    if (hot != null && hot.isNegative()) {
      throw new IllegalArgumentException("the hot window must not be negative");
    }
    if (!(sampleRate >= 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("the sample rate is a share, from 0 to 1: " + sampleRate);
    }
    attributes = Map.copyOf(attributes);
  }

  /** The share of other traces kept when no rate is configured. */
  public static final double DEFAULT_SAMPLE_RATE = 0.05;

  /**
   * Attribute rules from {@code key=value} texts.
   *
   * @throws IllegalArgumentException naming a text that is not {@code key=value}
   */
  public static Map<String, String> attributes(List<String> rules) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String rule : rules) {
      int equals = rule.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException(
            "an attribute rule is key=value, such as tenant=acme: '" + rule + "'");
      }
      attributes.put(rule.substring(0, equals).strip(), rule.substring(equals + 1).strip());
    }
    return attributes;
  }

  /** Whether the partition is past the hot window at {@code now}, so that retention applies. */
  public boolean appliesTo(HourPartition partition, Instant now) {
    return hot != null && !partition.end().plus(hot).isAfter(now);
  }

  /** The attributes as {@code drop_unretained.sql} takes them: [{"key", "value"}]. */
  String attributesJson() {
    return GSON.toJson(
        attributes.entrySet().stream()
            .map(attribute -> Map.of("key", attribute.getKey(), "value", attribute.getValue()))
            .toList());
  }
}
