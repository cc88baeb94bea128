package dev.tracelake.storage;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which objects of one hour partition hold its spans once compaction has rewritten it: the
 * partition's {@value #FILE_NAME}. Compaction writes its new objects first, then this manifest
 * naming them and the objects they replace, in one atomic put, and deletes the replaced objects
 * only later. Readers count exactly the objects {@link #live} gives, so they see the partition
 * either before or after a compaction, never both at once or half of one.
 *
 * @param version the manifest format's version, {@value #VERSION}
 * @param generation how many compactions have committed in the partition
 * @param committedAt when this generation committed
 * @param objects names of the compacted objects holding the partition's spans
 * @param aggregates names of the aggregates objects (the {@code span_aggregates} of {@code sql/})
 *     that together count every span of {@code objects}, and those retention dropped from them
 * @param replaced names of objects whose spans are in {@code objects}, and of aggregates objects of
 *     the generation before, not deleted yet
 * @param indexed whether the trace index names {@code objects} rather than the replaced objects
 * @param sampled whether tail-based retention has dropped traces from {@code objects}: from then on
 *     only {@code aggregates} count all the partition's spans, and are kept as they are
 */
public record PartitionManifest(
    int version,
    long generation,
    Instant committedAt,
    List<String> objects,
    List<String> aggregates,
    List<String> replaced,
    boolean indexed,
    boolean sampled) {

  /** The manifest's name in its partition; Athena and Hive skip files starting with "_". */
  public static final String FILE_NAME = "_manifest.json";

  /** How the names of compacted objects start; the ingest path names objects by hex digest. */
  public static final String COMPACTED_PREFIX = "compacted-";

  /**
   * How the names of aggregates objects start; Athena and Hive skip them, as they are not spans.
   */
  public static final String AGGREGATES_PREFIX = "_aggregates-";

  public static final int VERSION = 1;

  /** A partition no compaction has committed in: every ingested object is live. */
  public static final PartitionManifest NONE =
      new PartitionManifest(
          VERSION, 0, Instant.EPOCH, List.of(), List.of(), List.of(), true, false);

  private static final Gson GSON =
      new GsonBuilder()
          .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
          .registerTypeAdapter(Instant.class, new InstantAdapter().nullSafe())
          .setPrettyPrinting()
          .create();

  public PartitionManifest {
    objects = List.copyOf(objects);
    aggregates = aggregates == null ? List.of() : List.copyOf(aggregates); // absent before 0.2
    replaced = List.copyOf(replaced);
  }

  /** Whether an object name is one compaction gave to span objects. */
  public static boolean isCompacted(String name) {
    return name.startsWith(COMPACTED_PREFIX);
  }

  /** Whether an object name is one compaction gave to aggregates objects. */
  public static boolean isAggregates(String name) {
    return name.startsWith(AGGREGATES_PREFIX);
  }

  /**
   * The objects readers count, given the names of the partition's objects a listing shows: this
   * generation's compacted objects, and the ingested objects it has not replaced (spans that
   * arrived after it). Compacted and aggregates objects of other generations, or of a run that
   * never committed, are not live.
   */
  public List<String> live(Collection<String> listed) {
    Set<String> gone = new HashSet<>(replaced);
    List<String> live = new ArrayList<>(objects);
    for (String name : listed) {
      if (!isCompacted(name) && !isAggregates(name) && !gone.contains(name)) {
        live.add(name);
      }
    }
    return live;
  }

  /** What queries read: the {@link #live} span objects, and this generation's aggregates. */
  public List<String> readable(Collection<String> listed) {
    List<String> readable = live(listed);
    readable.addAll(aggregates);
    return readable;
  }

  /**
   * What counts the partition's spans at a fraction of the bytes: this generation's aggregates,
   * which count every span of its compacted objects, and the span objects they do not count; {@link
   * #readable} where compaction wrote no aggregates.
   */
  public List<String> summaries(Collection<String> listed) {
    if (!aggregated()) {
      return readable(listed);
    }
    List<String> summaries = new ArrayList<>(aggregates);
    summaries.addAll(notCompacted(listed));
    return summaries;
  }

  /**
   * Whether the partition holds span objects no aggregates count: ingested since its compaction,
   * never compacted, or compacted before aggregates existed.
   */
  public boolean hasUncounted(Collection<String> listed) {
    return !aggregated() || !notCompacted(listed).isEmpty();
  }

  /** The live objects this generation did not write: those ingested since it committed. */
  private List<String> notCompacted(Collection<String> listed) {
    return live(listed).stream().filter(name -> !objects.contains(name)).toList();
  }

  /**
   * Whether this generation has aggregates for its compacted objects; compaction before aggregates
   * existed wrote none, and the next run compacts such a partition again.
   */
  public boolean aggregated() {
    return objects.isEmpty() || !aggregates.isEmpty();
  }

  /** Whether an object is one compaction wrote: compacted span objects and aggregates objects. */
  public static boolean isWrittenByCompaction(String name) {
    return isCompacted(name) || isAggregates(name);
  }

  /** Whether the manifest names an object: as live, as aggregates, or as replaced. */
  public boolean names(String name) {
    return objects.contains(name) || aggregates.contains(name) || replaced.contains(name);
  }

  /** This generation, with other replaced objects and index state. */
  public PartitionManifest withReplaced(List<String> replaced, boolean indexed) {
    return new PartitionManifest(
        version, generation, committedAt, objects, aggregates, replaced, indexed, sampled);
  }

  public byte[] toJson() {
    return GSON.toJson(this).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a manifest.
   *
   * @param where the manifest's key, for the message when it cannot be read
   * @throws IllegalStateException when it is not a manifest of a version this code knows
   */
  public static PartitionManifest fromJson(byte[] json, String where) {
    PartitionManifest manifest;
    try {
      manifest = GSON.fromJson(new String(json, StandardCharsets.UTF_8), PartitionManifest.class);
    } catch (JsonParseException e) {
      throw new IllegalStateException("unreadable manifest " + where + ": " + e.getMessage(), e);
    }
    if (manifest == null || manifest.version() != VERSION) {
      throw new IllegalStateException(
          "manifest " + where + " is not of version " + VERSION + "; upgrade tracelake");
    }
    return manifest;
  }

  private static final class InstantAdapter extends TypeAdapter<Instant> {
    @Override
    public void write(JsonWriter out, Instant value) throws IOException {
      out.value(value.toString());
    }

    @Override
    public Instant read(JsonReader in) throws IOException {
      return Instant.parse(in.nextString());
    }
  }
}
