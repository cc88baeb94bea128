package dev.tracelake.synthetic;

import dev.tracelake.synthetic.ScenarioTraffic.Incident;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The fixed shop that {@link ScenarioTraffic} simulates: five instrumented services, two
 * uninstrumented peers, and how long each takes.
 *
 * <pre>
 *   gateway ──HTTP──▶ catalog ──HTTP──▶ (inventory-legacy)   CLIENT span, peer.service, no child
 *      │
 *      └─────HTTP──▶ orders ──JDBC──▶ (postgresql)           CLIENT span, db.system, no child
 *                      ├──HTTP──▶ payments
 *                      └──Kafka─▶ notifier                    PRODUCER span → CONSUMER span
 * </pre>
 *
 * <p>Every trace is one request to the gateway, whose SERVER span is the root:
 *
 * <ul>
 *   <li>40% {@code GET /api/products/{productId}}: gateway → catalog, which asks inventory-legacy
 *       for the stock on a cache miss (half of its requests).
 *   <li>20% {@code GET /api/orders/{orderId}}: gateway → orders → {@code SELECT orders}.
 *   <li>40% {@code POST /api/orders}: gateway → orders → {@code INSERT orders}, {@code POST
 *       /payments}, {@code UPDATE orders}, then publishes {@code order.created} to notifier, but
 *       only if neither orders nor payments failed.
 * </ul>
 *
 * <p>So the edges are gateway→catalog, gateway→orders, orders→payments, orders→notifier and the
 * virtual orders→postgresql and catalog→inventory-legacy, each with its own call count.
 *
 * <p><b>Latency.</b> Every span encloses its children, and a service's calls run one after the
 * other, so an entry span lasts the service's own work plus its calls. Own work is log-normal,
 * clamped to a range (milliseconds):
 *
 * <pre>
 *   own work of    median  sigma  range      healthy entry span at most
 *   gateway           4     0.5   1–25       235 ms
 *   catalog          12     0.4   4–50       140 ms
 *   orders            8     0.4   3–30       208 ms
 *   payments         45     0.3   20–100     100 ms
 *   notifier          6     0.5   2–30        30 ms
 *   postgresql query  2     0.6   0.5–20
 *   inventory-legacy 25     0.5   8–90
 * </pre>
 *
 * <p>An HTTP call adds 0.2–1 ms of network each way; a Kafka message takes 1–5 ms to reach the
 * consumer, and the publish is acknowledged 0.2–1 ms after the consumer is done (the PRODUCER span
 * encloses the CONSUMER span). So no healthy entry span exceeds {@link #HEALTHY_LATENCY_MAX}, and
 * every service's p95 stays well under 200 ms.
 *
 * <p>A LATENCY incident adds {@link #INCIDENT_DELAY_MIN} to {@link #INCIDENT_DELAY_MAX} (uniform)
 * to the own work of every entry span of its service that starts in the incident, so each of them
 * lasts at least 1 s. Calls are synchronous, so the {@link #upstreamCallers upstream callers} of a
 * slow service are slow too in the traces that reach it: a slow payments or notifier slows orders
 * and gateway, a slow catalog or orders slows gateway. {@link #latencyObjectives} gives objectives
 * that only the services with a LATENCY incident breach.
 */
public final class ScenarioTopology {
  /** The entry point: its SERVER span is the root of every trace. */
  public static final String GATEWAY = "gateway";

  public static final String CATALOG = "catalog";
  public static final String ORDERS = "orders";
  public static final String PAYMENTS = "payments";
  public static final String NOTIFIER = "notifier";

  /** The uninstrumented stock service catalog calls, named by {@code peer.service}. */
  public static final String INVENTORY_LEGACY = "inventory-legacy";

  /** orders' database, named by {@code db.system}. */
  public static final String POSTGRESQL = "postgresql";

  /**
   * No entry span lasts longer unless a LATENCY incident slows it down or it waits for one that is.
   */
  public static final Duration HEALTHY_LATENCY_MAX = Duration.ofMillis(250);

  /** The least a LATENCY incident adds to an entry span of its service. */
  public static final Duration INCIDENT_DELAY_MIN = Duration.ofMillis(1000);

  /** The most a LATENCY incident adds to an entry span of its service (exclusive). */
  public static final Duration INCIDENT_DELAY_MAX = Duration.ofMillis(1500);

  /** The probability that an entry span of a service in an ERRORS incident fails. */
  public static final double INCIDENT_ERROR_SHARE = 0.5;

  /**
   * The objective of a service that is neither slow nor calls a slow service: between {@link
   * #HEALTHY_LATENCY_MAX} and {@link #INCIDENT_DELAY_MIN}.
   */
  public static final Duration STRICT_LATENCY_OBJECTIVE = Duration.ofMillis(800);

  /**
   * The objective of a service that calls a slow one: longer than any span of the scenario, which
   * lasts at most 4 × 1.5 s of incident delays (a whole call chain slow at once) plus 235 ms.
   */
  public static final Duration LENIENT_LATENCY_OBJECTIVE = Duration.ofSeconds(10);

  private static final Map<String, List<String>> DIRECT_CALLERS =
      Map.of(
          GATEWAY, List.of(),
          CATALOG, List.of(GATEWAY),
          ORDERS, List.of(GATEWAY),
          PAYMENTS, List.of(ORDERS),
          NOTIFIER, List.of(ORDERS));

  private static final Map<String, Latency> OWN_WORK =
      Map.of(
          GATEWAY, new Latency(4, 0.5, 1, 25),
          CATALOG, new Latency(12, 0.4, 4, 50),
          ORDERS, new Latency(8, 0.4, 3, 30),
          PAYMENTS, new Latency(45, 0.3, 20, 100),
          NOTIFIER, new Latency(6, 0.5, 2, 30));

  static final Latency POSTGRESQL_QUERY = new Latency(2, 0.6, 0.5, 20);
  static final Latency INVENTORY_LOOKUP = new Latency(25, 0.5, 8, 90);

  private ScenarioTopology() {}

  /** The instrumented services, callers before callees. */
  public static List<String> services() {
    return List.of(GATEWAY, CATALOG, ORDERS, PAYMENTS, NOTIFIER);
  }

  /**
   * The services whose entry spans enclose, directly or through other services, a call to {@code
   * service}: those a LATENCY incident on it slows down as well.
   */
  public static Set<String> upstreamCallers(String service) {
    requireService(service);
    Set<String> callers = new LinkedHashSet<>();
    Deque<String> pending = new ArrayDeque<>(DIRECT_CALLERS.get(service));
    while (!pending.isEmpty()) {
      String caller = pending.removeFirst();
      if (callers.add(caller)) {
        pending.addAll(DIRECT_CALLERS.get(caller));
      }
    }
    return callers;
  }

  /**
   * A latency objective per service (no entry span may last longer) that exactly the services with
   * a LATENCY incident breach: {@link #LENIENT_LATENCY_OBJECTIVE} for the upstream callers of a
   * slow service that are not slow themselves, {@link #STRICT_LATENCY_OBJECTIVE} for every other
   * service.
   */
  public static Map<String, Duration> latencyObjectives(Collection<Incident> incidents) {
    Set<String> slow = new LinkedHashSet<>();
    for (Incident incident : incidents) {
      if (incident.kind() == Incident.Kind.LATENCY) {
        slow.add(incident.service());
      }
    }
    Set<String> callersOfSlow = new LinkedHashSet<>();
    slow.forEach(service -> callersOfSlow.addAll(upstreamCallers(service)));
    Map<String, Duration> objectives = new LinkedHashMap<>();
    for (String service : services()) {
      boolean lenient = callersOfSlow.contains(service) && !slow.contains(service);
      objectives.put(service, lenient ? LENIENT_LATENCY_OBJECTIVE : STRICT_LATENCY_OBJECTIVE);
    }
    return objectives;
  }

  static Latency ownWork(String service) {
    return OWN_WORK.get(service);
  }

  static void requireService(String service) {
    if (!DIRECT_CALLERS.containsKey(service)) {
      throw new IllegalArgumentException(
          "not an instrumented service of the scenario: " + service + "; one of " + services());
    }
  }

  /** A log-normal duration in milliseconds, clamped to [min, max]. */
  record Latency(double medianMs, double sigma, double minMs, double maxMs) {
    long drawNanos(SplittableRandom random) {
      double ms = medianMs * StrictMath.exp(sigma * gaussian(random));
      return (long) (Math.min(maxMs, Math.max(minMs, ms)) * 1_000_000);
    }

    /** Box–Muller with StrictMath, so that every JVM draws the same durations from a seed. */
    private static double gaussian(SplittableRandom random) {
      double u = 1 - random.nextDouble(); // in (0, 1], so that the log is finite
      double v = random.nextDouble();
      return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * StrictMath.PI * v);
    }
  }
}
