package dev.tracelake.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.index.DynamoDbTraceIndex;
import dev.tracelake.index.DynamoDbTraceIndexReader;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.query.FetchProgress;
import dev.tracelake.query.ObjectCache;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.S3SpanSource;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.TimeRange;
import dev.tracelake.query.TraceReader;
import dev.tracelake.query.report.DependencyReport;
import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.PartitionManifest;
import dev.tracelake.storage.S3ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.storage.StoredObject;
import dev.tracelake.synthetic.SyntheticTraces;
import dev.tracelake.testing.AwsEmulators;
import dev.tracelake.testing.S3SpanObjects;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction against S3 and DynamoDB over their HTTP APIs (s3proxy and dynalite on loopback): the
 * objects are merged and retired in the bucket, the index is rewritten in the table, and the S3
 * read side, trace lookups through the index included, sees each span once.
 */
class EmulatorCompactionTest {
  private static final String BUCKET = "tracelake-compaction";
  private static final String TABLE = "tracelake-compaction-index";
  private static final Instant HOUR = Instant.parse("2026-11-20T10:00:00Z");

  @RegisterExtension static final AwsEmulators AWS = new AwsEmulators(BUCKET, TABLE);

  @TempDir Path temp;

  @Test
  void rewritesTheBucketAndTheIndexSoThatReadersSeeEachSpanOnce() throws Exception {
    SpanObjectKeys keys = new SpanObjectKeys("spans-" + UUID.randomUUID());
    S3ObjectStore store = new S3ObjectStore(AWS.s3proxy().client(), BUCKET);
    DynamoDbTraceIndex index =
        new DynamoDbTraceIndex(AWS.dynalite().client(), TABLE, Duration.ofDays(1));
    TraceIngester ingester = new TraceIngester(store, keys, index);
    for (int i = 0; i < 40; i++) {
      ExportTraceServiceRequest request = SyntheticTraces.request(i, 30, HOUR);
      ingester.ingest(request, request.toByteArray());
    }
    TimeRange hour = new TimeRange(HOUR, HOUR.plusSeconds(3599));
    DynamoDbTraceIndexReader indexReader =
        new DynamoDbTraceIndexReader(AWS.dynalite().client(), TABLE);
    List<DependencyReport.Edge> edgesBefore;
    try (Reader reader = new Reader(keys, indexReader, temp.resolve("cache-first"))) {
      edgesBefore = reader.engine.reports().dependencies(hour).edges(); // each span once
    }
    ExportTraceServiceRequest first = SyntheticTraces.request(0, 30, HOUR);
    ExportTraceServiceRequest rebatched =
        first.toBuilder()
            .addResourceSpans(SyntheticTraces.request(1, 30, HOUR).getResourceSpans(0))
            .build();
    ingester.ingest(rebatched, rebatched.toByteArray());
    String traceId = firstTraceId(first);
    assertThat(indexReader.objectKeys(traceId)).hasSize(2);
    List<String> before;
    TracesData traceBefore;
    List<String> servicesBefore;
    List<TraceReader.Operation> operationsBefore;
    try (Reader reader = new Reader(keys, indexReader, temp.resolve("cache-before"))) {
      before = SpanDigests.of(reader.source.files(hour));
      traceBefore = reader.engine.traces().trace(traceId).orElseThrow();
      servicesBefore = reader.engine.traces().services();
      operationsBefore = reader.engine.traces().operations("checkout", Optional.empty());
    }
    assertThat(servicesBefore).contains("frontend", "checkout");
    assertThat(operationsBefore).isNotEmpty();
    assertThat(before).hasSize(40 * 30 + spansOf(rebatched));

    PartitionOutcome outcome =
        new Compactor(
                store,
                keys,
                index,
                new CompactionSettings(
                    Duration.ofMinutes(30),
                    Duration.ZERO,
                    1_000_000,
                    122_880,
                    new SpanDatabase.Settings(2, "1GB", temp.resolve("work"))),
                Clock.systemUTC())
            .compact(TimeRange.ALL, done -> {})
            .get(0);

    assertThat(outcome.state()).isEqualTo(PartitionOutcome.State.COMPACTED);
    assertThat(outcome.duplicatesRemoved()).isEqualTo(spansOf(rebatched));
    HourPartition partition = outcome.partition();
    Set<String> stored =
        S3SpanObjects.keys(AWS.s3proxy().client(), BUCKET, keys.partitionPrefix(partition));
    assertThat(stored).hasSize(3).contains(keys.manifestKey(partition));
    String compacted =
        stored.stream()
            .filter(key -> PartitionManifest.isCompacted(StoredObject.nameOf(key)))
            .findFirst()
            .orElseThrow();
    assertThat(stored).anyMatch(key -> PartitionManifest.isAggregates(StoredObject.nameOf(key)));
    assertThat(indexReader.objectKeys(traceId)).containsExactly(compacted);

    try (Reader reader = new Reader(keys, indexReader, temp.resolve("cache-after"))) {
      // Services and operations come from the aggregates, not the compacted object.
      assertThat(reader.source.summaryFiles(hour))
          .singleElement()
          .satisfies(file -> assertThat(PartitionManifest.isAggregates(nameOf(file))).isTrue());
      assertThat(reader.engine.traces().services()).isEqualTo(servicesBefore);
      assertThat(reader.engine.traces().operations("checkout", Optional.empty()))
          .isEqualTo(operationsBefore);
      // So do the reports: the same calls, from the aggregates alone.
      List<DependencyReport.Edge> edgesAfter = reader.engine.reports().dependencies(hour).edges();
      assertThat(edgesAfter).hasSameSizeAs(edgesBefore);
      for (int i = 0; i < edgesBefore.size(); i++) {
        assertThat(edgesAfter.get(i).calls()).isEqualTo(edgesBefore.get(i).calls());
        assertThat(edgesAfter.get(i).errors()).isEqualTo(edgesBefore.get(i).errors());
      }
      assertThat(cachedNames(temp.resolve("cache-after")))
          .noneMatch(PartitionManifest::isCompacted);
      List<String> files =
          reader.source.files(hour).stream()
              .filter(file -> PartitionManifest.isCompacted(Path.of(file).getFileName().toString()))
              .toList();
      assertThat(reader.source.files(hour)).hasSize(2); // and the aggregates
      assertThat(SpanDigests.of(files)).isEqualTo(before.stream().distinct().sorted().toList());
      assertThat(reader.engine.traces().trace(traceId)).contains(traceBefore);
    }

    // A late request is not counted by the aggregates: its object is read as it is, and the
    // compacted object beside it, which may hold its spans' parents and children.
    ExportTraceServiceRequest lateRequest = SyntheticTraces.request(99, 30, HOUR);
    String late =
        ingester.ingest(lateRequest, lateRequest.toByteArray()).objectKeys().stream()
            .findFirst()
            .orElseThrow();
    try (Reader reader = new Reader(keys, indexReader, temp.resolve("cache-late"))) {
      assertThat(reader.source.summaryFiles(hour).stream().map(EmulatorCompactionTest::nameOf))
          .hasSize(3)
          .contains(StoredObject.nameOf(late), StoredObject.nameOf(compacted))
          .anyMatch(PartitionManifest::isAggregates);
      assertThat(reader.engine.traces().services()).isEqualTo(servicesBefore);
    }
  }

  private static List<String> cachedNames(Path cache) throws IOException {
    try (Stream<Path> files = Files.walk(cache)) {
      return files.filter(Files::isRegularFile).map(file -> nameOf(file.toString())).toList();
    }
  }

  private static String nameOf(String file) {
    return Path.of(file).getFileName().toString();
  }

  /** The read side over the bucket and the index, as the query function has it. */
  private static final class Reader implements AutoCloseable {
    final S3SpanSource source;
    final QueryEngine engine;

    Reader(SpanObjectKeys keys, DynamoDbTraceIndexReader index, Path cache) {
      source =
          new S3SpanSource(
              AWS.s3proxy().client(),
              BUCKET,
              keys,
              Optional.of(index),
              new ObjectCache(cache, 100_000_000),
              FetchProgress.NONE);
      engine =
          QueryEngine.open(
              source,
              new SpanDatabase.Settings(
                  1, "512MB", cache.resolveSibling(cache.getFileName() + "-db")));
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  private static int spansOf(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream()
        .flatMap(resource -> resource.getScopeSpansList().stream())
        .mapToInt(scope -> scope.getSpansCount())
        .sum();
  }

  private static String firstTraceId(ExportTraceServiceRequest request) {
    return java.util.HexFormat.of()
        .formatHex(
            request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray());
  }
}
