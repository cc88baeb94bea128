package dev.tracelake.compaction;

import dev.tracelake.query.TimeRange;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Compaction on a schedule inside a long-running process ({@code tracelake serve}), as the deployed
 * stack runs its compaction function: every interval, on a daemon thread, over every hour
 * partition. A run that fails is reported and the next one carries on from where it stopped, as
 * compaction may be stopped anywhere; queries may read meanwhile.
 */
public final class ScheduledCompaction implements AutoCloseable {
  private final ScheduledExecutorService executor;

  private ScheduledCompaction(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /**
   * Starts running the compactor, first after one interval, then one interval after each run ends.
   *
   * @param done hears about each partition a run visits
   * @param failed hears about each run that failed
   */
  public static ScheduledCompaction start(
      Compactor compactor,
      Duration every,
      Consumer<PartitionOutcome> done,
      Consumer<RuntimeException> failed) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "tracelake-compaction");
              thread.setDaemon(true);
              return thread;
            });
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            compactor.compact(TimeRange.ALL, done);
          } catch (RuntimeException e) {
            // Caught, or the executor would never run it again.
            failed.accept(e);
          }
        },
        every.toNanos(),
        every.toNanos(),
        TimeUnit.NANOSECONDS);
    return new ScheduledCompaction(executor);
  }

  /**
   * Stops scheduling runs, and interrupts one in progress: compaction may stop anywhere, and the
   * next run, in this process or another, finishes it.
   */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
