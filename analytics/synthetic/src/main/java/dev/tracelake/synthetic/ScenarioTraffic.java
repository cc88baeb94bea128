package dev.tracelake.synthetic;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Deterministic OTLP traffic of the {@link ScenarioTopology shop} with injected incidents, and the
 * {@link ScenarioTruth ground truth} of what it contains, for tests of the dependency graph, SLO
 * and incident reports.
 *
 * <pre>{@code
 * ScenarioTraffic traffic =
 *     ScenarioTraffic.generate(
 *         ScenarioTraffic.Config.builder(Instant.parse("2025-03-14T09:00:00Z"))
 *             .length(Duration.ofHours(3))
 *             .incident(new Incident("payments", Incident.Kind.LATENCY, from, to))
 *             .singleError(new SingleError("catalog", at))
 *             .build());
 * traffic.requestBodies().forEach(body -> post("/v1/traces", body));
 * ScenarioTruth truth = traffic.truth();
 * }</pre>
 *
 * <p>Each minute holds {@link Config#tracesPerMinute()} traces, one per equal slot of the minute,
 * starting at a random point of it, and becomes one export request. Whether an entry span fails or
 * is slowed down depends on its own start time:
 *
 * <ul>
 *   <li>In an ERRORS incident, each entry span of the service fails with probability {@value
 *       ScenarioTopology#INCIDENT_ERROR_SHARE}: status ERROR, an exception event and, for HTTP,
 *       status code 500. Callers handle the failure: their spans keep status UNSET.
 *   <li>In a LATENCY incident, the service's entry spans last 1 to 1.5 s more, and so do those of
 *       its upstream callers that wait for them; see {@link ScenarioTopology}.
 *   <li>A single error fails the first entry span of its service, in trace start order, that starts
 *       at or after its instant.
 *   <li>Outside those, entry spans and the calls to uninstrumented peers fail with the background
 *       error rate (0 by default). A failed peer call is handled by its caller too.
 * </ul>
 *
 * <p>The same config always gives the same bytes, and adding an incident changes only the traces it
 * hits (minute 2 of a trace may still be hit by an incident that starts at minute 3).
 */
public final class ScenarioTraffic {
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final Config config;
  private final List<ExportTraceServiceRequest> requests;
  private final ScenarioTruth truth;

  private ScenarioTraffic(
      Config config, List<ExportTraceServiceRequest> requests, ScenarioTruth truth) {
    this.config = config;
    this.requests = requests;
    this.truth = truth;
  }

  /**
   * Generates the traffic the config describes.
   *
   * @throws IllegalStateException if a single error found no entry span of its service to fail
   */
  public static ScenarioTraffic generate(Config config) {
    SplittableRandom random = new SplittableRandom(config.seed());
    Map<String, Resource> resources = ShopTrace.resources(random.split());
    FaultInjector faults = new FaultInjector(config);
    ScenarioTruth.Recorder recorder = new ScenarioTruth.Recorder();
    long startNanos = nanos(config.start());
    long slotNanos = MINUTE_NANOS / config.tracesPerMinute();
    List<ExportTraceServiceRequest> requests = new ArrayList<>();
    for (long minute = 0; minute < config.length().toMinutes(); minute++) {
      ExportBatch batch = new ExportBatch(resources);
      for (int slot = 0; slot < config.tracesPerMinute(); slot++) {
        long traceStart =
            startNanos + minute * MINUTE_NANOS + slot * slotNanos + random.nextLong(slotNanos);
        // A random source per trace: an incident changes the traces it hits, no others.
        new ShopTrace(random.split(), faults, batch, recorder).write(traceStart);
      }
      requests.add(batch.request());
    }
    faults.requireEverySingleErrorPlaced();
    return new ScenarioTraffic(
        config, List.copyOf(requests), recorder.truth(config.incidents(), config.singleErrors()));
  }

  /** The config this traffic was generated from. */
  public Config config() {
    return config;
  }

  /** One export request per minute of traffic, in time order, each with the traces it started. */
  public List<ExportTraceServiceRequest> requests() {
    return requests;
  }

  /**
   * The requests as protobuf bodies for OTLP/HTTP ({@code Content-Type: application/x-protobuf}),
   * in the order of {@link #requests()}.
   */
  public List<byte[]> requestBodies() {
    return requests.stream().map(ExportTraceServiceRequest::toByteArray).toList();
  }

  /** What the requests contain, counted as their spans were written. */
  public ScenarioTruth truth() {
    return truth;
  }

  /**
   * A period in which one service misbehaves. It hits the entry spans of the service that start in
   * [start, end).
   *
   * @param service one of {@link ScenarioTopology#services()}
   */
  public record Incident(String service, Kind kind, Instant start, Instant end) {
    /** How the service misbehaves. */
    public enum Kind {
      /** Half of the service's entry spans fail. */
      ERRORS,
      /** The service's entry spans last 1 to 1.5 s more. */
      LATENCY
    }

    /** Checks the service and that the incident does not end before it starts. */
    public Incident {
      ScenarioTopology.requireService(service);
      Objects.requireNonNull(kind, "kind");
      if (!start.isBefore(end)) {
        throw new IllegalArgumentException("incident ends before it starts: " + start + ", " + end);
      }
    }

    boolean hits(String service, Kind kind, long startNanos) {
      return this.service.equals(service)
          && this.kind == kind
          && startNanos >= nanos(start)
          && startNanos < nanos(end);
    }
  }

  /**
   * One error, to show that an error within the error budget opens no incident: the first entry
   * span of the service, in trace start order, that starts at or after {@code at} fails.
   *
   * @param service one of {@link ScenarioTopology#services()}
   */
  public record SingleError(String service, Instant at) {
    /** Checks the service. */
    public SingleError {
      ScenarioTopology.requireService(service);
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * What to generate.
   *
   * @param start the first minute of traffic; must be minute aligned
   * @param length how long traffic lasts; whole minutes
   * @param tracesPerMinute how many traces start in each minute
   * @param seed the seed of every random choice
   * @param incidents the incidents to inject
   * @param singleErrors the isolated errors to inject, each within the traffic
   * @param backgroundErrorRate the probability, in [0, 1), that an entry span or a call to an
   *     uninstrumented peer fails outside the incidents
   */
  public record Config(
      Instant start,
      Duration length,
      int tracesPerMinute,
      long seed,
      List<Incident> incidents,
      List<SingleError> singleErrors,
      double backgroundErrorRate) {
    /** Checks the config. */
    public Config {
      if (start.getNano() != 0 || start.getEpochSecond() % 60 != 0) {
        throw new IllegalArgumentException("start is not minute aligned: " + start);
      }
      if (length.toMinutes() < 1 || !length.equals(Duration.ofMinutes(length.toMinutes()))) {
        throw new IllegalArgumentException("length is not a positive count of minutes: " + length);
      }
      if (tracesPerMinute < 1) {
        throw new IllegalArgumentException("tracesPerMinute < 1: " + tracesPerMinute);
      }
      if (!(backgroundErrorRate >= 0 && backgroundErrorRate < 1)) {
        throw new IllegalArgumentException(
            "backgroundErrorRate not in [0, 1): " + backgroundErrorRate);
      }
      incidents = List.copyOf(incidents);
      singleErrors = List.copyOf(singleErrors);
      Instant end = start.plus(length);
      for (SingleError error : singleErrors) {
        if (error.at().isBefore(start) || !error.at().isBefore(end)) {
          throw new IllegalArgumentException("single error outside the traffic: " + error);
        }
      }
    }

    /** A builder of 3 hours of 60 traces a minute from {@code start}, seed 0, no faults. */
    public static Builder builder(Instant start) {
      return new Builder(start);
    }

    /** The end of the traffic (exclusive): no trace starts at or after it. */
    public Instant end() {
      return start.plus(length);
    }

    /** Builds a {@link Config}; see {@link Config#builder}. */
    public static final class Builder {
      private final Instant start;
      private Duration length = Duration.ofHours(3);
      private int tracesPerMinute = 60;
      private long seed;
      private final List<Incident> incidents = new ArrayList<>();
      private final List<SingleError> singleErrors = new ArrayList<>();
      private double backgroundErrorRate;

      private Builder(Instant start) {
        this.start = start;
      }

      /** How long traffic lasts, in whole minutes. */
      public Builder length(Duration length) {
        this.length = length;
        return this;
      }

      /** How many traces start in each minute. */
      public Builder tracesPerMinute(int tracesPerMinute) {
        this.tracesPerMinute = tracesPerMinute;
        return this;
      }

      /** The seed of every random choice. */
      public Builder seed(long seed) {
        this.seed = seed;
        return this;
      }

      /** Adds an incident. */
      public Builder incident(Incident incident) {
        incidents.add(incident);
        return this;
      }

      /** Adds an isolated error. */
      public Builder singleError(SingleError singleError) {
        singleErrors.add(singleError);
        return this;
      }

      /** The probability that an entry span or a peer call fails outside the incidents. */
      public Builder backgroundErrorRate(double backgroundErrorRate) {
        this.backgroundErrorRate = backgroundErrorRate;
        return this;
      }

      /** The config. */
      public Config build() {
        return new Config(
            start, length, tracesPerMinute, seed, incidents, singleErrors, backgroundErrorRate);
      }
    }
  }

  static long nanos(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }
}
