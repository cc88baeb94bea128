package dev.tracelake.compaction;

import dev.tracelake.index.TraceIndex;
import dev.tracelake.query.WorkDirectories;
import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.ObjectStore;
import dev.tracelake.storage.PartitionManifest;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.storage.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One run over one hour partition. Every step leaves the partition readable and correct, so a run
 * stopped anywhere (a crash, a timeout) and run again loses and duplicates nothing:
 *
 * <ol>
 *   <li>merge: write the new objects, and the aggregates of their spans (readers ignore what no
 *       manifest names);
 *   <li>commit: put the manifest naming them and the objects they replace, {@code indexed: false};
 *       readers switch to the new objects at once;
 *   <li>index: put the new objects' trace index entries, delete the replaced objects' entries, put
 *       the manifest again with {@code indexed: true} (a trace lookup in between finds both, and
 *       drops the duplicate spans);
 *   <li>retire, once {@link CompactionSettings#retireAfter()} has passed since the commit: delete
 *       the replaced objects, and compacted or aggregates objects no manifest names (of a run that
 *       stopped before committing), then put the manifest without them.
 * </ol>
 *
 * A partition past {@link CompactionSettings#expireAfter()} goes instead: a commit of no objects
 * that replaces them all, then retirement, then the manifest is deleted.
 *
 * <p>A run first finishes what an earlier one left undone (steps 3 and 4), then merges when objects
 * arrived since the last compaction and the partition is closed, or when the partition has passed
 * the hot window of {@link RetentionPolicy} and retention has not sampled it yet: then the merge
 * drops the traces the policy does not keep, after its aggregates have counted them. Runs over one
 * partition must not overlap: the scheduled function runs one at a time.
 */
final class PartitionCompaction {
  private static final int PARALLEL_DOWNLOADS = 16;

  private final ObjectStore objects;
  private final SpanObjectKeys keys;
  private final TraceIndex index;
  private final CompactionSettings settings;
  private final Clock clock;
  private final HourPartition partition;

  /** The partition's span objects as the compactor's listing found them. */
  private final List<StoredObject> listed;

  private final Path work;
  private SpanMerger merger;

  PartitionCompaction(
      ObjectStore objects,
      SpanObjectKeys keys,
      TraceIndex index,
      CompactionSettings settings,
      Clock clock,
      HourPartition partition,
      List<StoredObject> listed) {
    this.objects = objects;
    this.keys = keys;
    this.index = index;
    this.settings = settings;
    this.clock = clock;
    this.partition = partition;
    this.listed = listed;
    this.work =
        settings
            .database()
            .workDirectory()
            .resolve("compaction-" + partition.path().replace('/', '-'));
  }

  PartitionOutcome run() {
    try {
      return compact();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "DuckDB failed compacting " + partition.path() + ": " + e.getMessage(), e);
    } finally {
      if (merger != null) {
        merger.close();
      }
      WorkDirectories.deleteTree(work);
    }
  }

  private PartitionOutcome compact() throws SQLException {
    PartitionManifest manifest = manifestOf(partition);
    if (!manifest.indexed()) {
      manifest = index(manifest);
    }
    Map<String, StoredObject> listed = byName(this.listed);
    Retirement retirement = retire(manifest, listed);
    manifest = retirement.manifest();
    if (retirement.deleted() > 0) {
      listed = listObjects();
    }
    if (settings.expires(partition, clock.instant())) {
      return expire(manifest, listed, retirement.deleted());
    }
    if (listed.isEmpty()) {
      // A manifest alone, whose objects were deleted by other means (the bucket's lifecycle).
      return PartitionOutcome.unchanged(
          partition, PartitionOutcome.State.UP_TO_DATE, retirement.deleted());
    }
    List<String> live = manifest.live(listed.keySet());
    boolean retain = settings.retention().appliesTo(partition, clock.instant());
    if (live.stream().allMatch(PartitionManifest::isCompacted)
        && manifest.aggregated()
        && (manifest.sampled() || !retain)) {
      return PartitionOutcome.unchanged(
          partition, PartitionOutcome.State.UP_TO_DATE, retirement.deleted());
    }
    if (clock.instant().isBefore(closesAt())) {
      return PartitionOutcome.unchanged(
          partition, PartitionOutcome.State.OPEN, retirement.deleted());
    }

    // 1. merge
    List<String> merging = stage(live, listed);
    List<Path> inputs = local(partition, merging, work.resolve("in"));
    long bytesIn = 0;
    for (String name : merging) {
      bytesIn += listed.containsKey(name) ? listed.get(name).size() : 0;
    }
    SpanMerger.Merged merged =
        merger()
            .merge(
                new SpanMerger.Inputs(partition, inputs, previousHour(), manifest.sampled()),
                directory(work.resolve("in")), // beside the inputs, for step 3
                digest(merging),
                settings,
                retain ? Optional.of(settings.retention()) : Optional.empty());
    long bytesOut = 0;
    List<String> outputs = new ArrayList<>();
    for (Path output : merged.outputs()) {
      outputs.add(output.getFileName().toString());
      bytesOut += put(output);
    }
    put(merged.aggregates());
    // A sampled partition keeps the aggregates that count its dropped spans, and adds those of
    // spans that arrived since; elsewhere the new aggregates count every span.
    List<String> aggregates =
        new ArrayList<>(manifest.sampled() ? manifest.aggregates() : List.of());
    aggregates.add(merged.aggregates().getFileName().toString());

    // 2. commit
    Set<String> replaced = new LinkedHashSet<>(manifest.replaced());
    replaced.addAll(merging);
    if (!manifest.sampled()) {
      replaced.addAll(manifest.aggregates());
    }
    PartitionManifest committed =
        commit(manifest, outputs, aggregates, replaced, false, manifest.sampled() || retain);

    // 3. index, 4. retire (now, when the settings allow no delay)
    committed = index(committed);
    int retired = retirement.deleted() + retire(committed, listObjects()).deleted();
    return new PartitionOutcome(
        partition,
        PartitionOutcome.State.COMPACTED,
        merging.size(),
        outputs.size(),
        merged.spansIn(),
        merged.spansDropped(),
        merged.spansOut(),
        bytesIn,
        bytesOut,
        retired,
        live.size() - merging.size());
  }

  /**
   * What this run merges: the live compacted objects, and the oldest of the others up to {@link
   * CompactionSettings#objectsPerMerge()}, so that an hour of more objects than one run can read is
   * compacted in stages. Each stage leaves the partition as correct as a whole merge does: the
   * objects it did not reach stay live beside the new compacted ones.
   */
  private List<String> stage(List<String> live, Map<String, StoredObject> listed) {
    List<String> merging = new ArrayList<>();
    List<StoredObject> others = new ArrayList<>();
    for (String name : live) {
      if (PartitionManifest.isCompacted(name)) {
        merging.add(name);
      } else if (listed.containsKey(name)) {
        others.add(listed.get(name));
      }
    }
    others.stream()
        .sorted(Comparator.comparing(StoredObject::lastModified).thenComparing(StoredObject::name))
        .limit(settings.objectsPerMerge())
        .forEach(object -> merging.add(object.name()));
    return merging;
  }

  /**
   * Expires the partition: commits a generation of no objects that replaces every object listed, so
   * that readers find the partition empty at once; retirement deletes those objects after the usual
   * delay, as it deletes what a compaction replaced, and then the manifest goes too. The trace
   * index is left as it is: its items of the partition expire with it (their TTL counts from the
   * hour), and a lookup that still finds one skips the object it names, which is gone.
   */
  private PartitionOutcome expire(
      PartitionManifest manifest, Map<String, StoredObject> listed, int retired) {
    if (!manifest.objects().isEmpty()
        || !manifest.aggregates().isEmpty()
        || !manifest.replaced().containsAll(listed.keySet())) {
      Set<String> replaced = new LinkedHashSet<>(manifest.replaced());
      replaced.addAll(listed.keySet());
      PartitionManifest expired =
          commit(manifest, List.of(), List.of(), replaced, true, manifest.sampled());
      // Retire now, when the settings allow no delay.
      retired += retire(expired, listed).deleted();
      listed = listObjects();
    }
    if (listed.isEmpty()) {
      objects.delete(List.of(keys.manifestKey(partition)));
    }
    return PartitionOutcome.unchanged(partition, PartitionOutcome.State.EXPIRED, retired);
  }

  /** Puts the manifest of the generation after {@code previous}: readers switch to it at once. */
  private PartitionManifest commit(
      PartitionManifest previous,
      List<String> live,
      List<String> aggregates,
      Set<String> replaced,
      boolean indexed,
      boolean sampled) {
    PartitionManifest next =
        new PartitionManifest(
            PartitionManifest.VERSION,
            previous.generation() + 1,
            clock.instant(),
            live,
            aggregates,
            List.copyOf(replaced),
            indexed,
            sampled);
    objects.put(keys.manifestKey(partition), next.toJson());
    return next;
  }

  /**
   * Points the trace index at the manifest's objects instead of those they replaced, then records
   * in the manifest that it has.
   */
  private PartitionManifest index(PartitionManifest manifest) throws SQLException {
    // Without an index (the local directory) there is nothing to point; skip reading the objects.
    if (index != TraceIndex.NONE) {
      Function<String, String> keyOfName = name -> keys.objectKey(partition, name);
      index.write(
          merger()
              .indexEntries(local(partition, manifest.objects(), work.resolve("in")), keyOfName));
      List<Path> replaced = new ArrayList<>();
      for (String name : manifest.replaced()) {
        if (!PartitionManifest.isAggregates(name)) {
          // retired ones have no entries left
          localIfExists(partition, name, work.resolve("in")).ifPresent(replaced::add);
        }
      }
      if (!replaced.isEmpty()) {
        index.delete(merger().traceKeys(replaced, keyOfName));
      }
    }
    PartitionManifest indexed = manifest.withReplaced(manifest.replaced(), true);
    objects.put(keys.manifestKey(partition), indexed.toJson());
    return indexed;
  }

  /** What retiring did: the manifest as it now is, and how many objects went. */
  private record Retirement(PartitionManifest manifest, int deleted) {}

  /**
   * Deletes the objects the manifest replaced, once queries have had time to finish with them, and
   * compacted and aggregates objects no manifest names that are as old.
   */
  private Retirement retire(PartitionManifest manifest, Map<String, StoredObject> listed) {
    Instant cutoff = clock.instant().minus(settings.retireAfter());
    boolean replacedDue =
        manifest.indexed()
            && !manifest.replaced().isEmpty()
            && !manifest.committedAt().isAfter(cutoff);
    Set<String> doomed = new LinkedHashSet<>();
    if (replacedDue) {
      doomed.addAll(manifest.replaced());
    }
    for (StoredObject object : listed.values()) {
      String name = object.name();
      if (PartitionManifest.isWrittenByCompaction(name)
          && !manifest.names(name)
          && !object.lastModified().isAfter(cutoff)) {
        doomed.add(name); // written by a run that never committed
      }
    }
    if (doomed.isEmpty()) {
      return new Retirement(manifest, 0);
    }
    objects.delete(doomed.stream().map(name -> keys.objectKey(partition, name)).toList());
    if (replacedDue) {
      manifest = manifest.withReplaced(List.of(), true);
      objects.put(keys.manifestKey(partition), manifest.toJson());
    }
    return new Retirement(manifest, (int) doomed.stream().filter(listed::containsKey).count());
  }

  /** The partition's span objects by name, listed again. */
  private Map<String, StoredObject> listObjects() {
    return byName(objectsOf(partition));
  }

  /** The span and aggregates objects of an hour. */
  private List<StoredObject> objectsOf(HourPartition hour) {
    return objectsOf(objects, keys, hour);
  }

  /** The span and aggregates objects of an hour in the store. */
  static List<StoredObject> objectsOf(
      ObjectStore objects, SpanObjectKeys keys, HourPartition hour) {
    return objects.list(keys.partitionPrefix(hour)).stream()
        .filter(object -> keys.partitionOf(object.key()).isPresent())
        .toList();
  }

  /** An hour's manifest; {@link PartitionManifest#NONE} when no compaction committed there. */
  private PartitionManifest manifestOf(HourPartition hour) {
    String key = keys.manifestKey(hour);
    return objects
        .get(key)
        .map(json -> PartitionManifest.fromJson(json, key))
        .orElse(PartitionManifest.NONE);
  }

  private static Map<String, StoredObject> byName(List<StoredObject> objects) {
    return objects.stream().collect(Collectors.toMap(StoredObject::name, object -> object));
  }

  /**
   * The live span objects of the hour before the partition, fetched: the parents of the partition's
   * first calls started there, and its aggregates name their callers.
   */
  private List<Path> previousHour() {
    HourPartition previous = partition.previous();
    List<String> live =
        manifestOf(previous).live(objectsOf(previous).stream().map(StoredObject::name).toList());
    return local(previous, live, work.resolve("previous"));
  }

  /**
   * Local copies of objects of a partition, fetched once per run, {@link #PARALLEL_DOWNLOADS} at a
   * time: an hour can hold hundreds of thousands of objects, and S3 answers each GET in tens of
   * milliseconds.
   */
  private List<Path> local(HourPartition owner, List<String> names, Path directory) {
    ExecutorService downloads = Executors.newFixedThreadPool(PARALLEL_DOWNLOADS);
    try {
      List<Future<Path>> files = new ArrayList<>();
      for (String name : names) {
        files.add(downloads.submit(() -> local(owner, name, directory)));
      }
      List<Path> local = new ArrayList<>();
      for (Future<Path> file : files) {
        local.add(file.get());
      }
      return local;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure
          ? failure
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching " + owner.path(), e);
    } finally {
      downloads.shutdownNow();
    }
  }

  private Path local(HourPartition owner, String name, Path directory) {
    return localIfExists(owner, name, directory)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "object "
                        + keys.objectKey(owner, name)
                        + " vanished while compacting; is another compaction running? Run again."));
  }

  private Optional<Path> localIfExists(HourPartition owner, String name, Path directory) {
    Path file = directory(directory).resolve(name);
    boolean present = Files.exists(file) || objects.download(keys.objectKey(owner, name), file);
    return present ? Optional.of(file) : Optional.empty();
  }

  /** Puts a file written in the work directory into the partition; returns its size. */
  private long put(Path file) {
    byte[] content = readAll(file);
    objects.put(keys.objectKey(partition, file.getFileName().toString()), content);
    return content.length;
  }

  private Instant closesAt() {
    return partition.end().plus(settings.grace());
  }

  private SpanMerger merger() {
    if (merger == null) {
      merger = new SpanMerger(settings.database(), work.resolve("duckdb-tmp"));
    }
    return merger;
  }

  private static Path directory(Path path) {
    try {
      return Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path, e);
    }
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Names the outputs after their inputs: the same inputs give the same names (a rerun overwrites
   * its own leftovers), other inputs other names (a cached copy of an object never goes stale).
   */
  private static String digest(List<String> inputs) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (String name : inputs.stream().sorted().toList()) {
        sha256.update((name + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha256.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
