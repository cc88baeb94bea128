package dev.tracelake.load;

import dev.tracelake.index.TraceIndex;
import dev.tracelake.ingest.IngestResult;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.storage.ForwardingObjectStore;
import dev.tracelake.storage.ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.SyntheticTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Synthetic spans stored through the real ingest path: {@link SyntheticTraces} requests, each
 * ingested by a {@link TraceIngester} exactly as a received export request would be, so the objects
 * have the layout, sort order and bloom filters of real ones. Requests are made and ingested on
 * several threads; the same plan always writes the same objects.
 */
public final class SyntheticLoad {
  private static final long HOUR_NANOS = Duration.ofHours(1).toNanos();

  /**
   * What to generate.
   *
   * @param spans spans in all, spread evenly over the hours
   * @param start the first hour, on the hour
   * @param hours how many consecutive hours the spans start in
   * @param batchSpans spans per request, so per object: 512 is the SDK's export batch, larger
   *     batches model compacted data
   * @param seed the seed every request's seed derives from
   */
  public record Plan(long spans, Instant start, int hours, int batchSpans, long seed) {
    public Plan {
      if (spans < 1) {
        throw new IllegalArgumentException("the span count must be at least 1, not " + spans);
      }
      if (hours < 1) {
        throw new IllegalArgumentException("the hour count must be at least 1, not " + hours);
      }
      if (batchSpans < 1) {
        throw new IllegalArgumentException("a batch holds at least 1 span, not " + batchSpans);
      }
      if (!start.truncatedTo(ChronoUnit.HOURS).equals(start)) {
        throw new IllegalArgumentException("the start must be on the hour, not " + start);
      }
    }

    /** The plan whose hours end with the hour before the current one. */
    public static Plan endingNow(long spans, int hours, int batchSpans, long seed) {
      Instant thisHour = Instant.now().truncatedTo(ChronoUnit.HOURS);
      return new Plan(spans, thisHour.minus(Duration.ofHours(hours)), hours, batchSpans, seed);
    }

    /** When the last hour ends. */
    public Instant end() {
      return start.plus(Duration.ofHours(hours));
    }
  }

  /**
   * What was written.
   *
   * @param spans spans stored
   * @param objects objects written
   * @param bytes their total size
   * @param elapsed wall-clock time
   */
  public record Result(long spans, long objects, long bytes, Duration elapsed) {
    public double spansPerSecond() {
      return spans / Math.max(elapsed.toNanos() / 1e9, 1e-9);
    }
  }

  /** One request: its hour and its place in the plan. */
  /** The {@code inHour}-th of the {@code ofHour} batches of an hour, and the {@code number}-th. */
  private record Batch(int hour, int inHour, int ofHour, long number, int spans) {}

  private SyntheticLoad() {}

  /**
   * Generates the plan's spans and stores them.
   *
   * @param threads how many requests to make and ingest at once
   */
  public static Result write(
      Plan plan, ObjectStore objects, SpanObjectKeys keys, TraceIndex index, int threads)
      throws InterruptedException {
    CountingObjectStore counting = new CountingObjectStore(objects);
    TraceIngester ingester = new TraceIngester(counting, keys, index);
    List<Batch> batches = batches(plan);
    AtomicInteger next = new AtomicInteger();
    LongAdder spans = new LongAdder();
    LongAdder objectCount = new LongAdder();
    long started = System.nanoTime();
    ExecutorService workers = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        running.add(
            workers.submit(
                () -> {
                  for (int b = next.getAndIncrement();
                      b < batches.size();
                      b = next.getAndIncrement()) {
                    ExportTraceServiceRequest request = request(plan, batches.get(b));
                    // The serialized request names the objects, as a received body would.
                    IngestResult result = ingester.ingest(request, request.toByteArray());
                    spans.add(result.acceptedSpans());
                    objectCount.add(result.objectKeys().size());
                  }
                }));
      }
      for (Future<?> worker : running) {
        try {
          worker.get();
        } catch (ExecutionException e) {
          next.set(batches.size()); // the other workers stop after their current batch
          throw e.getCause() instanceof RuntimeException runtime
              ? runtime
              : new IllegalStateException(e.getCause());
        }
      }
    } finally {
      workers.shutdownNow();
    }
    return new Result(
        spans.sum(),
        objectCount.sum(),
        counting.bytes.sum(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * The plan's requests, the same ones {@link #write} stores, in order; a parallel stream makes
   * them on several threads.
   */
  public static Stream<ExportTraceServiceRequest> requests(Plan plan) {
    return batches(plan).stream().map(batch -> request(plan, batch));
  }

  /**
   * A batch's request: its traces start in its share of the hour, the batches of an hour one after
   * another, as an exporter sends the traces of the last few seconds each time.
   */
  private static ExportTraceServiceRequest request(Plan plan, Batch batch) {
    long share = HOUR_NANOS / batch.ofHour();
    return SyntheticTraces.request(
        seed(plan.seed(), batch.number()),
        batch.spans(),
        plan.start().plusNanos(batch.hour() * HOUR_NANOS),
        Duration.ofNanos(batch.inHour() * share),
        Duration.ofNanos(share));
  }

  /** The requests of the plan: each hour's spans cut into batches of batchSpans, then the rest. */
  private static List<Batch> batches(Plan plan) {
    List<Batch> batches = new ArrayList<>();
    long number = 0;
    for (int hour = 0; hour < plan.hours(); hour++) {
      // The first hours take one span more when the count does not divide evenly.
      long hourSpans = plan.spans() / plan.hours() + (hour < plan.spans() % plan.hours() ? 1 : 0);
      int ofHour = (int) ((hourSpans + plan.batchSpans() - 1) / plan.batchSpans());
      int inHour = 0;
      for (long left = hourSpans; left > 0; left -= plan.batchSpans()) {
        batches.add(
            new Batch(hour, inHour++, ofHour, number++, (int) Math.min(left, plan.batchSpans())));
      }
    }
    return batches;
  }

  /**
   * A request's seed: distinct for every batch of a plan (a bijective mix of distinct inputs), and
   * unrelated to its neighbours'.
   */
  static long seed(long planSeed, long batch) {
    long z = planSeed + (batch + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Counts the bytes stored, which the ingest result does not report. */
  private static final class CountingObjectStore extends ForwardingObjectStore {
    private final LongAdder bytes = new LongAdder();

    CountingObjectStore(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public void put(String key, byte[] content) {
      super.put(key, content);
      bytes.add(content.length);
    }
  }
}
