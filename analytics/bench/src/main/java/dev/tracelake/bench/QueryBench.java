package dev.tracelake.bench;

import dev.tracelake.index.TraceIndex;
import dev.tracelake.load.SyntheticLoad;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.TimeRange;
import dev.tracelake.query.TraceQuery;
import dev.tracelake.query.TraceReader;
import dev.tracelake.query.report.Reports;
import dev.tracelake.query.report.SloPolicy;
import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.SyntheticTraces;
import dev.tracelake.testing.Machine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Query latency over a local data directory, as {@code tracelake serve} or {@code tracelake
 * generate} writes it: trace by ID, a search by service and tag over one hour and over one day, and
 * a count of every span by service. Prints the machine, the data, then percentiles of each query
 * after a warm-up, in one process and one database, as the query function would run them. When the
 * directory holds no span yet, it is filled with synthetic spans first. Run from the repository
 * root:
 *
 * <pre>
 * ./mvnw -q -pl analytics/bench -am package -DskipTests &amp;&amp; java -jar analytics/bench/target/query-bench.jar --data /tmp/bench-data
 * </pre>
 */
@Command(
    name = "query-bench",
    mixinStandardHelpOptions = true,
    description = "Measure query latency over a data directory, generating it when empty.")
public final class QueryBench implements Callable<Integer> {
  private static final SpanObjectKeys KEYS = new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX);
  private static final Duration HOUR = Duration.ofHours(1);
  // Synthetic traces never cross an hour; an hour of reach is what a live system might allow.
  private static final Duration TRACE_REACH = HOUR;
  private static final String SEARCH_SERVICE = "checkout";
  private static final Map<String, String> SEARCH_TAGS = Map.of("db.system", "postgresql");
  private static final String COUNT_BY_SERVICE =
      "SELECT service_name, count(*) FROM spans GROUP BY service_name";

  @Option(
      names = "--data",
      defaultValue = "./bench-data",
      description = "Data directory (default: ${DEFAULT-VALUE}); generated when it has no span.")
  Path data;

  @Option(
      names = "--spans",
      defaultValue = "10000000",
      description = "Spans to generate into an empty directory (default: ${DEFAULT-VALUE}).")
  long spans;

  @Option(
      names = "--hours",
      defaultValue = "24",
      description = "Hours to generate them over, ending now (default: ${DEFAULT-VALUE}).")
  int hours;

  @Option(
      names = "--batch-spans",
      defaultValue = "" + SyntheticTraces.EXPORT_BATCH_SPANS,
      description = "Spans per generated object (default: ${DEFAULT-VALUE}).")
  int batchSpans;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the generated spans (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--lookups",
      defaultValue = "200",
      description =
          "Traces to look up by ID, each a random stored one (default: ${DEFAULT-VALUE}).")
  int lookups;

  @Option(
      names = "--runs",
      defaultValue = "20",
      description = "Runs of each search (default: ${DEFAULT-VALUE}).")
  int runs;

  public static void main(String[] args) {
    System.exit(new CommandLine(new QueryBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    System.out.println(Machine.describe());
    if (objects().isEmpty()) {
      generate();
    }
    List<Path> objects = objects();
    long bytes = 0;
    for (Path object : objects) {
      bytes += Files.size(object);
    }
    List<HourPartition> partitions = partitions(objects);

    LocalSpanSource source = new LocalSpanSource(data, KEYS);
    Path work = Files.createTempDirectory("tracelake-query-bench");
    try (SpanDatabase database = SpanDatabase.open(SpanDatabase.Settings.defaults(work), source)) {
      TraceReader reader = new TraceReader(database, source, TRACE_REACH);
      List<Latency.Row> rows = new ArrayList<>();

      // First, while nothing is cached in the process: every object's footer is read here.
      long[] stored = new long[1];
      long first = Latency.time(() -> stored[0] = countByService(database, source));
      System.out.printf(
          "Data: %,d spans in %,d objects under %s, %,.1f MB (%.1f bytes/span), %d hour partitions"
              + " from %s to %s; DuckDB %s%n",
          stored[0],
          objects.size(),
          source.location(),
          bytes / 1e6,
          (double) bytes / stored[0],
          partitions.size(),
          partitions.get(0).path(),
          partitions.get(partitions.size() - 1).path(),
          duckDbVersion(database));
      System.out.printf("First query of the process (count by service): %,.0f ms%n", first / 1e6);

      long sampleStarted = System.nanoTime();
      List<String> traceIds = sampleTraceIds(database, source, lookups + 10);
      System.out.printf(
          "Sampled %d stored trace IDs in %,.0f ms%n",
          traceIds.size(), (System.nanoTime() - sampleStarted) / 1e6);

      for (String traceId : traceIds.subList(0, 10)) {
        reader.trace(traceId);
      }
      rows.add(
          Latency.measure(
              "trace by ID",
              "< 50",
              traceIds.subList(10, traceIds.size()),
              traceId -> {
                if (reader.trace(traceId).isEmpty()) {
                  throw new IllegalStateException("stored trace " + traceId + " not found");
                }
              },
              0));

      HourPartition last = partitions.get(partitions.size() - 1);
      List<Integer> runNumbers = Stream.iterate(0, i -> i + 1).limit(runs).toList();
      rows.add(
          Latency.measure(
              "search " + SEARCH_SERVICE + " + db.system, 1 hour",
              "< 300",
              runNumbers,
              // A different hour each run, newest first: as many partitions as there are runs.
              run -> reader.search(search(hourWindow(partitions, run))),
              3));
      TimeRange day =
          new TimeRange(
              start(last).minus(Duration.ofHours(23)), start(last).plus(HOUR).minusNanos(1));
      rows.add(
          Latency.measure(
              "search " + SEARCH_SERVICE + " + db.system, 24 hours",
              "",
              runNumbers,
              run -> reader.search(search(day)),
              3));
      Reports reports = new Reports(database, source, TRACE_REACH);
      TimeRange everything =
          new TimeRange(start(partitions.get(0)), start(last).plus(HOUR).minusNanos(1));
      List<Integer> reportRuns =
          Stream.iterate(0, i -> i + 1).limit(Math.max(runs / 4, 3)).toList();
      rows.add(
          Latency.measure(
              "report dependencies, everything",
              "< 2000",
              reportRuns,
              run -> reports.dependencies(everything),
              1));
      rows.add(
          Latency.measure(
              "report sla, everything",
              "< 1000",
              reportRuns,
              run -> reports.sla(everything, SloPolicy.defaults()),
              1));
      rows.add(
          Latency.measure(
              "report incidents, everything",
              "< 1000",
              reportRuns,
              run -> reports.incidents(everything, SloPolicy.defaults()),
              1));
      rows.add(
          Latency.measure(
              "count(*) by service, everything",
              "",
              Stream.iterate(0, i -> i + 1).limit(Math.max(runs / 4, 3)).toList(),
              run -> countByService(database, source),
              1));

      System.out.println();
      System.out.printf(
          "%-40s %6s %10s %10s %10s %10s%n",
          "query", "runs", "p50 ms", "p99 ms", "max ms", "aim ms");
      for (Latency.Row row : rows) {
        System.out.printf(
            "%-40s %6d %,10.1f %,10.1f %,10.1f %10s%n",
            row.name(), row.runs(), row.p50(), row.p99(), row.max(), row.aim());
      }
      System.out.printf("Load average at the end: %.2f%n", Machine.loadAverage());
    } finally {
      deleteRecursively(work);
    }
    return 0;
  }

  private void generate() throws InterruptedException {
    SyntheticLoad.Plan plan = SyntheticLoad.Plan.endingNow(spans, hours, batchSpans, seed);
    System.out.printf(
        "Generating %,d spans in %d-span objects from %s to %s...%n",
        plan.spans(), plan.batchSpans(), plan.start(), plan.end());
    SyntheticLoad.Result result =
        SyntheticLoad.write(
            plan,
            new LocalDirectoryObjectStore(data),
            KEYS,
            TraceIndex.NONE,
            Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "Generated %,d spans, %,d objects, %,d bytes in %.1f s: %,.0f spans/s%n",
        result.spans(),
        result.objects(),
        result.bytes(),
        result.elapsed().toMillis() / 1000.0,
        result.spansPerSecond());
  }

  private static TraceQuery search(TimeRange window) {
    return new TraceQuery(
        window,
        Optional.of(SEARCH_SERVICE),
        Optional.empty(),
        OptionalInt.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        SEARCH_TAGS,
        TraceQuery.DEFAULT_LIMIT);
  }

  /** The run-th hour from the newest, wrapping around. */
  private static TimeRange hourWindow(List<HourPartition> partitions, int run) {
    HourPartition hour = partitions.get(partitions.size() - 1 - run % partitions.size());
    return new TimeRange(start(hour), start(hour).plus(HOUR).minusNanos(1));
  }

  private static Instant start(HourPartition hour) {
    return hour.date().atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(hour.hour()));
  }

  private static long countByService(SpanDatabase database, LocalSpanSource source)
      throws SQLException {
    long total = 0;
    try (Connection connection = database.connect(source.files(TimeRange.ALL));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(COUNT_BY_SERVICE)) {
      while (rows.next()) {
        total += rows.getLong(2);
      }
    }
    return total;
  }

  /** Stored trace IDs, drawn at random. */
  static List<String> sampleTraceIds(SpanDatabase database, LocalSpanSource source, int count)
      throws SQLException {
    List<String> traceIds = new ArrayList<>();
    // Twice as many spans as traces wanted, so that the distinct trace IDs are enough.
    try (Connection connection = database.connect(source.files(TimeRange.ALL));
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT DISTINCT trace_id FROM (SELECT trace_id FROM spans USING SAMPLE reservoir("
                    + 2 * count
                    + " ROWS)) LIMIT "
                    + count)) {
      while (rows.next()) {
        traceIds.add(rows.getString(1));
      }
    }
    if (traceIds.size() < count) {
      throw new IllegalStateException("too few traces stored to sample " + count);
    }
    return traceIds;
  }

  private static String duckDbVersion(SpanDatabase database) throws SQLException {
    try (Connection connection = database.connect(List.of());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT version()")) {
      rows.next();
      return rows.getString(1);
    }
  }

  private List<Path> objects() throws IOException {
    Path spans = data.resolve(KEYS.prefix());
    if (!Files.isDirectory(spans)) {
      return List.of();
    }
    try (Stream<Path> files =
        Files.find(spans, 3, (path, attributes) -> path.toString().endsWith(".parquet"))) {
      return files.toList();
    }
  }

  /** The hour partitions holding objects, oldest first. */
  private static List<HourPartition> partitions(List<Path> objects) {
    TreeSet<HourPartition> partitions = new TreeSet<>();
    for (Path object : objects) {
      String hour = object.getParent().getFileName().toString();
      String date = object.getParent().getParent().getFileName().toString();
      partitions.add(
          new HourPartition(
              LocalDate.parse(date.substring("dt=".length())),
              Integer.parseInt(hour.substring("hour=".length()))));
    }
    return List.copyOf(partitions);
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
