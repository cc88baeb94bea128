package dev.tracelake.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A local directory of copies of immutable remote objects, bounded in bytes, evicting the least
 * recently used first. A copy never goes stale, since the objects never change.
 *
 * <p>Each object lives at {@code <directory>/<name>}, where the name is a relative path such as
 * {@code <bucket>/<key>}, so the copies keep the remote key layout. Downloads land in a temporary
 * file that is then moved into place, so a crash never leaves a partial object under its name. The
 * last access time is kept as the file's modification time, so the order of eviction survives
 * restarts. Objects pinned by an open {@link Lease} are never evicted.
 *
 * <p>One process uses a directory at a time: it holds a lock on {@code <directory>/.lock} until
 * {@link #close()}.
 */
public final class ObjectCache implements AutoCloseable {
  /** Enough to hide S3's per-request latency without crowding a small machine. */
  private static final int PARALLEL_DOWNLOADS = 4;

  private static final String LOCK_FILE = ".lock";
  private static final String PARTIAL_DIRECTORY = ".partial";

  /** Writes a remote object into a file that does not exist yet. */
  @FunctionalInterface
  interface Download {
    /**
     * @return false when the object no longer exists (deleted by the bucket's lifecycle since it
     *     was listed or indexed)
     */
    boolean into(String name, Path file) throws IOException;
  }

  /** An object to have locally: its name, and its size when known in advance, else -1. */
  record Wanted(String name, long size) {}

  private final Path directory;
  private final Path partial;
  private final long maxBytes;
  private final FileChannel lockChannel;

  // Guarded by this. Access order: iteration starts at the least recently used object.
  private final LinkedHashMap<String, Long> sizes = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Integer> pins = new HashMap<>();
  private final Map<String, CompletableFuture<Boolean>> downloading = new HashMap<>();
  private long totalBytes;
  private boolean closed;

  /**
   * Opens the cache in a directory, created if missing, taking over the objects a previous run left
   * there (evicting down to the bound if it was larger) and removing partial downloads.
   *
   * @throws IllegalStateException when another process uses the directory
   */
  public ObjectCache(Path directory, long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("the cache size must be positive: " + maxBytes);
    }
    this.directory = directory.toAbsolutePath().normalize();
    this.partial = this.directory.resolve(PARTIAL_DIRECTORY);
    this.maxBytes = maxBytes;
    try {
      Files.createDirectories(partial);
      lockChannel =
          FileChannel.open(
              this.directory.resolve(LOCK_FILE),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the object cache in " + this.directory, e);
    }
    try {
      if (!lock(lockChannel)) {
        throw new IllegalStateException(
            "the object cache "
                + this.directory
                + " is in use by another process; give this one a directory of its own");
      }
      load();
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot open the object cache in " + this.directory, e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private static boolean lock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock() != null; // held until the channel closes
    } catch (OverlappingFileLockException e) {
      return false; // another cache in this JVM
    }
  }

  /** The directory every cached object lies under. */
  public Path directory() {
    return directory;
  }

  /** The bytes of the objects cached now. */
  public synchronized long sizeInBytes() {
    return totalBytes;
  }

  /** A new lease, holding nothing yet. */
  Lease lease() {
    return new Lease();
  }

  /**
   * Makes the objects local, downloading the missing ones a few at a time, and pins them in the
   * lease. Objects another fetch is downloading already are waited for, not downloaded again.
   *
   * @return the local files of the objects that exist, in the order asked for
   * @throws CacheTooSmallException when the lease's objects together exceed the cache's bound
   */
  List<Path> fetch(Lease lease, List<Wanted> wanted, Download download, FetchProgress progress) {
    Map<String, CompletableFuture<Boolean>> pending = new LinkedHashMap<>();
    List<Path> hits = new ArrayList<>();
    List<Wanted> misses = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the object cache " + directory + " is closed");
      }
      checkFits(lease, wanted);
      for (Wanted object : wanted) {
        String name = object.name();
        Path file = path(name); // rejects a name escaping the directory before any download
        if (pending.containsKey(name)) {
          continue;
        }
        lease.pin(name);
        if (sizes.get(name) != null) { // marks it used
          hits.add(file);
          pending.put(name, CompletableFuture.completedFuture(true));
        } else if (downloading.containsKey(name)) {
          pending.put(name, downloading.get(name));
        } else {
          CompletableFuture<Boolean> started = new CompletableFuture<>();
          downloading.put(name, started);
          pending.put(name, started);
          misses.add(object);
        }
      }
    }
    touch(hits);
    download(misses, pending, download, progress);
    List<Path> paths = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<Boolean>> object : pending.entrySet()) {
      if (await(object.getValue())) {
        paths.add(path(object.getKey()));
      }
    }
    return paths;
  }

  /** Fails before any download when the sizes known in advance already exceed the bound. */
  private void checkFits(Lease lease, List<Wanted> wanted) {
    Map<String, Long> needed = new HashMap<>();
    lease.pinned.forEach(name -> needed.put(name, sizes.getOrDefault(name, 0L)));
    for (Wanted object : wanted) {
      needed.merge(
          object.name(), sizes.getOrDefault(object.name(), Math.max(0, object.size())), Math::max);
    }
    long total = needed.values().stream().mapToLong(Long::longValue).sum();
    if (total > maxBytes) {
      throw tooSmall(total);
    }
  }

  private void download(
      List<Wanted> misses,
      Map<String, CompletableFuture<Boolean>> results,
      Download download,
      FetchProgress progress) {
    if (misses.isEmpty()) {
      return;
    }
    Progress counter = new Progress(misses.size(), progress);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(PARALLEL_DOWNLOADS, misses.size()),
            task -> {
              Thread thread = new Thread(task, "object-cache-download");
              thread.setDaemon(true);
              return thread;
            });
    try {
      for (Wanted object : misses) {
        String name = object.name();
        pool.execute(() -> downloadOne(name, results.get(name), download, counter));
      }
    } finally {
      // Lets the queued downloads finish; fetch waits for each through its future.
      pool.shutdown();
    }
  }

  private void downloadOne(
      String name, CompletableFuture<Boolean> result, Download download, Progress progress) {
    Path temporary = partial.resolve(UUID.randomUUID() + ".tmp");
    try {
      boolean exists = download.into(name, temporary);
      long size = exists ? Files.size(temporary) : 0;
      synchronized (this) {
        if (exists) {
          makeRoom(size);
          Path target = path(name);
          Files.createDirectories(target.getParent());
          Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
          sizes.put(name, size);
          totalBytes += size;
        }
        downloading.remove(name);
      }
      progress.objectDone(size);
      deleteQuietly(temporary); // left when the object does not exist
      result.complete(exists);
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        downloading.remove(name);
      }
      // Gone before the fetch waiting for it hears of the failure.
      deleteQuietly(temporary);
      result.completeExceptionally(
          e instanceof IOException io
              ? new UncheckedIOException("cannot cache " + name + " in " + directory, io)
              : e);
    }
  }

  private static void deleteQuietly(Path temporary) {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // Removed when the cache is next opened.
    }
  }

  /** Evicts unpinned objects, least recently used first, until {@code bytes} more fit. */
  private void makeRoom(long bytes) throws IOException {
    long evictable = 0;
    for (Map.Entry<String, Long> object : sizes.entrySet()) {
      if (!pins.containsKey(object.getKey())) {
        evictable += object.getValue();
      }
    }
    if (totalBytes - evictable + bytes > maxBytes) {
      throw tooSmall(totalBytes - evictable + bytes);
    }
    for (Iterator<Map.Entry<String, Long>> lru = sizes.entrySet().iterator();
        totalBytes + bytes > maxBytes; ) {
      Map.Entry<String, Long> object = lru.next();
      if (!pins.containsKey(object.getKey())) {
        Files.deleteIfExists(path(object.getKey()));
        totalBytes -= object.getValue();
        lru.remove();
      }
    }
  }

  private CacheTooSmallException tooSmall(long neededBytes) {
    return new CacheTooSmallException(
        String.format(
            Locale.ROOT,
            "the span objects this query reads need at least %s, more than the local cache holds"
                + " (%s in %s): narrow the time range or raise the cache size",
            megabytes(neededBytes),
            megabytes(maxBytes),
            directory));
  }

  /** Records the access in the file, where the next run finds it. */
  private static void touch(List<Path> files) {
    FileTime now = FileTime.fromMillis(System.currentTimeMillis());
    for (Path file : files) {
      try {
        Files.setLastModifiedTime(file, now);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot touch " + file, e);
      }
    }
  }

  private static boolean await(CompletableFuture<Boolean> download) {
    try {
      return download.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Takes over the objects of an earlier run, oldest access first, and drops partial ones. */
  private void load() throws IOException {
    try (Stream<Path> stale = Files.list(partial)) {
      for (Path file : (Iterable<Path>) stale::iterator) {
        Files.delete(file);
      }
    }
    record Found(String name, long size, FileTime accessed) {}
    List<Found> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name =
            directory.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        if (Files.isRegularFile(file) && !name.startsWith(".")) {
          found.add(new Found(name, Files.size(file), Files.getLastModifiedTime(file)));
        }
      }
    }
    found.sort(Comparator.comparing(Found::accessed));
    for (Found object : found) {
      sizes.put(object.name(), object.size());
      totalBytes += object.size();
    }
    makeRoom(0);
  }

  /** The file of an object; its name must stay inside the directory. */
  private Path path(String name) {
    Path file = directory.resolve(name).normalize();
    if (!file.startsWith(directory) || file.equals(directory) || name.startsWith(".")) {
      throw new IllegalArgumentException("not a cacheable object name: " + name);
    }
    return file;
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** Releases the directory to other processes; the cached objects stay for the next run. */
  @Override
  public synchronized void close() {
    closed = true;
    try {
      lockChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lock of " + directory, e);
    }
  }

  /**
   * Pins objects for a query: while the lease is open they stay in the cache, and count against its
   * bound. Close it when the query no longer reads them.
   */
  final class Lease implements AutoCloseable {
    private final Set<String> pinned = new HashSet<>();

    private void pin(String name) {
      if (pinned.add(name)) {
        pins.merge(name, 1, Integer::sum);
      }
    }

    @Override
    public void close() {
      synchronized (ObjectCache.this) {
        for (String name : pinned) {
          pins.computeIfPresent(name, (key, count) -> count == 1 ? null : count - 1);
        }
        pinned.clear();
      }
    }
  }

  /** Counts a fetch's downloads for its listener, one call at a time. */
  private static final class Progress {
    private final int total;
    private final FetchProgress listener;
    private int done;
    private long bytes;

    Progress(int total, FetchProgress listener) {
      this.total = total;
      this.listener = listener;
      listener.update(0, total, 0);
    }

    synchronized void objectDone(long size) {
      done++;
      bytes += size;
      listener.update(done, total, bytes);
    }
  }
}
