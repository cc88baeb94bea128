package dev.tracelake.query;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Duration;

/**
 * Hears how a fetch of span objects from S3 into the local cache advances, e.g. to tell someone
 * waiting at a terminal. Calls for one fetch are serialized, but may come from download threads.
 */
@FunctionalInterface
public interface FetchProgress {
  /** Tells no one. */
  FetchProgress NONE = (objectsDone, objectsTotal, bytesDone) -> {};

  /**
   * Called once with {@code objectsDone == 0} when a fetch starts, then after each object, the last
   * time with {@code objectsDone == objectsTotal} (unless the fetch fails). Only objects not cached
   * yet count: a fetch of nothing is not reported at all.
   *
   * @param bytesDone bytes of the fetched objects so far
   */
  void update(int objectsDone, int objectsTotal, long bytesDone);

  /**
   * A progress line on standard error, rewritten in place, that appears only once a fetch has taken
   * about a second: quick fetches print nothing.
   */
  static FetchProgress toStandardError() {
    return to(new PrintWriter(System.err, true, Charset.defaultCharset()));
  }

  /** The same progress line on another writer, e.g. the CLI's error writer. */
  static FetchProgress to(PrintWriter out) {
    return new TerminalFetchProgress(out, Duration.ofSeconds(1), System::nanoTime);
  }
}
