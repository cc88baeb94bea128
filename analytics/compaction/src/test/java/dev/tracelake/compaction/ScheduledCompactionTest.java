package dev.tracelake.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.index.TraceIndex;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.storage.ForwardingObjectStore;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.ObjectStore;
import dev.tracelake.storage.PartitionManifest;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.storage.StorageUnavailableException;
import dev.tracelake.storage.StoredObject;
import dev.tracelake.synthetic.SyntheticTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction on a schedule, as {@code tracelake serve} runs it: runs go on after one fails, and a
 * closed hour ends up compacted with every span kept.
 */
class ScheduledCompactionTest {
  private static final Instant HOUR = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path data;
  @TempDir Path work;

  @Test
  void aRunThatFailsIsReportedAndTheNextOneCompacts() throws Exception {
    SpanObjectKeys keys = new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX);
    TraceIngester ingester =
        new TraceIngester(new LocalDirectoryObjectStore(data), keys, TraceIndex.NONE);
    for (int seed = 0; seed < 20; seed++) {
      ExportTraceServiceRequest request = SyntheticTraces.request(seed, 50, HOUR);
      ingester.ingest(request, request.toByteArray());
    }
    List<String> ingested = SpanDigests.of(SpanDigests.liveFiles(data, keys));

    // The first listing fails, as S3 might.
    AtomicBoolean failedOnce = new AtomicBoolean();
    ObjectStore flaky =
        new ForwardingObjectStore(new LocalDirectoryObjectStore(data)) {
          @Override
          public List<StoredObject> list(String prefix) {
            if (failedOnce.compareAndSet(false, true)) {
              throw new StorageUnavailableException("S3 is down", null);
            }
            return super.list(prefix);
          }
        };
    Compactor compactor =
        new Compactor(
            flaky,
            keys,
            TraceIndex.NONE,
            new CompactionSettings(
                Duration.ZERO,
                Duration.ZERO,
                1_000_000,
                16_384,
                SpanDatabase.Settings.defaults(work)),
            Clock.systemUTC());
    List<RuntimeException> failures = new CopyOnWriteArrayList<>();
    CountDownLatch compacted = new CountDownLatch(1);
    try (ScheduledCompaction scheduled =
        ScheduledCompaction.start(
            compactor,
            Duration.ofMillis(50),
            outcome -> {
              if (outcome.state() == PartitionOutcome.State.COMPACTED) {
                compacted.countDown();
              }
            },
            failures::add)) {
      assertThat(compacted.await(60, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(failures)
        .singleElement()
        .extracting(RuntimeException::getMessage)
        .isEqualTo("S3 is down");
    assertThat(data.resolve("spans/dt=2026-11-20/hour=10").resolve(PartitionManifest.FILE_NAME))
        .exists();
    assertThat(SpanDigests.of(SpanDigests.liveFiles(data, keys)))
        .isEqualTo(ingested.stream().sorted().toList());
  }
}
