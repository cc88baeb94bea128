package dev.tracelake.query;

import dev.tracelake.index.ServiceOperation;
import dev.tracelake.index.TraceIndexReader;
import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.PartitionManifest;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.storage.StorageUnavailableException;
import dev.tracelake.storage.StoredObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Span objects in an S3 bucket, copied into a local {@link ObjectCache} for DuckDB to read: only
 * the objects of the hours a query's range overlaps, and for a trace lookup with an index, only the
 * objects the index names. The copies keep the key layout under {@code <cache>/<bucket>/}, so
 * DuckDB still prunes by the {@code dt} and {@code hour} of their paths. A partition compaction has
 * rewritten counts only the objects its {@link PartitionManifest} makes live.
 *
 * <p>Files handed out by {@link #files} and {@link #filesOfTrace} may be evicted by the next call
 * that needs room; read through a {@link #session()} to keep them until the reading is done.
 */
public final class S3SpanSource implements SpanSource {
  private final S3Client s3;
  private final String bucket;
  private final SpanObjectKeys keys;
  private final Optional<TraceIndexReader> index;
  private final ObjectCache cache;
  private final FetchProgress progress;
  private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();

  /**
   * @param index the trace index, to find a trace's objects without listing or scanning any; empty
   *     to find traces by scanning the objects of their time range
   * @param cache where the objects are copied; closed with the source
   * @param progress hears about each fetch of missing objects
   */
  public S3SpanSource(
      S3Client s3,
      String bucket,
      SpanObjectKeys keys,
      Optional<TraceIndexReader> index,
      ObjectCache cache,
      FetchProgress progress) {
    this.s3 = s3;
    this.bucket = bucket;
    this.keys = keys;
    this.index = index;
    this.cache = cache;
    this.progress = progress;
  }

  @Override
  public void close() {
    cache.close();
  }

  @Override
  public List<Path> readableDirectories() {
    return List.of(cache.directory());
  }

  @Override
  public List<String> files(TimeRange range) {
    try (Session session = session()) {
      return session.files(range);
    }
  }

  @Override
  public List<String> summaryFiles(TimeRange range) {
    try (Session session = session()) {
      return session.summaryFiles(range);
    }
  }

  @Override
  public Optional<List<String>> filesOfTrace(String traceId) {
    try (Session session = session()) {
      return session.filesOfTrace(traceId);
    }
  }

  @Override
  public String location() {
    return "s3://" + bucket + "/" + keys.prefix();
  }

  /**
   * The index's catalog, when it records any operation: over S3, reading the aggregates of every
   * hour and the objects of the hours not compacted yet would fetch hundreds of MB for a list.
   */
  @Override
  public Optional<List<ServiceOperation>> operations() {
    return index.map(reader -> reader.operations(keys.prefix())).filter(list -> !list.isEmpty());
  }

  @Override
  public Session session() {
    ObjectCache.Lease lease = cache.lease();
    return new Session() {
      @Override
      public List<String> files(TimeRange range) {
        return fetch(lease, list(range, PartitionObjects::spans));
      }

      @Override
      public List<String> summaryFiles(TimeRange range) {
        return fetch(lease, list(range, PartitionObjects::summaries));
      }

      @Override
      public Optional<List<String>> filesOfTrace(String traceId) {
        return index.map(
            reader ->
                fetch(
                    lease,
                    reader.objectKeys(traceId).stream()
                        // The table may also index other prefixes' objects.
                        .filter(key -> keys.partitionOf(key).isPresent())
                        .map(key -> new ObjectCache.Wanted(bucket + "/" + key, -1))
                        .toList()));
      }

      @Override
      public void close() {
        lease.close();
      }
    };
  }

  /**
   * The live span objects of the hours the range overlaps, in one listing: keys sort by partition,
   * so the listing starts at the first hour's keys and stops after the last's, whatever the number
   * of hours in between (a listing per hour would take 720 requests for a month). Partitions with a
   * manifest count only the objects the rule picks.
   */
  private List<ObjectCache.Wanted> list(TimeRange range, PartitionObjects.Rule rule) {
    HourPartition first = HourPartition.ofUnixNanos(range.fromUnixNano());
    HourPartition last = HourPartition.ofUnixNanos(range.toUnixNano());
    String from = keys.partitionPrefix(first);
    String to = keys.partitionPrefix(last);
    Map<HourPartition, Map<String, Long>> sizesByPartition = new TreeMap<>();
    Map<String, String> manifestTags = new HashMap<>();
    try {
      s3
          .listObjectsV2Paginator(
              request -> request.bucket(bucket).prefix(commonPrefix(from, to)).startAfter(from))
          .contents()
          .stream()
          .takeWhile(object -> object.key().compareTo(to) < 0 || object.key().startsWith(to))
          .forEach(
              object -> {
                if (object.key().endsWith("/" + PartitionManifest.FILE_NAME)) {
                  manifestTags.put(object.key(), object.eTag());
                }
                keys.partitionOf(object.key())
                    .filter(hour -> hour.compareTo(first) >= 0 && hour.compareTo(last) <= 0)
                    .ifPresent(
                        hour ->
                            sizesByPartition
                                .computeIfAbsent(hour, unused -> new HashMap<>())
                                .put(StoredObject.nameOf(object.key()), object.size()));
              });
    } catch (SdkException e) {
      throw new StorageUnavailableException(
          "cannot list " + location() + "/" + from + ": " + e.getMessage(), e);
    }
    SortedMap<HourPartition, PartitionObjects.Listed> listed = new TreeMap<>();
    sizesByPartition.forEach(
        (hour, sizes) -> {
          String manifestKey = keys.manifestKey(hour);
          listed.put(
              hour,
              new PartitionObjects.Listed(
                  manifestTags.containsKey(manifestKey)
                      ? manifest(manifestKey, manifestTags.get(manifestKey))
                      : PartitionManifest.NONE,
                  PartitionObjects.startingWithin(range, hour, sizes.keySet())));
        });
    List<ObjectCache.Wanted> wanted = new ArrayList<>();
    rule.pick(listed)
        .forEach(
            (hour, names) -> {
              for (String name : names) {
                wanted.add(
                    new ObjectCache.Wanted(
                        bucket + "/" + keys.objectKey(hour, name),
                        sizesByPartition.get(hour).getOrDefault(name, -1L)));
              }
            });
    return wanted;
  }

  /** A partition's manifest, read again only when its ETag changes. */
  private PartitionManifest manifest(String key, String eTag) {
    Manifest known = manifests.get(key);
    if (known != null && known.eTag().equals(eTag)) {
      return known.manifest();
    }
    try {
      var response = s3.getObjectAsBytes(request -> request.bucket(bucket).key(key));
      PartitionManifest manifest =
          PartitionManifest.fromJson(response.asByteArray(), "s3://" + bucket + "/" + key);
      manifests.put(key, new Manifest(response.response().eTag(), manifest));
      return manifest;
    } catch (NoSuchKeyException e) {
      return PartitionManifest.NONE; // the partition expired since the listing
    } catch (SdkException e) {
      throw new StorageUnavailableException(
          "cannot read s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }

  private record Manifest(String eTag, PartitionManifest manifest) {}

  private List<String> fetch(ObjectCache.Lease lease, List<ObjectCache.Wanted> objects) {
    return cache.fetch(lease, objects, this::download, progress).stream()
        .map(Path::toString)
        .toList();
  }

  /** Downloads an object, named {@code <bucket>/<key>} in the cache, into a new file. */
  private boolean download(String name, Path file) {
    String key = name.substring(bucket.length() + 1);
    try {
      s3.getObject(request -> request.bucket(bucket).key(key), ResponseTransformer.toFile(file));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (SdkException e) {
      throw new StorageUnavailableException(
          "cannot read s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }

  private static String commonPrefix(String a, String b) {
    int length = 0;
    while (length < Math.min(a.length(), b.length()) && a.charAt(length) == b.charAt(length)) {
      length++;
    }
    return a.substring(0, length);
  }
}
