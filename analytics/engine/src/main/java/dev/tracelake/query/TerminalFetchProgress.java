package dev.tracelake.query;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@link FetchProgress} as one line on a terminal, rewritten with a carriage return, shown only
 * once a fetch has lasted longer than a delay so that cache hits and small fetches stay silent.
 */
final class TerminalFetchProgress implements FetchProgress {
  private final PrintWriter out;
  private final long delayNanos;
  private final LongSupplier nanoTime;
  private long startNanos;
  private boolean shown;

  TerminalFetchProgress(PrintWriter out, Duration delay, LongSupplier nanoTime) {
    this.out = out;
    this.delayNanos = delay.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public synchronized void update(int objectsDone, int objectsTotal, long bytesDone) {
    if (objectsDone == 0) {
      startNanos = nanoTime.getAsLong();
      shown = false;
    }
    boolean last = objectsDone == objectsTotal;
    if (!shown && nanoTime.getAsLong() - startNanos < delayNanos) {
      return;
    }
    shown = true;
    out.printf(
        Locale.ROOT,
        "\rFetching span objects from S3: %d/%d (%.1f MB)%s",
        objectsDone,
        objectsTotal,
        bytesDone / 1e6,
        last ? System.lineSeparator() : "");
    out.flush();
  }
}
