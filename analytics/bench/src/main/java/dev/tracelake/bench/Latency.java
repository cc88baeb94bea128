package dev.tracelake.bench;

import java.util.Arrays;
import java.util.List;

/** Times queries and reports their latency percentiles, for the benchmarks' tables. */
final class Latency {
  private Latency() {}

  /** A query to time, on one input. */
  interface Query<T> {
    void run(T input) throws Exception;
  }

  /** Something to time once. */
  interface Timed {
    void run() throws Exception;
  }

  /** Latency percentiles of one query, in milliseconds. */
  record Row(String name, String aim, int runs, double p50, double p99, double max) {}

  /** Runs the query on the first inputs unmeasured (warm-up), then once on each input, timed. */
  static <T> Row measure(String name, String aim, List<T> inputs, Query<T> query, int warmUps)
      throws Exception {
    for (int i = 0; i < warmUps; i++) {
      query.run(inputs.get(i % inputs.size()));
    }
    long[] nanos = new long[inputs.size()];
    for (int i = 0; i < inputs.size(); i++) {
      T input = inputs.get(i);
      nanos[i] = time(() -> query.run(input));
    }
    Arrays.sort(nanos);
    Row row =
        new Row(
            name,
            aim,
            nanos.length,
            percentile(nanos, 0.50),
            percentile(nanos, 0.99),
            nanos[nanos.length - 1] / 1e6);
    System.out.printf("%s: p50 %,.1f ms, p99 %,.1f ms%n", name, row.p50(), row.p99());
    return row;
  }

  /** Nanoseconds the call took. */
  static long time(Timed timed) throws Exception {
    long started = System.nanoTime();
    timed.run();
    return System.nanoTime() - started;
  }

  /** The nearest-rank percentile of sorted values, in milliseconds. */
  private static double percentile(long[] sorted, double fraction) {
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(rank, 1) - 1] / 1e6;
  }
}
