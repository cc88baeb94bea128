package dev.tracelake.query.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.tracelake.query.api.GoDuration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Service level objectives and the alerting rules that turn breaches of them into incidents: what
 * the SLA and incident reports measure against. Read from an SLO file (YAML, or JSON, which YAML
 * reads too):
 *
 * <pre>{@code
 * defaults:                      # every service without its own objectives
 *   availability: 0.999          # share of entry spans that do not fail
 *   latency_p95_ms: 500          # p95 of entry span durations, in ms
 * services:
 *   checkout:
 *     availability: 0.995
 *     operations:                # optional: objectives of single operations (span names)
 *       "POST /api/checkout": {latency_p95_ms: 1500}
 * alerting:                      # optional: these are the defaults
 *   hold: 5m
 *   rules:
 *     - {kind: errors, long: 1h, short: 5m, burn_rate: 14.4}
 *     - {kind: errors, long: 6h, short: 30m, burn_rate: 6}
 *     - {kind: latency, long: 1h, short: 5m, burn_rate: 2}
 * }</pre>
 *
 * @param objectives the default objective first (no service, no operation, both fields set), then
 *     those of services and operations, whose missing fields fall back to the next wider objective
 * @param rules when an incident is detected
 * @param hold how long a service must stay within its objective for an incident to be resolved
 */
public record SloPolicy(List<Objective> objectives, List<AlertRule> rules, Duration hold) {
  /** The availability objective when the SLO file gives none: three nines. */
  public static final double DEFAULT_AVAILABILITY = 0.999;

  /** The p95 latency objective when the SLO file gives none, in ms. */
  public static final double DEFAULT_LATENCY_P95_MS = 500;

  /**
   * The page-worthy rules of Google's SRE workbook (chapter 5, "Alerting on SLOs") for errors: 2%
   * of a 30-day budget spent in an hour, or 5% in six hours. For latency the budget is 5% of the
   * requests (the objective is a p95), so the highest possible burn rate is 20 and 14.4 would need
   * 72% of an hour's requests to be slow; a burn rate of 2 (10% slow over the last hour and the
   * last five minutes) is the latency rule instead.
   */
  public static final List<AlertRule> DEFAULT_RULES =
      List.of(
          new AlertRule(IncidentKind.ERRORS, Duration.ofHours(1), Duration.ofMinutes(5), 14.4),
          new AlertRule(IncidentKind.ERRORS, Duration.ofHours(6), Duration.ofMinutes(30), 6),
          new AlertRule(IncidentKind.LATENCY, Duration.ofHours(1), Duration.ofMinutes(5), 2));

  /** The default hold time: a service back within its objective this long is resolved. */
  public static final Duration DEFAULT_HOLD = Duration.ofMinutes(5);

  private static final Gson GSON = new GsonBuilder().serializeNulls().create();

  /** The keys of an objective; a service's may also hold its operations' objectives. */
  private static final Set<String> OBJECTIVE_KEYS = Set.of("availability", "latency_p95_ms");

  private static final Set<String> SERVICE_KEYS =
      Set.of("availability", "latency_p95_ms", "operations");

  /**
   * The objectives of a service, or of one of its operations.
   *
   * @param service the service, or null for the default
   * @param operation the operation (span name), or null for the whole service
   * @param availability the share of entry spans that must not fail, in (0, 1), or null to inherit
   * @param latencyMs the most the p95 of entry span durations may be, in ms, or null to inherit
   */
  public record Objective(String service, String operation, Double availability, Double latencyMs) {
    public Objective {
      if (availability != null && !(availability > 0 && availability < 1)) {
        throw new IllegalArgumentException(
            where(service, operation)
                + "availability is a share between 0 and 1 exclusive, e.g. 0.999, not "
                + availability);
      }
      if (latencyMs != null && !(latencyMs > 0)) {
        throw new IllegalArgumentException(
            where(service, operation) + "latency_p95_ms must be positive, not " + latencyMs);
      }
    }
  }

  /**
   * A multiwindow burn-rate rule: it fires when the error budget burned at least {@code burnRate}
   * times as fast as the objective allows over both windows, which end at the same minute.
   */
  public record AlertRule(
      IncidentKind kind, Duration longWindow, Duration shortWindow, double burnRate) {
    public AlertRule {
      if (shortWindow.toMinutes() < 1
          || longWindow.compareTo(shortWindow) < 0
          || longWindow.toSecondsPart() != 0
          || shortWindow.toSecondsPart() != 0) {
        throw new IllegalArgumentException(
            "an alerting rule's windows are whole minutes, the long one at least as long as the"
                + " short one: long "
                + longWindow
                + ", short "
                + shortWindow);
      }
      if (!(burnRate > 0)) {
        throw new IllegalArgumentException(
            "an alerting rule's burn_rate must be positive, not " + burnRate);
      }
    }
  }

  public SloPolicy {
    objectives = List.copyOf(objectives);
    rules = List.copyOf(rules);
    Objective fallback = objectives.isEmpty() ? null : objectives.get(0);
    if (fallback == null
        || fallback.service() != null
        || fallback.operation() != null
        || fallback.availability() == null
        || fallback.latencyMs() == null) {
      throw new IllegalArgumentException(
          "the first objective is the default: no service or operation, both fields set");
    }
    if (hold.isNegative() || hold.toSecondsPart() != 0) {
      throw new IllegalArgumentException("the hold time is whole minutes, not " + hold);
    }
  }

  /** The defaults: 99.9% availability, p95 under 500 ms, the default rules and hold time. */
  public static SloPolicy defaults() {
    return new SloPolicy(
        List.of(new Objective(null, null, DEFAULT_AVAILABILITY, DEFAULT_LATENCY_P95_MS)),
        DEFAULT_RULES,
        DEFAULT_HOLD);
  }

  /**
   * Reads an SLO file.
   *
   * @throws IllegalArgumentException naming the file and what in it is wrong
   */
  public static SloPolicy read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the SLO file " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses the text of an SLO file, YAML or JSON.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static SloPolicy parse(String text) {
    Object document;
    try {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (YAMLException e) {
      throw new IllegalArgumentException("not YAML or JSON: " + e.getMessage(), e);
    }
    Map<String, Object> root =
        document == null
            ? Map.of()
            : map(document, "the SLO file", Set.of("defaults", "services", "alerting"));
    List<Objective> objectives = new ArrayList<>();
    Objective given = objective(null, null, root.get("defaults"), "defaults");
    objectives.add(
        new Objective(
            null,
            null,
            given.availability() == null ? DEFAULT_AVAILABILITY : given.availability(),
            given.latencyMs() == null ? DEFAULT_LATENCY_P95_MS : given.latencyMs()));
    if (root.get("services") != null) {
      for (Map.Entry<String, Object> service :
          map(root.get("services"), "services", null).entrySet()) {
        String name = service.getKey();
        Map<String, Object> spec = map(service.getValue(), "services." + name, SERVICE_KEYS);
        objectives.add(objective(name, null, spec, "services." + name));
        if (spec.get("operations") != null) {
          for (Map.Entry<String, Object> operation :
              map(spec.get("operations"), "services." + name + ".operations", null).entrySet()) {
            objectives.add(
                objective(
                    name,
                    operation.getKey(),
                    operation.getValue(),
                    "services." + name + ".operations." + operation.getKey()));
          }
        }
      }
    }
    List<AlertRule> rules = DEFAULT_RULES;
    Duration hold = DEFAULT_HOLD;
    if (root.get("alerting") != null) {
      Map<String, Object> alerting = map(root.get("alerting"), "alerting", Set.of("hold", "rules"));
      if (alerting.get("hold") != null) {
        hold = duration(alerting.get("hold"), "alerting.hold");
      }
      if (alerting.get("rules") != null) {
        rules = rules(alerting.get("rules"));
      }
    }
    return new SloPolicy(objectives, rules, hold);
  }

  /** The longest window of any rule: how far before a report's window its rules must see. */
  public Duration longestWindow() {
    return rules.stream()
        .map(AlertRule::longWindow)
        .max(Comparator.naturalOrder())
        .orElse(Duration.ZERO);
  }

  /**
   * The objectives as the report SQL binds them: {@code [{"service", "operation", "availability",
   * "latency_ms"}]}.
   */
  public String objectivesJson() {
    return GSON.toJson(
        objectives.stream()
            .map(
                objective -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("service", objective.service());
                  row.put("operation", objective.operation());
                  row.put("availability", objective.availability());
                  row.put("latency_ms", objective.latencyMs());
                  return row;
                })
            .toList());
  }

  /**
   * The rules as the report SQL binds them: {@code [{"kind", "long_minutes", "short_minutes",
   * "burn_rate"}]}.
   */
  public String rulesJson() {
    return GSON.toJson(
        rules.stream()
            .map(
                rule ->
                    Map.of(
                        "kind", rule.kind().label(),
                        "long_minutes", rule.longWindow().toMinutes(),
                        "short_minutes", rule.shortWindow().toMinutes(),
                        "burn_rate", rule.burnRate()))
            .toList());
  }

  /** An objective from its mapping in the file (null: nothing given). */
  private static Objective objective(String service, String operation, Object spec, String where) {
    if (spec == null) {
      return new Objective(service, operation, null, null);
    }
    Map<String, Object> fields =
        map(spec, where, service != null && operation == null ? SERVICE_KEYS : OBJECTIVE_KEYS);
    return new Objective(
        service,
        operation,
        number(fields.get("availability"), where + ".availability"),
        number(fields.get("latency_p95_ms"), where + ".latency_p95_ms"));
  }

  private static List<AlertRule> rules(Object spec) {
    if (!(spec instanceof List<?> list)) {
      throw new IllegalArgumentException("alerting.rules is a list of rules");
    }
    List<AlertRule> rules = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "alerting.rules[" + i + "]";
      Map<String, Object> rule =
          map(list.get(i), where, Set.of("kind", "long", "short", "burn_rate"));
      for (String key : List.of("kind", "long", "short", "burn_rate")) {
        if (rule.get(key) == null) {
          throw new IllegalArgumentException(where + " needs " + key);
        }
      }
      rules.add(
          new AlertRule(
              IncidentKind.of(String.valueOf(rule.get("kind"))),
              duration(rule.get("long"), where + ".long"),
              duration(rule.get("short"), where + ".short"),
              number(rule.get("burn_rate"), where + ".burn_rate")));
    }
    return rules;
  }

  /** A mapping with string keys, all of them among {@code allowed} (null: any key). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String where, Set<String> allowed) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(where + " is a mapping, not '" + value + "'");
    }
    for (Object key : map.keySet()) {
      if (!(key instanceof String) || (allowed != null && !allowed.contains(key))) {
        throw new IllegalArgumentException(
            where
                + " has an unknown key '"
                + key
                + "'"
                + (allowed == null ? "" : "; known: " + allowed));
      }
    }
    return (Map<String, Object>) map;
  }

  private static Double number(Object value, String where) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException(where + " is a number, not '" + value + "'");
    }
    return number.doubleValue();
  }

  private static Duration duration(Object value, String where) {
    try {
      return Duration.ofNanos(GoDuration.parseNanos(String.valueOf(value)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static String where(String service, String operation) {
    if (service == null) {
      return "defaults: ";
    }
    return operation == null
        ? "services." + service + ": "
        : "services." + service + ".operations." + operation + ": ";
  }
}
