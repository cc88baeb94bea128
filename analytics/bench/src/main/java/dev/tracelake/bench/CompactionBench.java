package dev.tracelake.bench;

import dev.tracelake.compaction.CompactionSettings;
import dev.tracelake.compaction.Compactor;
import dev.tracelake.compaction.PartitionOutcome;
import dev.tracelake.index.TraceIndex;
import dev.tracelake.load.SyntheticLoad;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.SpanSource;
import dev.tracelake.query.TimeRange;
import dev.tracelake.query.TraceReader;
import dev.tracelake.query.WorkDirectories;
import dev.tracelake.query.report.Reports;
import dev.tracelake.query.report.SloPolicy;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.SyntheticTraces;
import dev.tracelake.testing.Machine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Compaction, side by side in one run over the same synthetic spans: stored by tracelake as one
 * object per request, the same objects after {@code tracelake compact}, and the same requests as
 * the Collector's awss3exporter stores them (OTLP protobuf + gzip, and OTLP/JSON + gzip, which
 * DuckDB reads as it is). For each: objects, bytes per span, trace-by-ID latency and the time of
 * each report over everything. Run from the repository root:
 *
 * <pre>
 * ./mvnw -q -pl analytics/bench -am package -DskipTests &amp;&amp; java -cp analytics/bench/target/query-bench.jar dev.tracelake.bench.CompactionBench --data /tmp/compaction-bench
 * </pre>
 */
@Command(
    name = "compaction-bench",
    mixinStandardHelpOptions = true,
    description = "Compare storage and query times before and after compaction, and as OTLP.")
public final class CompactionBench implements Callable<Integer> {
  private static final SpanObjectKeys KEYS = new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX);
  // Synthetic traces never cross an hour.
  private static final Duration TRACE_REACH = Duration.ofHours(1);

  @Option(
      names = "--data",
      defaultValue = "./compaction-bench-data",
      description = "An empty directory to fill (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--spans",
      defaultValue = "10000000",
      description = "Spans to generate (default: ${DEFAULT-VALUE}).")
  long spans;

  @Option(
      names = "--hours",
      defaultValue = "24",
      description = "Hours to spread them over, ending now (default: ${DEFAULT-VALUE}).")
  int hours;

  @Option(
      names = "--lookups",
      defaultValue = "20",
      description = "Traces to look up by ID in tracelake's layouts (default: ${DEFAULT-VALUE}).")
  int lookups;

  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "Runs of each report in tracelake's layouts (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--otlp-runs",
      defaultValue = "1",
      description =
          "Lookups and report runs over OTLP/JSON; 0 to measure only its size (default:"
              + " ${DEFAULT-VALUE}).")
  int otlpRuns;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CompactionBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    System.out.println(Machine.describe());
    Path tracelake = data.resolve("tracelake");
    OtlpArchive protobuf = new OtlpArchive(data.resolve("otlp-proto"), OtlpArchive.Format.PROTOBUF);
    OtlpArchive json = new OtlpArchive(data.resolve("otlp-json"), OtlpArchive.Format.JSON);
    if (Files.exists(data) && Files.list(data).findAny().isPresent()) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--data " + data + " must be empty: the run compacts it");
    }
    SyntheticLoad.Plan plan =
        SyntheticLoad.Plan.endingNow(spans, hours, SyntheticTraces.EXPORT_BATCH_SPANS, 1);
    System.out.printf(
        "Generating %,d spans in requests of %d from %s to %s...%n",
        plan.spans(), plan.batchSpans(), plan.start(), plan.end());
    SyntheticLoad.write(
        plan,
        new LocalDirectoryObjectStore(tracelake),
        KEYS,
        TraceIndex.NONE,
        Runtime.getRuntime().availableProcessors());
    SyntheticLoad.requests(plan)
        .parallel()
        .forEach(
            request -> {
              protobuf.write(request);
              json.write(request);
            });

    List<String> traceIds;
    List<Store> stores = new ArrayList<>();
    Path work = Files.createTempDirectory("tracelake-compaction-bench");
    try {
      LocalSpanSource source = new LocalSpanSource(tracelake, KEYS);
      try (SpanDatabase database =
          SpanDatabase.open(SpanDatabase.Settings.defaults(work.resolve("q1")), source)) {
        traceIds = QueryBench.sampleTraceIds(database, source, lookups + 3);
      }
      stores.add(
          measure(
              "tracelake, object per request",
              parquet(tracelake),
              source,
              traceIds,
              runs,
              work.resolve("q2"),
              SpanDatabase::open));

      // The defaults, without the delays a live system needs: nothing writes or reads meanwhile.
      CompactionSettings defaults = CompactionSettings.defaults(work.resolve("compaction"));
      long started = System.nanoTime();
      List<PartitionOutcome> outcomes =
          new Compactor(
                  new LocalDirectoryObjectStore(tracelake),
                  KEYS,
                  TraceIndex.NONE,
                  new CompactionSettings(
                      Duration.ZERO,
                      Duration.ZERO,
                      defaults.spansPerObject(),
                      defaults.rowGroupSpans(),
                      defaults.database()),
                  Clock.systemUTC())
              .compact(TimeRange.ALL, outcome -> {});
      double seconds = (System.nanoTime() - started) / 1e9;
      long compacted = outcomes.stream().mapToLong(PartitionOutcome::spansOut).sum();
      System.out.printf(
          "Compacted %d partitions, %,d spans in %.1f s: %,.0f spans/s%n",
          outcomes.size(), compacted, seconds, compacted / seconds);
      stores.add(
          measure(
              "tracelake, compacted",
              parquet(tracelake),
              source,
              traceIds,
              runs,
              work.resolve("q3"),
              SpanDatabase::open));

      stores.add(Store.unqueryable("OTLP protobuf + gzip (awss3exporter)", protobuf.objects()));
      String jsonName = "OTLP/JSON + gzip (awss3exporter), DuckDB read_json";
      stores.add(
          otlpRuns == 0
              ? Store.unqueryable(jsonName, json.objects())
              : measure(
                  jsonName,
                  json.objects(),
                  json.source(),
                  traceIds.subList(0, otlpRuns),
                  otlpRuns,
                  work.resolve("q4"),
                  (settings, s) ->
                      SpanDatabase.openWithView(settings, s, OtlpArchive.jsonSpansView())));
    } finally {
      WorkDirectories.deleteTree(work);
    }
    print(stores, spans);
    System.out.printf("Load average at the end: %.2f%n", Machine.loadAverage());
    return 0;
  }

  /** One way of storing the spans, measured. Times in ms; -1 where it cannot be queried. */
  private record Store(
      String name,
      int objects,
      long bytes,
      double traceByIdP50,
      double dependencies,
      double sla,
      double incidents) {
    static Store unqueryable(String name, List<Path> objects) throws IOException {
      return new Store(name, objects.size(), CompactionBench.bytes(objects), -1, -1, -1, -1);
    }
  }

  private static long bytes(List<Path> objects) throws IOException {
    long total = 0;
    for (Path object : objects) {
      total += Files.size(object);
    }
    return total;
  }

  private interface DatabaseOpener {
    SpanDatabase open(SpanDatabase.Settings settings, SpanSource source);
  }

  private static Store measure(
      String name,
      List<Path> objects,
      SpanSource source,
      List<String> traceIds,
      int runs,
      Path work,
      DatabaseOpener opener)
      throws Exception {
    System.out.printf("%n%s: %,d objects%n", name, objects.size());
    try (SpanDatabase database = opener.open(SpanDatabase.Settings.defaults(work), source)) {
      TimeRange everything = TimeRange.ALL;
      Reports reports = new Reports(database, source, TRACE_REACH);
      boolean parquet = objects.get(0).toString().endsWith(".parquet");
      Latency.Row lookup =
          Latency.measure(
              "trace by ID",
              "",
              traceIds,
              traceId -> {
                if (lookupSpans(database, source, traceId, parquet) == 0) {
                  throw new IllegalStateException("trace " + traceId + " not found in " + name);
                }
              },
              Math.min(3, traceIds.size()));
      List<Integer> runNumbers = Stream.iterate(0, i -> i + 1).limit(runs).toList();
      Latency.Row dependencies =
          Latency.measure(
              "report dependencies", "", runNumbers, run -> reports.dependencies(everything), 0);
      Latency.Row sla =
          Latency.measure(
              "report sla",
              "",
              runNumbers,
              run -> reports.sla(everything, SloPolicy.defaults()),
              0);
      Latency.Row incidents =
          Latency.measure(
              "report incidents",
              "",
              runNumbers,
              run -> reports.incidents(everything, SloPolicy.defaults()),
              0);
      return new Store(
          name,
          objects.size(),
          CompactionBench.bytes(objects),
          lookup.p50(),
          dependencies.p50(),
          sla.p50(),
          incidents.p50());
    }
  }

  /**
   * Looks a trace up: through the trace reader, as the API does, in tracelake's layout; with the
   * same SQL over the OTLP/JSON view, which has no footers or statistics to skip files by.
   */
  private static int lookupSpans(
      SpanDatabase database, SpanSource source, String traceId, boolean parquet) throws Exception {
    if (parquet) {
      return new TraceReader(database, source, TRACE_REACH)
          .trace(traceId)
          .map(trace -> trace.getResourceSpansCount())
          .orElse(0);
    }
    try (Connection connection = database.connect(source.files(TimeRange.ALL));
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM (SELECT * FROM spans WHERE trace_id = '" + traceId + "')")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static List<Path> parquet(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(file -> file.toString().endsWith(".parquet")).toList();
    }
  }

  private static void print(List<Store> stores, long spans) {
    System.out.println();
    System.out.printf(
        "%-52s %9s %10s %8s %12s %12s %10s %10s%n",
        "storage", "objects", "MB", "B/span", "trace by ID", "dependencies", "sla", "incidents");
    Function<Double, String> ms = value -> value < 0 ? "-" : String.format("%,.0f ms", value);
    for (Store store : stores) {
      System.out.printf(
          "%-52s %,9d %,10.1f %8.1f %12s %12s %10s %10s%n",
          store.name(),
          store.objects(),
          store.bytes() / 1e6,
          (double) store.bytes() / spans,
          ms.apply(store.traceByIdP50()),
          ms.apply(store.dependencies()),
          ms.apply(store.sla()),
          ms.apply(store.incidents()));
    }
    Store before = stores.get(0);
    Store after = stores.get(1);
    Store protobuf = stores.get(2);
    System.out.printf(
        "%nAims: compacted bytes <= half of OTLP protobuf + gzip: %.2f of it; queries >= 10x faster"
            + " than per-request objects: trace by ID %.1fx, dependencies %.1fx, sla %.1fx,"
            + " incidents %.1fx%n",
        (double) after.bytes() / protobuf.bytes(),
        before.traceByIdP50() / after.traceByIdP50(),
        before.dependencies() / after.dependencies(),
        before.sla() / after.sla(),
        before.incidents() / after.incidents());
  }
}
