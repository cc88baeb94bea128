package dev.tracelake.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.index.TraceIndex;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.spans.StoredSpan;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.SyntheticTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which parts of its window a search reads: the last slice first, then twice as many slices before
 * it each time, whole hours once it reaches an earlier hour, and no more once it has its limit. The
 * spans are real (ingested synthetic traces, read by DuckDB); the source only records the ranges
 * the reader asks it for.
 */
class SearchSlicesTest {
  private static final Instant FIRST_HOUR = Instant.parse("2026-11-26T08:00:00Z");
  private static final Instant LAST_HOUR = FIRST_HOUR.plus(Duration.ofHours(3));
  private static final TimeRange FOUR_HOURS =
      new TimeRange(FIRST_HOUR, LAST_HOUR.plus(Duration.ofHours(1)).minusNanos(1));

  @TempDir Path data;
  @TempDir Path work;
  private final List<TimeRange> asked = new ArrayList<>();
  private final List<StoredSpan> lastHour = new ArrayList<>();
  private SpanDatabase database;
  private TraceReader reader;

  @BeforeEach
  void ingestTheLastHour() {
    SpanObjectKeys keys = new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX);
    TraceIngester ingester =
        new TraceIngester(new LocalDirectoryObjectStore(data), keys, TraceIndex.NONE);
    for (int seed = 0; seed < 10; seed++) {
      ExportTraceServiceRequest request = SyntheticTraces.request(seed, LAST_HOUR);
      ingester.ingest(request, request.toByteArray());
      lastHour.addAll(StoredSpan.of(request));
    }
    SpanSource local = new LocalSpanSource(data, keys);
    SpanSource recording = new RecordingSource(local, asked);
    database = SpanDatabase.open(SpanDatabase.Settings.defaults(work), recording);
    reader = new TraceReader(database, recording, Duration.ZERO);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aSearchThatFindsTooFewReadsSlicesTwiceAsLongEachTimeThenWholeHours() throws SQLException {
    reader.search(StoredTraces.byService(FOUR_HOURS, "no-such-service", 20));

    Instant end = FOUR_HOURS.to();
    assertThat(asked)
        .containsExactly(
            new TimeRange(LAST_HOUR.plus(minutes(55)), end),
            new TimeRange(LAST_HOUR.plus(minutes(45)), before(LAST_HOUR.plus(minutes(55)))),
            new TimeRange(LAST_HOUR.plus(minutes(25)), before(LAST_HOUR.plus(minutes(45)))),
            // Eight slices would reach into the hour before: the rest of this hour only.
            new TimeRange(LAST_HOUR, before(LAST_HOUR.plus(minutes(25)))),
            // Sixteen slices back from here, rounded to whole hours: one hour.
            new TimeRange(LAST_HOUR.minus(Duration.ofHours(1)), before(LAST_HOUR)),
            new TimeRange(FIRST_HOUR, before(LAST_HOUR.minus(Duration.ofHours(1)))));
  }

  @Test
  void aSearchWhoseLastSliceHasEnoughReadsThatSliceAlone() throws SQLException {
    Instant lastSlice = LAST_HOUR.plus(minutes(55));
    List<StoredSpan> ofLastSlice =
        lastHour.stream()
            .filter(span -> span.span().getStartTimeUnixNano() >= nanos(lastSlice))
            .toList();
    assertThat(StoredTraces.newestFirst(ofLastSlice, "frontend")).hasSizeGreaterThan(3);

    TracesData found = reader.search(StoredTraces.byService(FOUR_HOURS, "frontend", 3));

    assertThat(StoredTraces.traceIds(found))
        .containsExactlyInAnyOrderElementsOf(
            StoredTraces.newestFirst(lastHour, "frontend").subList(0, 3));
    // Finding the traces, then gathering their spans.
    assertThat(asked)
        .containsExactly(
            new TimeRange(lastSlice, FOUR_HOURS.to()), new TimeRange(lastSlice, FOUR_HOURS.to()));
  }

  private static Duration minutes(long minutes) {
    return Duration.ofMinutes(minutes);
  }

  private static Instant before(Instant instant) {
    return instant.minusNanos(1);
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** A source that records the ranges it is asked for, and hands out its delegate's files. */
  private record RecordingSource(SpanSource delegate, List<TimeRange> asked) implements SpanSource {
    @Override
    public List<Path> readableDirectories() {
      return delegate.readableDirectories();
    }

    @Override
    public List<String> files(TimeRange range) {
      asked.add(range);
      return delegate.files(range);
    }

    @Override
    public List<String> summaryFiles(TimeRange range) {
      return delegate.summaryFiles(range);
    }

    @Override
    public Optional<List<String>> filesOfTrace(String traceId) {
      return delegate.filesOfTrace(traceId);
    }

    @Override
    public String location() {
      return delegate.location();
    }
  }
}
