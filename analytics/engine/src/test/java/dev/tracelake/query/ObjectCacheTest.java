package dev.tracelake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's own rules, with downloads that write made-up bytes. */
class ObjectCacheTest {
  @TempDir Path directory;

  private final AtomicInteger downloads = new AtomicInteger();

  private boolean download(String name, Path file) throws IOException {
    downloads.incrementAndGet();
    Files.writeString(file, name);
    return true;
  }

  @Test
  void oneProcessUsesADirectoryAtATime() {
    try (ObjectCache first = new ObjectCache(directory, 1000)) {
      assertThatThrownBy(() -> new ObjectCache(directory, 1000))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another process");
    }
    new ObjectCache(directory, 1000).close();
  }

  @Test
  void aNameMayNotLeaveTheDirectory() {
    try (ObjectCache cache = new ObjectCache(directory.resolve("cache"), 1000);
        ObjectCache.Lease lease = cache.lease()) {
      for (String name : List.of("bucket/../../outside", ".lock", "../outside")) {
        assertThatThrownBy(
                () ->
                    cache.fetch(
                        lease,
                        List.of(new ObjectCache.Wanted(name, -1)),
                        this::download,
                        FetchProgress.NONE))
            .as(name)
            .isInstanceOf(IllegalArgumentException.class);
      }
      assertThat(downloads).hasValue(0);
    }
  }

  @Test
  void aFailedDownloadLeavesNothingAndIsRetriedByTheNextFetch() throws IOException {
    try (ObjectCache cache = new ObjectCache(directory, 1000);
        ObjectCache.Lease lease = cache.lease()) {
      List<ObjectCache.Wanted> wanted = List.of(new ObjectCache.Wanted("bucket/a", -1));
      assertThatThrownBy(
              () ->
                  cache.fetch(
                      lease,
                      wanted,
                      (name, file) -> {
                        Files.writeString(file, "half");
                        throw new IOException("connection reset");
                      },
                      FetchProgress.NONE))
          .hasRootCauseMessage("connection reset");
      assertThat(directory.resolve("bucket/a")).doesNotExist();
      assertThat(directory.resolve(".partial")).isEmptyDirectory();
      assertThat(cache.sizeInBytes()).isZero();

      assertThat(cache.fetch(lease, wanted, this::download, FetchProgress.NONE))
          .containsExactly(directory.resolve("bucket/a"));
      assertThat(directory.resolve("bucket/a")).hasContent("bucket/a");
    }
  }

  @Test
  void concurrentFetchesOfAnObjectDownloadItOnce() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<ObjectCache.Wanted> wanted = List.of(new ObjectCache.Wanted("bucket/a", 8));
    try (ObjectCache cache = new ObjectCache(directory, 1000);
        ObjectCache.Lease first = cache.lease();
        ObjectCache.Lease second = cache.lease()) {
      CompletableFuture<List<Path>> slow =
          CompletableFuture.supplyAsync(
              () ->
                  cache.fetch(
                      first,
                      wanted,
                      (name, file) -> {
                        started.countDown();
                        awaitRelease(release);
                        return download(name, file);
                      },
                      FetchProgress.NONE));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<List<Path>> waiting =
          CompletableFuture.supplyAsync(
              () -> cache.fetch(second, wanted, this::download, FetchProgress.NONE));
      release.countDown();

      assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(slow.get(10, TimeUnit.SECONDS));
      assertThat(downloads).hasValue(1);
    }
  }

  private static void awaitRelease(CountDownLatch release) throws IOException {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new InterruptedIOException();
    }
  }

  @Test
  void progressCountsTheDownloadsOnly() {
    StringBuilder updates = new StringBuilder();
    try (ObjectCache cache = new ObjectCache(directory, 1000);
        ObjectCache.Lease lease = cache.lease()) {
      cache.fetch(
          lease,
          List.of(new ObjectCache.Wanted("bucket/a", -1)),
          this::download,
          FetchProgress.NONE);
      cache.fetch(
          lease,
          List.of(new ObjectCache.Wanted("bucket/a", -1), new ObjectCache.Wanted("bucket/bb", -1)),
          this::download,
          (done, total, bytes) ->
              updates.append(done).append('/').append(total).append(':').append(bytes).append(' '));
    }
    assertThat(updates).hasToString("0/1:0 1/1:9 ");
  }
}
