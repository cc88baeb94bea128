package dev.tracelake.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracelake.index.TraceIndex;
import dev.tracelake.index.TraceIndexEntry;
import dev.tracelake.index.TraceIndexKey;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.TimeRange;
import dev.tracelake.query.TraceReader;
import dev.tracelake.query.report.SloPolicy;
import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.ForwardingObjectStore;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.ObjectStore;
import dev.tracelake.storage.PartitionManifest;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.SyntheticTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compaction of a local directory, with real DuckDB and Parquet: one hour of 200 requests of
 * synthetic traces, 20 of them delivered again batched differently (so 20 objects hold duplicates
 * of other objects' spans). What readers see is compared row for row, by digest, before and after.
 */
class CompactorTest {
  private static final Instant HOUR = Instant.parse("2026-11-20T10:00:00Z");
  private static final HourPartition PARTITION =
      HourPartition.ofUnixNanos(HOUR.getEpochSecond() * 1_000_000_000L);
  private static final int REQUESTS = 200;
  private static final int REBATCHED = 20;

  @TempDir Path temp;

  private final SpanObjectKeys keys = new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX);
  private Path data;
  private InMemoryTraceIndex index;

  /** What readers saw after ingest: one digest per stored row, duplicates included. */
  private List<String> ingested;

  /** The objects ingest wrote: one per request, but for a rebatched request left with no span. */
  private int ingestedObjects;

  @BeforeEach
  void ingest() {
    data = temp.resolve("data");
    index = new InMemoryTraceIndex();
    TraceIngester ingester = new TraceIngester(new LocalDirectoryObjectStore(data), keys, index);
    for (int i = 0; i < REQUESTS; i++) {
      ExportTraceServiceRequest request = SyntheticTraces.request(i, 25, HOUR);
      ingester.ingest(request, request.toByteArray());
    }
    for (int i = 0; i < REBATCHED; i++) {
      ExportTraceServiceRequest again = allButLastSpan(SyntheticTraces.request(i, 25, HOUR));
      ingester.ingest(again, again.toByteArray());
    }
    ingested = SpanDigests.of(liveFiles(data));
    assertThat(ingested).hasSize(REQUESTS * 25 + duplicateCount());
    ingestedObjects = partitionFiles(data).size();
    assertThat(ingestedObjects).isGreaterThan(REQUESTS);
  }

  @Test
  void mergesAPartitionIntoOneSortedObjectWithEachSpanOnce() {
    List<PartitionOutcome> outcomes =
        compactor(data, index, settings()).compact(TimeRange.ALL, o -> {});

    assertThat(outcomes).hasSize(1);
    PartitionOutcome outcome = outcomes.get(0);
    assertThat(outcome.partition()).isEqualTo(PARTITION);
    assertThat(outcome.state()).isEqualTo(PartitionOutcome.State.COMPACTED);
    assertThat(outcome.objectsIn()).isEqualTo(ingestedObjects);
    assertThat(outcome.objectsOut()).isEqualTo(1);
    assertThat(outcome.spansIn()).isEqualTo(ingested.size());
    assertThat(outcome.spansOut()).isEqualTo(REQUESTS * 25);
    assertThat(outcome.duplicatesRemoved()).isEqualTo(duplicateCount()).isPositive();
    assertThat(outcome.retired()).isEqualTo(ingestedObjects);

    assertThat(SpanDigests.of(liveFiles(data))).isEqualTo(distinct(ingested));
    List<String> names = partitionFiles(data);
    assertThat(names).hasSize(3).contains(PartitionManifest.FILE_NAME);
    assertThat(names).filteredOn(PartitionManifest::isAggregates).hasSize(1);
    String compacted =
        names.stream().filter(PartitionManifest::isCompacted).findFirst().orElseThrow();

    // Rows by the search slice their trace started in, then by trace and start time.
    List<String> output = liveFiles(data);
    String rows =
        "SELECT trace_id, start_time_unix_nano AS start, min(start_time_unix_nano) OVER (PARTITION"
            + " BY trace_id) // "
            + TraceReader.SEARCH_SLICE.toNanos()
            + " AS slice, file_row_number FROM read_parquet({files}, file_row_number = true)";
    assertThat(SpanDigests.query("SELECT count(DISTINCT slice) FROM (" + rows + ")", output))
        .isEqualTo("12");
    assertThat(
            SpanDigests.query(
                "SELECT count(*) FROM (SELECT *, lag(slice) OVER w AS previous_slice, lag(trace_id)"
                    + " OVER w AS previous_trace, lag(start) OVER w AS previous_start FROM ("
                    + rows
                    + ") WINDOW w AS (ORDER BY file_row_number)) WHERE previous_slice > slice OR"
                    + " (previous_slice = slice AND previous_trace > trace_id) OR (previous_slice ="
                    + " slice AND previous_trace = trace_id AND previous_start > start)",
                output))
        .as("rows out of (slice, trace_id, start) order")
        .isEqualTo("0");
    assertThat(
            SpanDigests.query(
                "SELECT decode(value) FROM parquet_kv_metadata({files})"
                    + " WHERE decode(key) = 'tracelake.schema.version'",
                output))
        .isEqualTo("1");
    assertThat(
            SpanDigests.query(
                "SELECT bool_and(bloom_filter_offset IS NOT NULL) FROM parquet_metadata({files})"
                    + " WHERE path_in_schema = 'trace_id'",
                output))
        .isEqualTo("true");

    // The index names the compacted object for every trace, and nothing else.
    String compactedKey = keys.objectKey(PARTITION, compacted);
    Set<String> traces = traceIds(output);
    assertThat(index.keys())
        .isEqualTo(
            traces.stream()
                .map(trace -> new TraceIndexKey(trace, compactedKey))
                .collect(Collectors.toSet()));
    assertThat(index.entries().values().stream().mapToInt(TraceIndexEntry::spanCount).sum())
        .isEqualTo(REQUESTS * 25);
    assertThat(index.entries().values()).allMatch(entry -> entry.rootService() != null);

    PartitionOutcome again =
        compactor(data, index, settings()).compact(TimeRange.ALL, o -> {}).get(0);
    assertThat(again.state()).isEqualTo(PartitionOutcome.State.UP_TO_DATE);
    assertThat(partitionFiles(data)).isEqualTo(names);
  }

  @Test
  void theNewestMinutesOfACompactedHourLieInTheLastRowGroups() {
    // Enough spans for ten row groups of DuckDB's smallest size (one vector).
    int rowGroupSpans = 2048;
    TraceIngester ingester = new TraceIngester(new LocalDirectoryObjectStore(data), keys, index);
    for (int i = REQUESTS; i < 4 * REQUESTS; i++) {
      ExportTraceServiceRequest request = SyntheticTraces.request(i, 25, HOUR);
      ingester.ingest(request, request.toByteArray());
    }
    compactor(
            data,
            index,
            new CompactionSettings(
                Duration.ofMinutes(30), Duration.ZERO, 1_000_000, rowGroupSpans, database()))
        .compact(TimeRange.ALL, o -> {});
    List<String> output = liveFiles(data);
    long lastSlice =
        HOUR.plus(Duration.ofHours(1)).minus(TraceReader.SEARCH_SLICE).getEpochSecond()
            * 1_000_000_000L;
    String startStatistics =
        "FROM parquet_metadata({files}) WHERE path_in_schema = 'start_time_unix_nano'";
    long rowGroups =
        Long.parseLong(SpanDigests.query("SELECT count(*) " + startStatistics, output));
    long spansOfLastSlice =
        Long.parseLong(
            SpanDigests.query(
                "SELECT count(*) FROM (SELECT trace_id FROM read_parquet({files}) QUALIFY"
                    + " min(start_time_unix_nano) OVER (PARTITION BY trace_id) >= "
                    + lastSlice
                    + ")",
                output));
    assertThat(rowGroups).isEqualTo((4 * REQUESTS * 25 + rowGroupSpans - 1) / rowGroupSpans);
    assertThat(spansOfLastSlice).isPositive();

    // A search of the last slice reads the row groups whose start times reach into it: those of
    // its traces, and one holding the end of the slice before. Sorted by trace alone, every row
    // group would.
    assertThat(
            Long.parseLong(
                SpanDigests.query(
                    "SELECT count(*) "
                        + startStatistics
                        + " AND CAST(stats_max AS BIGINT) >= "
                        + lastSlice,
                    output)))
        .isLessThanOrEqualTo((spansOfLastSlice + rowGroupSpans - 1) / rowGroupSpans + 1);
  }

  @Test
  void splitsALargePartitionByTraceSoThatEachTraceIsWholeInOneObject() {
    CompactionSettings small =
        new CompactionSettings(Duration.ofMinutes(30), Duration.ZERO, 1_000, 256, database());

    PartitionOutcome outcome = compactor(data, index, small).compact(TimeRange.ALL, o -> {}).get(0);

    assertThat(outcome.objectsOut()).isGreaterThanOrEqualTo(4);
    List<String> output = liveFiles(data);
    assertThat(output).hasSize(outcome.objectsOut());
    assertThat(SpanDigests.of(output)).isEqualTo(distinct(ingested));
    assertThat(
            SpanDigests.query(
                "SELECT max(objects) FROM (SELECT trace_id, count(DISTINCT filename) AS objects"
                    + " FROM read_parquet({files}, filename = true) GROUP BY trace_id)",
                output))
        .isEqualTo("1");
    assertThat(index.keys().stream().map(TraceIndexKey::objectKey).distinct())
        .hasSize(outcome.objectsOut());
  }

  /**
   * An hour of more objects than one merge reads is compacted in stages: after the first, readers
   * see every span (those merged once, the others as ingested); each later stage merges the
   * compacted object with the next objects; after the last, every span is once in one object.
   */
  @Test
  void compactsAnHourOfMoreObjectsThanOneMergeReadsInStages() {
    CompactionSettings staged = settings().withObjectsPerMerge(60);
    AtomicInteger stagesAllowed = new AtomicInteger(1);

    List<PartitionOutcome> first =
        compactor(data, index, staged)
            .compact(TimeRange.ALL, o -> {}, () -> stagesAllowed.getAndDecrement() > 0);

    assertThat(first).hasSize(1);
    assertThat(first.get(0).state()).isEqualTo(PartitionOutcome.State.COMPACTED);
    assertThat(first.get(0).objectsIn()).isEqualTo(60);
    assertThat(first.get(0).objectsLeft()).isEqualTo(ingestedObjects - 60);
    List<String> midway = SpanDigests.of(liveFiles(data));
    assertThat(Set.copyOf(midway)).isEqualTo(Set.copyOf(ingested));
    assertThat(midway.size()).isBetween(distinct(ingested).size(), ingested.size());

    List<PartitionOutcome> rest = compactor(data, index, staged).compact(TimeRange.ALL, o -> {});

    int stages = (ingestedObjects - 60 + 59) / 60;
    assertThat(rest).hasSize(stages);
    assertThat(rest).allMatch(o -> o.state() == PartitionOutcome.State.COMPACTED);
    // Each stage merges the compacted object and up to 60 more.
    assertThat(rest.get(0).objectsIn()).isEqualTo(1 + 60);
    assertThat(rest.get(stages - 1).objectsLeft()).isZero();
    assertThat(SpanDigests.of(liveFiles(data))).isEqualTo(distinct(ingested));
    assertThat(partitionFiles(data)).hasSize(3);
    assertThat(manifest(data).generation()).isEqualTo(1 + stages);
    assertThat(index.keys().stream().map(TraceIndexKey::objectKey).distinct()).hasSize(1);
    assertThat(index.entries().values().stream().mapToInt(TraceIndexEntry::spanCount).sum())
        .isEqualTo(REQUESTS * 25);
  }

  @Test
  void spansArrivingAfterACompactionAreReadAtOnceAndMergedByTheNextRun() {
    compactor(data, index, settings()).compact(TimeRange.ALL, o -> {});
    TraceIngester ingester = new TraceIngester(new LocalDirectoryObjectStore(data), keys, index);
    for (int i = 0; i < 3; i++) {
      ExportTraceServiceRequest late = SyntheticTraces.request(1_000 + i, 25, HOUR);
      ingester.ingest(late, late.toByteArray());
    }
    List<String> withLate = SpanDigests.of(liveFiles(data));
    assertThat(withLate).hasSize(REQUESTS * 25 + 3 * 25);

    PartitionOutcome outcome =
        compactor(data, index, settings()).compact(TimeRange.ALL, o -> {}).get(0);

    assertThat(outcome.state()).isEqualTo(PartitionOutcome.State.COMPACTED);
    assertThat(outcome.objectsIn()).isEqualTo(1 + 3);
    assertThat(SpanDigests.of(liveFiles(data))).isEqualTo(withLate);
    assertThat(partitionFiles(data)).hasSize(3);
    assertThat(manifest(data).generation()).isEqualTo(2);
    assertThat(index.entries().values().stream().mapToInt(TraceIndexEntry::spanCount).sum())
        .isEqualTo(REQUESTS * 25 + 3 * 25);
  }

  @Test
  void leavesAPartitionAloneUntilItsGracePeriodIsOver() {
    Clock duringGrace = Clock.fixed(HOUR.plus(Duration.ofMinutes(80)), ZoneOffset.UTC);
    List<String> before = partitionFiles(data);

    PartitionOutcome outcome =
        new Compactor(new LocalDirectoryObjectStore(data), keys, index, settings(), duringGrace)
            .compact(TimeRange.ALL, o -> {})
            .get(0);

    assertThat(outcome.state()).isEqualTo(PartitionOutcome.State.OPEN);
    assertThat(partitionFiles(data)).isEqualTo(before);
  }

  @Test
  void keepsReplacedObjectsForQueriesInFlightUntilTheirTimeIsUp() {
    CompactionSettings keep =
        new CompactionSettings(
            Duration.ofMinutes(30), Duration.ofMinutes(15), 1_000_000, 122_880, database());
    compactor(data, index, keep).compact(TimeRange.ALL, o -> {});
    assertThat(partitionFiles(data)).hasSize(ingestedObjects + 3);
    assertThat(SpanDigests.of(liveFiles(data))).isEqualTo(distinct(ingested));

    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(16));
    PartitionOutcome outcome =
        new Compactor(new LocalDirectoryObjectStore(data), keys, index, keep, later)
            .compact(TimeRange.ALL, o -> {})
            .get(0);

    assertThat(outcome.state()).isEqualTo(PartitionOutcome.State.UP_TO_DATE);
    assertThat(outcome.retired()).isEqualTo(ingestedObjects);
    assertThat(partitionFiles(data)).hasSize(3);
    assertThat(manifest(data).replaced()).isEmpty();
    assertThat(SpanDigests.of(liveFiles(data))).isEqualTo(distinct(ingested));
  }

  @Test
  void queriesDuringACompactionCountEverySpanOnceOrAsIngested() throws Exception {
    CompactionSettings keep =
        new CompactionSettings(
            Duration.ofMinutes(30), Duration.ofMinutes(15), 1_000_000, 122_880, database());
    List<Long> counts = new CopyOnWriteArrayList<>();
    AtomicBoolean compacting = new AtomicBoolean(true);
    try (QueryEngine engine =
        QueryEngine.open(
            new LocalSpanSource(data, keys),
            new SpanDatabase.Settings(1, "512MB", temp.resolve("query")))) {
      Thread reader =
          new Thread(
              () -> {
                do {
                  counts.add(countSpans(engine));
                } while (compacting.get());
              });
      reader.start();
      compactor(data, index, keep).compact(TimeRange.ALL, o -> {});
      compacting.set(false);
      reader.join();

      assertThat(counts).isNotEmpty();
      assertThat(counts)
          .allMatch(
              count -> count == ingested.size() || count == REQUESTS * 25L, "a consistent count");
      assertThat(countSpans(engine)).isEqualTo(REQUESTS * 25L);
    }
  }

  /**
   * With retention on, the run also drops traces (a third of them sampled, none slow), so readers
   * see either what was ingested or the kept traces, and the aggregates count every span.
   */
  @ParameterizedTest(name = "retention: {0}")
  @ValueSource(booleans = {false, true})
  void aRunStoppedBeforeAnyOfItsWritesLosesAndDuplicatesNothingWhenRunAgain(boolean retention)
      throws IOException {
    CompactionSettings settings =
        retention
            ? settings()
                .withRetention(
                    new RetentionPolicy(
                        Duration.ofHours(1),
                        SloPolicy.parse("defaults: {latency_p95_ms: 3600000}"),
                        Map.of(),
                        0.3))
            : settings();
    Path pristine = temp.resolve("pristine");
    copyTree(data, pristine);
    InMemoryTraceIndex pristineIndex = index.copy();
    FaultPlan counting = new FaultPlan(Integer.MAX_VALUE);
    compactor(counting.store(data), counting.index(index), settings)
        .compact(TimeRange.ALL, o -> {});
    int writes = counting.writes.get();
    // merged objects, aggregates, the commit, index puts and deletes, the indexed manifest,
    // retirement
    assertThat(writes).isGreaterThanOrEqualTo(7);
    Set<TraceIndexKey> expectedIndex = index.keys();
    List<String> expected = SpanDigests.of(liveFiles(data));
    if (retention) {
      assertThat(expected.size()).isBetween(1, distinct(ingested).size() * 3 / 4);
    } else {
      assertThat(expected).isEqualTo(distinct(ingested));
    }

    for (int failAt = 1; failAt <= writes; failAt++) {
      Path run = temp.resolve("run-" + failAt);
      copyTree(pristine, run);
      InMemoryTraceIndex runIndex = pristineIndex.copy();
      FaultPlan fault = new FaultPlan(failAt);

      assertThatThrownBy(
              () ->
                  compactor(fault.store(run), fault.index(runIndex), settings)
                      .compact(TimeRange.ALL, o -> {}))
          .as("run failing at write %d", failAt)
          .hasMessageContaining("injected");
      List<String> midway = SpanDigests.of(liveFiles(run));
      assertThat(midway)
          .as("what readers see after a run stopped at write %d", failAt)
          .satisfiesAnyOf(
              seen -> assertThat(seen).isEqualTo(ingested),
              seen -> assertThat(seen).isEqualTo(expected));

      compactor(run, runIndex, settings).compact(TimeRange.ALL, o -> {});

      assertThat(SpanDigests.of(liveFiles(run)))
          .as("spans after a rerun of a run stopped at write %d", failAt)
          .isEqualTo(expected);
      assertThat(partitionFiles(run)).as("objects left, failure at %d", failAt).hasSize(3);
      assertThat(manifest(run).indexed()).isTrue();
      assertThat(manifest(run).sampled()).isEqualTo(retention);
      assertThat(aggregatedSpans(run))
          .as("spans the aggregates count, failure at %d", failAt)
          .isEqualTo(REQUESTS * 25L);
      assertThat(runIndex.keys()).as("index, failure at %d", failAt).isEqualTo(expectedIndex);
    }
  }

  /**
   * Expiry counts from the hour, not from the last rewrite: a partition retention rewrote a moment
   * ago is past an expiry of 6 days when its hour is 7 days old. Readers find it empty at once; its
   * objects stay for queries in flight, then go with the manifest.
   */
  @Test
  void anExpiredPartitionReadsEmptyAtOnceAndGoesAfterRetirement() {
    CompactionSettings retention =
        settings()
            .withRetention(
                new RetentionPolicy(Duration.ofHours(1), SloPolicy.defaults(), Map.of(), 0.3));
    compactor(data, index, retention).compact(TimeRange.ALL, o -> {});
    assertThat(manifest(data).sampled()).isTrue();
    Instant now = Instant.now();
    assertThat(Duration.between(PARTITION.end(), now))
        .isBetween(Duration.ofDays(6), Duration.ofDays(30));
    Set<TraceIndexKey> indexed = index.keys();

    CompactionSettings notYet =
        retention.withExpiry(Duration.between(PARTITION.end(), now).plusHours(1));
    PartitionOutcome kept = compactor(data, index, notYet).compact(TimeRange.ALL, o -> {}).get(0);
    assertThat(kept.state()).isEqualTo(PartitionOutcome.State.UP_TO_DATE);

    CompactionSettings expiring =
        new CompactionSettings(
            Duration.ofMinutes(30),
            Duration.ofMinutes(15),
            1_000_000,
            16_384,
            database(),
            retention.retention(),
            Duration.ofDays(6),
            CompactionSettings.DEFAULT_OBJECTS_PER_MERGE);
    PartitionOutcome expired =
        new Compactor(
                new LocalDirectoryObjectStore(data),
                keys,
                index,
                expiring,
                Clock.fixed(now, ZoneOffset.UTC))
            .compact(TimeRange.ALL, o -> {})
            .get(0);

    assertThat(expired.state()).isEqualTo(PartitionOutcome.State.EXPIRED);
    assertThat(expired.retired()).isZero();
    assertThat(liveFiles(data)).isEmpty();
    assertThat(new LocalSpanSource(data, keys).files(TimeRange.ALL)).isEmpty();
    assertThat(partitionFiles(data)).hasSize(3);
    assertThat(index.keys()).as("left to the TTL").isEqualTo(indexed);

    PartitionOutcome gone =
        new Compactor(
                new LocalDirectoryObjectStore(data),
                keys,
                index,
                expiring,
                Clock.fixed(now.plus(Duration.ofMinutes(16)), ZoneOffset.UTC))
            .compact(TimeRange.ALL, o -> {})
            .get(0);

    assertThat(gone.state()).isEqualTo(PartitionOutcome.State.EXPIRED);
    assertThat(gone.retired()).isEqualTo(2);
    assertThat(partitionFiles(data)).isEmpty();
  }

  /** Expiry stopped before any of its writes, then run again, ends with nothing left. */
  @Test
  void anExpiryStoppedAnywhereLeavesThePartitionAsItWasOrEmptyAndTheRerunFinishesIt()
      throws IOException {
    CompactionSettings expiring = settings().withExpiry(Duration.ofDays(1));
    Path pristine = temp.resolve("pristine");
    copyTree(data, pristine);
    FaultPlan counting = new FaultPlan(Integer.MAX_VALUE);
    PartitionOutcome outcome =
        compactor(counting.store(data), counting.index(index), expiring)
            .compact(TimeRange.ALL, o -> {})
            .get(0);
    assertThat(outcome.state()).isEqualTo(PartitionOutcome.State.EXPIRED);
    assertThat(outcome.retired()).isEqualTo(ingestedObjects);
    assertThat(partitionFiles(data)).isEmpty();
    int writes = counting.writes.get();
    // the empty commit, retirement's delete and manifest, the manifest's delete
    assertThat(writes).isEqualTo(4);

    for (int failAt = 1; failAt <= writes; failAt++) {
      Path run = temp.resolve("expiry-run-" + failAt);
      copyTree(pristine, run);
      FaultPlan fault = new FaultPlan(failAt);

      assertThatThrownBy(
              () ->
                  compactor(fault.store(run), fault.index(index), expiring)
                      .compact(TimeRange.ALL, o -> {}))
          .as("run failing at write %d", failAt)
          .hasMessageContaining("injected");
      assertThat(SpanDigests.of(liveFiles(run)))
          .as("what readers see after a run stopped at write %d", failAt)
          .satisfiesAnyOf(
              seen -> assertThat(seen).isEqualTo(ingested), seen -> assertThat(seen).isEmpty());

      compactor(run, index, expiring).compact(TimeRange.ALL, o -> {});

      assertThat(partitionFiles(run)).as("objects left, failure at %d", failAt).isEmpty();
    }
  }

  /**
   * Fails the nth write (put or delete, to the store or the index) before it happens, as a crash
   * there would; counts the writes.
   */
  private static final class FaultPlan {
    final AtomicInteger writes = new AtomicInteger();
    private final int failAt;

    FaultPlan(int failAt) {
      this.failAt = failAt;
    }

    void write() {
      if (writes.incrementAndGet() == failAt) {
        throw new IllegalStateException("injected failure at write " + failAt);
      }
    }

    ObjectStore store(Path data) {
      return new ForwardingObjectStore(new LocalDirectoryObjectStore(data)) {
        @Override
        public void put(String key, byte[] content) {
          write();
          super.put(key, content);
        }

        @Override
        public void delete(Collection<String> keys) {
          write();
          super.delete(keys);
        }
      };
    }

    TraceIndex index(TraceIndex index) {
      return new TraceIndex() {
        @Override
        public void write(List<TraceIndexEntry> entries) {
          FaultPlan.this.write();
          index.write(entries);
        }

        @Override
        public void delete(List<TraceIndexKey> keys) {
          FaultPlan.this.write();
          index.delete(keys);
        }
      };
    }
  }

  private Compactor compactor(Path data, TraceIndex index, CompactionSettings settings) {
    return compactor(new LocalDirectoryObjectStore(data), index, settings);
  }

  private Compactor compactor(ObjectStore store, TraceIndex index, CompactionSettings settings) {
    return new Compactor(store, keys, index, settings, Clock.systemUTC());
  }

  /** No delay before retiring, so that each run leaves only the compacted objects. */
  private CompactionSettings settings() {
    return new CompactionSettings(
        Duration.ofMinutes(30), Duration.ZERO, 1_000_000, 122_880, database());
  }

  private SpanDatabase.Settings database() {
    return new SpanDatabase.Settings(2, "1GB", temp.resolve("work"));
  }

  /** The span objects readers read, without the aggregates objects. */
  private List<String> liveFiles(Path data) {
    return SpanDigests.liveFiles(data, keys);
  }

  /** The spans the partition's aggregates count. */
  private long aggregatedSpans(Path data) {
    List<String> aggregates =
        manifest(data).aggregates().stream()
            .map(name -> data.resolve(keys.objectKey(PARTITION, name)).toString())
            .toList();
    return Long.parseLong(
        SpanDigests.query(
            "SELECT sum(span_count) FROM read_parquet({files}) WHERE aggregate = 'operation'",
            aggregates));
  }

  private List<String> partitionFiles(Path data) {
    try (Stream<Path> files = Files.list(data.resolve(keys.partitionPrefix(PARTITION)))) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private PartitionManifest manifest(Path data) {
    try {
      return PartitionManifest.fromJson(
          Files.readAllBytes(data.resolve(keys.manifestKey(PARTITION))), "test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long countSpans(QueryEngine engine) {
    try {
      return ((Number)
              engine
                  .sql()
                  .execute("SELECT count(*) FROM spans", TimeRange.ALL)
                  .rows()
                  .get(0)
                  .get(0))
          .longValue();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> traceIds(List<String> files) {
    String ids =
        SpanDigests.query(
            "SELECT string_agg(DISTINCT trace_id, ',') FROM read_parquet({files})", files);
    return Set.of(ids.split(","));
  }

  /** Spans the rebatched requests stored again: all but one of each. */
  private static int duplicateCount() {
    int duplicates = 0;
    for (int i = 0; i < REBATCHED; i++) {
      duplicates += countSpans(allButLastSpan(SyntheticTraces.request(i, 25, HOUR)));
    }
    return duplicates;
  }

  /** The request's first resource with all but the last span of its first scope. */
  private static ExportTraceServiceRequest allButLastSpan(ExportTraceServiceRequest request) {
    ResourceSpans resource = request.getResourceSpans(0);
    ScopeSpans scope = resource.getScopeSpans(0);
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            resource.toBuilder()
                .clearScopeSpans()
                .addScopeSpans(scope.toBuilder().removeSpans(scope.getSpansCount() - 1)))
        .build();
  }

  private static int countSpans(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream()
        .flatMap(resource -> resource.getScopeSpansList().stream())
        .mapToInt(ScopeSpans::getSpansCount)
        .sum();
  }

  private static List<String> distinct(List<String> digests) {
    return digests.stream().distinct().sorted().toList();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }
}
