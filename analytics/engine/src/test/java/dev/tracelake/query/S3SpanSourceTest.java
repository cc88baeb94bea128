package dev.tracelake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracelake.index.DynamoDbTraceIndex;
import dev.tracelake.index.DynamoDbTraceIndexReader;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.spans.HourPartition;
import dev.tracelake.spans.StoredSpan;
import dev.tracelake.storage.S3ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.SyntheticTraces;
import dev.tracelake.testing.AwsEmulators;
import dev.tracelake.testing.S3ProxyServer;
import dev.tracelake.testing.S3SpanObjects;
import dev.tracelake.testing.SentRequests;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * The S3 source against s3proxy and dynalite over HTTP: span objects ingested into four hours, read
 * back through the cache, counting every GET the source sends. Each test writes under a prefix of
 * its own.
 */
class S3SpanSourceTest {
  private static final String BUCKET = "tracelake-spans";
  private static final String TABLE = "tracelake-trace-index";
  private static final Instant FIRST_HOUR = Instant.parse("2026-03-01T08:00:00Z");
  private static final int HOURS = 4;
  private static final int REQUESTS_PER_HOUR = 2;

  @RegisterExtension static final AwsEmulators AWS = new AwsEmulators(BUCKET, TABLE);

  @TempDir Path temp;

  private final List<String> gets = new CopyOnWriteArrayList<>();
  private S3Client s3;
  private SpanObjectKeys keys;

  /** The requests ingested, by hour. */
  private final List<List<ExportTraceServiceRequest>> requests = new ArrayList<>();

  /** The object each request was stored in, by hour (each request is within one hour). */
  private final List<List<String>> objects = new ArrayList<>();

  @BeforeEach
  void ingest() {
    keys = new SpanObjectKeys("spans-" + UUID.randomUUID());
    TraceIngester ingester =
        new TraceIngester(
            new S3ObjectStore(AWS.s3proxy().client(), BUCKET),
            keys,
            new DynamoDbTraceIndex(AWS.dynalite().client(), TABLE, Duration.ofDays(1)));
    for (int hour = 0; hour < HOURS; hour++) {
      List<ExportTraceServiceRequest> ofHour = new ArrayList<>();
      List<String> objectsOfHour = new ArrayList<>();
      for (int i = 0; i < REQUESTS_PER_HOUR; i++) {
        ExportTraceServiceRequest request = SyntheticTraces.request(hour * 10L + i, 60, hour(hour));
        objectsOfHour.addAll(ingester.ingest(request, request.toByteArray()).objectKeys());
        ofHour.add(request);
      }
      requests.add(ofHour);
      objects.add(objectsOfHour);
    }
    s3 = countingClient();
  }

  @AfterEach
  void closeClient() {
    s3.close();
  }

  @Test
  void fetchesTheObjectsOfTheHoursInRangeWhoseSpansMayStartInItOnce() {
    try (ObjectCache cache = new ObjectCache(temp.resolve("cache"), 100_000_000)) {
      S3SpanSource source = source(cache, false);
      TimeRange range = new TimeRange(hour(1).plusSeconds(1800), hour(2).plusSeconds(60));

      List<String> files = source.files(range);

      // Those of hour 1, whose spans start all through it; of hour 2's, those whose first span
      // started by the end of the range, to the second, as their names say.
      Set<String> expected = new TreeSet<>(keysOfHours(1, 1));
      for (int i = 0; i < REQUESTS_PER_HOUR; i++) {
        long firstStart =
            StoredSpan.of(requests.get(2).get(i)).stream()
                .mapToLong(span -> span.span().getStartTimeUnixNano())
                .min()
                .orElseThrow();
        if (firstStart - Math.floorMod(firstStart, 1_000_000_000L) <= range.toUnixNano()) {
          expected.add(objects.get(2).get(i));
        }
      }
      assertThat(expected).hasSizeBetween(REQUESTS_PER_HOUR, 2 * REQUESTS_PER_HOUR - 1);
      assertThat(gets).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(files)
          .containsExactlyInAnyOrderElementsOf(
              expected.stream().map(key -> local(cache, key)).toList())
          .allMatch(file -> Files.isRegularFile(Path.of(file)));
      assertThat(source.readableDirectories()).containsExactly(cache.directory());

      gets.clear();
      assertThat(source.files(range)).containsExactlyInAnyOrderElementsOf(files);
      assertThat(gets).isEmpty();
    }
  }

  @Test
  void theWholeRangeFetchesEveryObjectAndAnEmptyOneNothing() {
    try (ObjectCache cache = new ObjectCache(temp.resolve("cache"), 100_000_000)) {
      S3SpanSource source = source(cache, false);

      assertThat(source.files(TimeRange.ALL)).hasSize(HOURS * REQUESTS_PER_HOUR);
      assertThat(gets).containsExactlyInAnyOrderElementsOf(allKeys());

      TimeRange before = new TimeRange(hour(-5), hour(-1).plusSeconds(3599));
      assertThat(source.files(before)).isEmpty();
    }
  }

  @Test
  void aCacheReopenedOnTheSameDirectoryFetchesNothingAgain() throws IOException {
    Path directory = temp.resolve("cache");
    try (ObjectCache cache = new ObjectCache(directory, 100_000_000)) {
      source(cache, false).files(TimeRange.ALL);
    }
    // A download a crash interrupted.
    Files.writeString(directory.resolve(".partial/interrupted.tmp"), "half an object");
    gets.clear();

    try (ObjectCache cache = new ObjectCache(directory, 100_000_000)) {
      assertThat(source(cache, false).files(TimeRange.ALL)).hasSize(HOURS * REQUESTS_PER_HOUR);
      assertThat(gets).isEmpty();
      assertThat(directory.resolve(".partial")).isEmptyDirectory();
    }
  }

  @Test
  void evictsTheLeastRecentlyUsedObjectsToStayWithinItsSize() throws IOException {
    long hourBytes = bytesOf(keysOfHours(0, 0));
    long bound = hourBytes * 5 / 2; // two hours fit, not three
    try (ObjectCache cache = new ObjectCache(temp.resolve("cache"), bound)) {
      S3SpanSource source = source(cache, false);
      List<List<String>> filesByHour = new ArrayList<>();
      for (int hour = 0; hour < HOURS; hour++) {
        filesByHour.add(source.files(oneHour(hour)));
        assertThat(cache.sizeInBytes()).isLessThanOrEqualTo(bound);
        assertThat(bytesUnder(cache.directory())).isEqualTo(cache.sizeInBytes());
      }

      assertThat(filesByHour.get(0)).noneMatch(file -> Files.exists(Path.of(file)));
      assertThat(filesByHour.get(2)).allMatch(file -> Files.exists(Path.of(file)));
      assertThat(filesByHour.get(3)).allMatch(file -> Files.exists(Path.of(file)));

      // Hour 2, fetched before hour 3, is used again: hour 3 is now the one to go first.
      gets.clear();
      source.files(oneHour(2));
      assertThat(gets).isEmpty();
      source.files(oneHour(0));
      assertThat(gets).containsExactlyInAnyOrderElementsOf(keysOfHours(0, 0));
      assertThat(cache.sizeInBytes()).isLessThanOrEqualTo(bound);
      assertThat(filesByHour.get(2)).allMatch(file -> Files.exists(Path.of(file)));
      assertThat(filesByHour.get(3)).anyMatch(file -> !Files.exists(Path.of(file)));
    }
  }

  @Test
  void aRangeLargerThanTheCacheFailsSayingWhatToDo() {
    try (ObjectCache cache = new ObjectCache(temp.resolve("cache"), bytesOf(keysOfHours(0, 0)))) {
      S3SpanSource source = source(cache, false);

      assertThatThrownBy(() -> source.files(TimeRange.ALL))
          .isInstanceOf(CacheTooSmallException.class)
          .hasMessageContaining("narrow the time range or raise the cache size");
      assertThat(gets).isEmpty();
    }
  }

  @Test
  void aSessionKeepsItsFilesAndFailsRatherThanEvictThem() {
    try (ObjectCache cache = new ObjectCache(temp.resolve("cache"), bytesOf(keysOfHours(0, 1)));
        SpanSource.Session session = source(cache, true).session()) {
      List<String> hour0 = session.files(oneHour(0));
      List<String> hour1 = session.files(oneHour(1));

      // Without a size known in advance, the index lookup only fails once the download is in.
      String traceOfHour2 = traceIds(requests.get(2).get(0)).iterator().next();
      assertThatThrownBy(() -> session.filesOfTrace(traceOfHour2))
          .isInstanceOf(CacheTooSmallException.class);
      assertThat(hour0).hasSize(REQUESTS_PER_HOUR).allMatch(file -> Files.exists(Path.of(file)));
      assertThat(hour1).hasSize(REQUESTS_PER_HOUR).allMatch(file -> Files.exists(Path.of(file)));
    }
  }

  @Test
  void aTraceIsReadFromTheObjectsTheIndexNamesOnly() throws Exception {
    // The trace's spans in two requests of hour 2, so in two objects.
    ExportTraceServiceRequest whole = SyntheticTraces.request(99, 40, hour(2));
    List<ResourceSpans> resources = whole.getResourceSpansList();
    ExportTraceServiceRequest firstPart = request(resources.subList(0, resources.size() / 2));
    ExportTraceServiceRequest secondPart =
        request(resources.subList(resources.size() / 2, resources.size()));
    Set<String> inBoth = traceIds(firstPart);
    inBoth.retainAll(traceIds(secondPart));
    assertThat(inBoth).isNotEmpty();
    String traceId = inBoth.iterator().next();
    TraceIngester ingester =
        new TraceIngester(
            new S3ObjectStore(AWS.s3proxy().client(), BUCKET),
            keys,
            new DynamoDbTraceIndex(AWS.dynalite().client(), TABLE, Duration.ofDays(1)));
    List<String> objects = new ArrayList<>();
    objects.addAll(ingester.ingest(firstPart, firstPart.toByteArray()).objectKeys());
    objects.addAll(ingester.ingest(secondPart, secondPart.toByteArray()).objectKeys());

    try (ObjectCache cache = new ObjectCache(temp.resolve("cache"), 100_000_000)) {
      S3SpanSource source = source(cache, true);
      try (SpanDatabase database =
          SpanDatabase.open(SpanDatabase.Settings.defaults(temp.resolve("duckdb")), source)) {
        TraceReader reader = new TraceReader(database, source, Duration.ofMinutes(30));

        Optional<TracesData> trace = reader.trace(traceId.toUpperCase());

        assertThat(trace).isPresent();
        assertThat(StoredSpan.of(request(trace.get().getResourceSpansList())))
            .containsExactlyInAnyOrderElementsOf(spansOfTrace(whole, traceId));
        assertThat(gets).containsExactlyInAnyOrderElementsOf(objects);

        gets.clear();
        assertThat(reader.trace("0af7651916cd43dd8448eb211c80319c")).isEmpty();
        assertThat(gets).isEmpty();
      }
    }
  }

  @Test
  void aSearchFindsWholeTracesThroughTheCache() throws Exception {
    try (ObjectCache cache = new ObjectCache(temp.resolve("cache"), 100_000_000)) {
      S3SpanSource source = source(cache, true);
      try (SpanDatabase database =
          SpanDatabase.open(SpanDatabase.Settings.defaults(temp.resolve("duckdb")), source)) {
        TraceReader reader = new TraceReader(database, source, Duration.ofMinutes(30));
        List<StoredSpan> found =
            StoredSpan.of(
                request(
                    reader
                        .search(StoredTraces.byService(oneHour(3), "frontend", 5))
                        .getResourceSpansList()));

        Set<String> foundTraces = StoredTraces.traceIds(found);
        assertThat(foundTraces).hasSize(5);
        List<StoredSpan> expected = new ArrayList<>();
        for (ExportTraceServiceRequest request : requests.get(3)) {
          for (String traceId : foundTraces) {
            expected.addAll(spansOfTrace(request, traceId));
          }
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
        // The window is one hour; the traces' spans were looked up in the index, not 30 minutes
        // around it.
        assertThat(gets).containsExactlyInAnyOrderElementsOf(keysOfHours(3, 3));
      }
    }
  }

  @Test
  void aSearchReadsTheNewestHoursUntilItHasItsLimit() throws Exception {
    try (ObjectCache cache = new ObjectCache(temp.resolve("cache"), 100_000_000)) {
      S3SpanSource source = source(cache, true);
      try (SpanDatabase database =
          SpanDatabase.open(SpanDatabase.Settings.defaults(temp.resolve("duckdb")), source)) {
        TraceReader reader = new TraceReader(database, source, Duration.ofMinutes(30));
        TimeRange everything = new TimeRange(hour(0), hour(HOURS - 1).plusSeconds(3599));
        List<String> newestFirst = frontendTracesNewestFirst();
        int inLastHour = StoredTraces.traceIds(StoredSpan.of(requestOfHour(HOURS - 1))).size();
        assertThat(inLastHour).isGreaterThan(2);

        assertThat(frontendTraces(reader, everything, inLastHour))
            .containsExactlyInAnyOrderElementsOf(newestFirst.subList(0, inLastHour));
        assertThat(gets).containsExactlyInAnyOrderElementsOf(keysOfHours(HOURS - 1, HOURS - 1));

        // More than the last hour holds: the hour before it is read as well, whole, and no other.
        gets.clear();
        int more = inLastHour + 1;
        assertThat(frontendTraces(reader, everything, more))
            .containsExactlyInAnyOrderElementsOf(newestFirst.subList(0, more));
        assertThat(gets).containsExactlyInAnyOrderElementsOf(keysOfHours(HOURS - 2, HOURS - 2));
      }
    }
  }

  @Test
  void servicesAndOperationsComeFromTheIndexCatalogWithoutFetchingAnObject() throws Exception {
    List<StoredSpan> spans = new ArrayList<>();
    requests.forEach(ofHour -> ofHour.forEach(request -> spans.addAll(StoredSpan.of(request))));
    List<String> services;
    List<TraceReader.Operation> operations;
    // The source closes its cache.
    try (S3SpanSource source = source(new ObjectCache(temp.resolve("cache"), 100_000_000), true);
        SpanDatabase database =
            SpanDatabase.open(SpanDatabase.Settings.defaults(temp.resolve("duckdb")), source)) {
      TraceReader reader = new TraceReader(database, source, Duration.ofMinutes(30));
      services = reader.services();
      operations = reader.operations("checkout", Optional.of(2));
    }
    assertThat(gets).isEmpty();
    assertThat(services)
        .isEqualTo(spans.stream().map(StoredTraces::service).distinct().sorted().toList());

    // The same as reading the objects.
    try (S3SpanSource source = source(new ObjectCache(temp.resolve("cache"), 100_000_000), false);
        SpanDatabase database =
            SpanDatabase.open(SpanDatabase.Settings.defaults(temp.resolve("duckdb")), source)) {
      TraceReader reader = new TraceReader(database, source, Duration.ofMinutes(30));
      assertThat(reader.services()).isEqualTo(services);
      assertThat(reader.operations("checkout", Optional.of(2))).isNotEmpty().isEqualTo(operations);
    }
    assertThat(gets).isNotEmpty();
  }

  @Test
  void withoutAnIndexTracesAreFoundByScanning() throws Exception {
    try (ObjectCache cache = new ObjectCache(temp.resolve("cache"), 100_000_000)) {
      S3SpanSource source = source(cache, false);
      String traceId = traceIds(requests.get(1).get(1)).iterator().next();
      assertThat(source.filesOfTrace(traceId)).isEmpty();

      try (SpanDatabase database =
          SpanDatabase.open(SpanDatabase.Settings.defaults(temp.resolve("duckdb")), source)) {
        TracesData trace =
            new TraceReader(database, source, Duration.ofMinutes(30)).trace(traceId).orElseThrow();
        assertThat(StoredSpan.of(request(trace.getResourceSpansList())))
            .containsExactlyInAnyOrderElementsOf(spansOfTrace(requests.get(1).get(1), traceId));
      }
    }
  }

  @Test
  void anIndexedObjectTheLifecycleDeletedIsSkipped() {
    ExportTraceServiceRequest request = requests.get(0).get(0);
    String traceId = traceIds(request).iterator().next();
    String deleted = objects.get(0).get(0);
    AWS.s3proxy().client().deleteObject(b -> b.bucket(BUCKET).key(deleted));

    try (ObjectCache cache = new ObjectCache(temp.resolve("cache"), 100_000_000)) {
      assertThat(source(cache, true).filesOfTrace(traceId)).contains(List.of());
      assertThat(gets).containsExactly(deleted);
    }
  }

  private S3SpanSource source(ObjectCache cache, boolean indexed) {
    return new S3SpanSource(
        s3,
        BUCKET,
        keys,
        indexed
            ? Optional.of(new DynamoDbTraceIndexReader(AWS.dynalite().client(), TABLE))
            : Optional.empty(),
        cache,
        FetchProgress.NONE);
  }

  /** The production client's settings, and an interceptor noting the key of every GET. */
  private S3Client countingClient() {
    return S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .region(S3ProxyServer.REGION)
        .endpointOverride(AWS.s3proxy().endpoint())
        .forcePathStyle(true)
        .overrideConfiguration(
            c ->
                c.addExecutionInterceptor(
                    SentRequests.to(
                        request -> {
                          if (request instanceof GetObjectRequest get) {
                            gets.add(get.key());
                          }
                        })))
        .build();
  }

  private static Instant hour(int hour) {
    return FIRST_HOUR.plus(Duration.ofHours(hour));
  }

  private static TimeRange oneHour(int hour) {
    return new TimeRange(hour(hour), hour(hour).plusSeconds(3599));
  }

  private Set<String> allKeys() {
    return S3SpanObjects.keys(AWS.s3proxy().client(), BUCKET, keys.prefix() + "/");
  }

  private Set<String> keysOfHours(int first, int last) {
    Set<String> keysInRange = new TreeSet<>();
    for (int hour = first; hour <= last; hour++) {
      keysInRange.addAll(
          S3SpanObjects.keys(
              AWS.s3proxy().client(),
              BUCKET,
              keys.partitionPrefix(
                  HourPartition.ofUnixNanos(hour(hour).toEpochMilli() * 1_000_000))));
    }
    return keysInRange;
  }

  private long bytesOf(Set<String> objectKeys) {
    return objectKeys.stream()
        .mapToLong(
            key ->
                AWS.s3proxy().client().headObject(b -> b.bucket(BUCKET).key(key)).contentLength())
        .sum();
  }

  private static String local(ObjectCache cache, String key) {
    return cache.directory().resolve(BUCKET).resolve(key).toString();
  }

  private static long bytesUnder(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .filter(Files::isRegularFile)
          .filter(file -> !directory.relativize(file).toString().startsWith("."))
          .mapToLong(
              file -> {
                try {
                  return Files.size(file);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  /** The traces a search for the frontend's spans in the window finds, at most {@code limit}. */
  private static Set<String> frontendTraces(TraceReader reader, TimeRange window, int limit)
      throws SQLException {
    return StoredTraces.traceIds(reader.search(StoredTraces.byService(window, "frontend", limit)));
  }

  /** Every ingested trace, by the start of its newest frontend span, newest first. */
  private List<String> frontendTracesNewestFirst() {
    List<StoredSpan> spans = new ArrayList<>();
    requests.forEach(ofHour -> ofHour.forEach(request -> spans.addAll(StoredSpan.of(request))));
    return StoredTraces.newestFirst(spans, "frontend");
  }

  /** Every request ingested in an hour, as one. */
  private ExportTraceServiceRequest requestOfHour(int hour) {
    ExportTraceServiceRequest.Builder all = ExportTraceServiceRequest.newBuilder();
    requests.get(hour).forEach(request -> all.addAllResourceSpans(request.getResourceSpansList()));
    return all.build();
  }

  private static ExportTraceServiceRequest request(List<ResourceSpans> resources) {
    return ExportTraceServiceRequest.newBuilder().addAllResourceSpans(resources).build();
  }

  private static Set<String> traceIds(ExportTraceServiceRequest request) {
    return StoredTraces.traceIds(StoredSpan.of(request));
  }

  private static List<StoredSpan> spansOfTrace(ExportTraceServiceRequest request, String traceId) {
    return StoredSpan.of(request).stream()
        .filter(
            span ->
                HexFormat.of().formatHex(span.span().getTraceId().toByteArray()).equals(traceId))
        .toList();
  }
}
