package dev.tracelake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import dev.tracelake.cli.QueryCommandsTest.Run;
import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.testing.LocalIngest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracelake compare}, the regression gate, over entry spans written by the ingest path with
 * known durations and outcomes: what it finds, and the exit codes a CI step relies on.
 */
class CompareCommandTest {
  private static final Instant BASELINE_HOUR = Instant.parse("2026-11-20T10:00:00Z");
  private static final Instant CANDIDATE_HOUR = Instant.parse("2026-11-20T12:00:00Z");
  private static final String BASELINE = "2026-11-20T10:00:00Z/2026-11-20T10:59:59Z";
  private static final String CANDIDATE = "2026-11-20T12:00:00Z/2026-11-20T12:59:59Z";

  /** The window of the comparisons by attribute. */
  private static final Instant VERSIONS_HOUR = Instant.parse("2026-11-20T14:00:00Z");

  private static final String[] VERSIONS_WINDOW = {
    "--from", "2026-11-20T14:00:00Z", "--to", "2026-11-20T14:59:59Z"
  };

  @TempDir Path data;
  private long nextId = 1;

  @Test
  void anErrorRateRegressionBetweenWindowsExitsFour() {
    ingest(
        "checkout",
        Map.of(),
        calls("POST /checkout", BASELINE_HOUR, 100, 1, 100),
        calls("POST /checkout", CANDIDATE_HOUR, 100, 5, 100),
        // Not entry spans: their errors are the callee's to report.
        spans("charge card", SpanKind.SPAN_KIND_CLIENT, CANDIDATE_HOUR, 100, 100, 100),
        // Between the windows: read by neither side.
        calls("POST /checkout", Instant.parse("2026-11-20T11:30:00Z"), 100, 100, 900));
    ingest(
        "catalog",
        Map.of(),
        calls("GET /items", BASELINE_HOUR, 80, 0, 50),
        calls("GET /items", CANDIDATE_HOUR, 80, 0, 50));

    Run run = compare("--baseline", BASELINE, "--candidate", CANDIDATE, "--format", "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.REGRESSION);
    JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
    assertThat(report.get("regressed").getAsBoolean()).isTrue();
    assertThat(report.get("by").isJsonNull()).isTrue();
    assertThat(report.getAsJsonObject("baseline").get("from").getAsString())
        .isEqualTo("2026-11-20T10:00:00Z");
    assertThat(report.getAsJsonObject("candidate").get("to").getAsString())
        .isEqualTo("2026-11-20T12:59:59Z");
    assertThat(report.getAsJsonObject("thresholds").get("max_error_rate_increase").getAsDouble())
        .isEqualTo(0.01);
    assertThat(report.getAsJsonObject("thresholds").get("min_calls").getAsLong()).isEqualTo(50);
    JsonArray operations = report.getAsJsonArray("operations");
    assertThat(operations).hasSize(2);

    JsonObject checkout = operations.get(0).getAsJsonObject();
    assertThat(checkout.get("service").getAsString()).isEqualTo("checkout");
    assertThat(checkout.get("operation").getAsString()).isEqualTo("POST /checkout");
    assertSide(checkout.getAsJsonObject("baseline"), 100, 1, 0.01, 100, 100);
    assertSide(checkout.getAsJsonObject("candidate"), 100, 5, 0.05, 100, 100);
    assertThat(checkout.get("error_rate_change").getAsDouble()).isEqualTo(0.04);
    assertThat(checkout.get("p95_change").getAsDouble()).isZero();
    assertThat(checkout.get("p99_change").getAsDouble()).isZero();
    assertThat(checkout.get("judged").getAsBoolean()).isTrue();
    assertThat(checkout.get("regressed").getAsBoolean()).isTrue();
    assertThat(strings(checkout.getAsJsonArray("reasons"))).containsExactly("error_rate");

    JsonObject catalog = operations.get(1).getAsJsonObject();
    assertThat(catalog.get("service").getAsString()).isEqualTo("catalog");
    assertSide(catalog.getAsJsonObject("candidate"), 80, 0, 0, 50, 50);
    assertThat(catalog.get("error_rate_change").getAsDouble()).isZero();
    assertThat(catalog.get("regressed").getAsBoolean()).isFalse();
    assertThat(catalog.getAsJsonArray("reasons")).isEmpty();

    assertThat(run.err())
        .startsWith("REGRESSED: 1 of 2 judged operations exceeded a threshold")
        .contains("baseline " + BASELINE + ", candidate " + CANDIDATE);
  }

  @Test
  void aLatencyRegressionOfACanaryVersionExitsFour() {
    // One slow call in 33 moves the p99 alone; a slower operation moves both percentiles.
    ingest(
        "cart",
        Map.of("service.version", "1.4.2"),
        calls("GET /cart", VERSIONS_HOUR, 100, 0, 100),
        calls("GET /price", VERSIONS_HOUR, 100, 0, 200));
    ingest(
        "cart",
        Map.of("service.version", "1.5.0"),
        calls("GET /cart", VERSIONS_HOUR, 97, 0, 100),
        calls("GET /cart", VERSIONS_HOUR.plusSeconds(600), 3, 0, 1000),
        calls("GET /price", VERSIONS_HOUR, 100, 0, 300));
    // Neither side's version.
    ingest(
        "cart", Map.of("service.version", "1.3.0"), calls("GET /cart", VERSIONS_HOUR, 100, 100, 5));

    Run run =
        compare(
            "--by",
            "service.version",
            "--baseline",
            "1.4.2",
            "--candidate",
            "1.5.0",
            VERSIONS_WINDOW[0],
            VERSIONS_WINDOW[1],
            VERSIONS_WINDOW[2],
            VERSIONS_WINDOW[3],
            "--format",
            "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.REGRESSION);
    JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
    assertThat(report.get("by").getAsString()).isEqualTo("service.version");
    assertThat(report.getAsJsonObject("baseline").get("value").getAsString()).isEqualTo("1.4.2");
    assertThat(report.getAsJsonObject("candidate").get("value").getAsString()).isEqualTo("1.5.0");
    JsonArray operations = report.getAsJsonArray("operations");
    assertThat(operations).hasSize(2);

    JsonObject cart = operations.get(0).getAsJsonObject();
    assertThat(cart.get("operation").getAsString()).isEqualTo("GET /cart");
    assertSide(cart.getAsJsonObject("baseline"), 100, 0, 0, 100, 100);
    // p99 of 97 x 100 ms and 3 x 1000 ms: rank 98.01 of 0..99, both 1000 ms.
    assertSide(cart.getAsJsonObject("candidate"), 100, 0, 0, 100, 1000);
    assertThat(cart.get("p95_change").getAsDouble()).isZero();
    assertThat(cart.get("p99_change").getAsDouble()).isEqualTo(9.0);
    assertThat(strings(cart.getAsJsonArray("reasons"))).containsExactly("p99");

    JsonObject price = operations.get(1).getAsJsonObject();
    assertThat(price.get("operation").getAsString()).isEqualTo("GET /price");
    assertThat(price.get("p95_change").getAsDouble()).isEqualTo(0.5);
    assertThat(price.get("p99_change").getAsDouble()).isEqualTo(0.5);
    assertThat(strings(price.getAsJsonArray("reasons"))).containsExactly("p95", "p99");
    assertThat(run.err())
        .startsWith("REGRESSED: 2 of 2 judged operations exceeded a threshold")
        .contains("baseline 1.4.2, candidate 1.5.0 by service.version in 2026-11-20T14:00:00Z/");
  }

  @Test
  void anUnchangedCandidatePassesWithRegressedRowsFirstInTheTable() {
    for (String version : List.of("1.4.2", "1.5.0")) {
      ingest(
          "orders",
          Map.of("service.version", version),
          calls("GET /orders", VERSIONS_HOUR, 60, 1, 40),
          calls("POST /orders", VERSIONS_HOUR, 60, 0, 80));
    }

    Run run =
        compare(
            "--by",
            "service.version",
            "--baseline",
            "1.4.2",
            "--candidate",
            "1.5.0",
            VERSIONS_WINDOW[0],
            VERSIONS_WINDOW[1],
            VERSIONS_WINDOW[2],
            VERSIONS_WINDOW[3]);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).startsWith("service").contains("status", "p95_change", "reasons");
    assertThat(lines.get(2)).contains("orders", "GET /orders", " ok ", "0.0167", "40.000");
    assertThat(lines.get(3)).contains("POST /orders", " ok ");
    assertThat(lines.get(4)).isEqualTo("(2 rows)");
    assertThat(lines.get(5))
        .startsWith("OK: no regression in 2 judged operations; baseline 1.4.2, candidate 1.5.0");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void aChangeOfExactlyTheThresholdIsNotOverIt() {
    // 6% to 7% errors is one percentage point, whatever 0.07 - 0.06 is in floating point.
    ingest(
        "payments",
        Map.of(),
        calls("POST /pay", BASELINE_HOUR, 100, 6, 100),
        calls("POST /pay", CANDIDATE_HOUR, 100, 7, 100));

    Run run = compare("--baseline", BASELINE, "--candidate", CANDIDATE, "--format", "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    JsonObject pay = operation(run, 0);
    assertThat(pay.get("error_rate_change").getAsDouble()).isEqualTo(0.01);
    assertThat(pay.get("regressed").getAsBoolean()).isFalse();

    Run stricter =
        compare(
            "--baseline",
            BASELINE,
            "--candidate",
            CANDIDATE,
            "--max-error-rate-increase",
            "0.005",
            "--format",
            "json");
    assertThat(stricter.exitCode()).isEqualTo(ExitCodes.REGRESSION);
  }

  @Test
  void operationsWithFewerThanMinCallsAreListedButNotJudged() {
    // Half the calls fail and all are three times slower, but 20 calls a side tell little.
    ingest(
        "search",
        Map.of(),
        calls("GET /search", BASELINE_HOUR, 20, 0, 100),
        calls("GET /search", CANDIDATE_HOUR, 20, 10, 300));

    Run run = compare("--baseline", BASELINE, "--candidate", CANDIDATE, "--format", "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    JsonObject search = operation(run, 0);
    assertThat(search.get("error_rate_change").getAsDouble()).isEqualTo(0.5);
    assertThat(search.get("p95_change").getAsDouble()).isEqualTo(2.0);
    assertThat(search.get("judged").getAsBoolean()).isFalse();
    assertThat(search.get("regressed").getAsBoolean()).isFalse();
    assertThat(search.getAsJsonArray("reasons")).isEmpty();
    assertThat(run.err())
        .startsWith(
            "OK: no regression, but no operation was judged; 1 not judged (fewer than 50 calls on"
                + " a side, or on one side only)");

    Run table = compare("--baseline", BASELINE, "--candidate", CANDIDATE);
    assertThat(table.out().lines().toList().get(2)).contains("too few calls");

    Run judged = compare("--baseline", BASELINE, "--candidate", CANDIDATE, "--min-calls", "20");
    assertThat(judged.exitCode()).isEqualTo(ExitCodes.REGRESSION);
    assertThat(judged.out().lines().toList().get(2)).contains("regressed", "error_rate p95 p99");
  }

  @Test
  void anOperationOnOneSideOnlyIsListedWithNullsAndNotJudged() {
    ingest(
        "legacy",
        Map.of(),
        calls("GET /old", BASELINE_HOUR, 100, 0, 10),
        // Every call of the new operation fails: there is nothing to compare it with.
        calls("GET /new", CANDIDATE_HOUR, 100, 100, 1000));

    Run run = compare("--baseline", BASELINE, "--candidate", CANDIDATE, "--format", "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    JsonObject added = operation(run, 0);
    assertThat(added.get("operation").getAsString()).isEqualTo("GET /new");
    assertThat(added.get("baseline").isJsonNull()).isTrue();
    assertSide(added.getAsJsonObject("candidate"), 100, 100, 1.0, 1000, 1000);
    for (String change : List.of("error_rate_change", "p95_change", "p99_change")) {
      assertThat(added.get(change).isJsonNull()).as(change).isTrue();
    }
    assertThat(added.get("judged").getAsBoolean()).isFalse();
    JsonObject removed = operation(run, 1);
    assertThat(removed.get("operation").getAsString()).isEqualTo("GET /old");
    assertSide(removed.getAsJsonObject("baseline"), 100, 0, 0, 10, 10);
    assertThat(removed.get("candidate").isJsonNull()).isTrue();

    Run csv = compare("--baseline", BASELINE, "--candidate", CANDIDATE, "--format", "csv");
    assertThat(csv.out().lines().toList())
        .containsExactly(
            "service,operation,status,baseline_calls,candidate_calls,baseline_errors,"
                + "candidate_errors,baseline_error_rate,candidate_error_rate,error_rate_change,"
                + "baseline_p95_ms,candidate_p95_ms,p95_change,baseline_p99_ms,candidate_p99_ms,"
                + "p99_change,reasons",
            "legacy,GET /new,candidate only,,100,,100,,1.0,,,1000.0,,,1000.0,,",
            "legacy,GET /old,baseline only,100,,0,,0.0,,,10.0,,,10.0,,,");
    assertThat(csv.err()).startsWith("OK: no regression, but no operation was judged; 2 not");
  }

  @Test
  void aSpanAttributeOverridesItsResources() {
    // The batch says control; half its spans say treatment themselves.
    List<Span> spans = new ArrayList<>();
    spans.addAll(calls("GET /home", VERSIONS_HOUR, 60, 0, 100));
    for (Span span : calls("GET /home", VERSIONS_HOUR.plusSeconds(60), 60, 6, 100)) {
      spans.add(span.toBuilder().addAttributes(attribute("app.variant", "treatment")).build());
    }
    ingest("web", Map.of("app.variant", "control"), spans);

    Run run =
        compare(
            "--by",
            "app.variant",
            "--baseline",
            "control",
            "--candidate",
            "treatment",
            VERSIONS_WINDOW[0],
            VERSIONS_WINDOW[1],
            VERSIONS_WINDOW[2],
            VERSIONS_WINDOW[3],
            "--format",
            "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.REGRESSION);
    JsonObject home = operation(run, 0);
    assertSide(home.getAsJsonObject("baseline"), 60, 0, 0, 100, 100);
    assertSide(home.getAsJsonObject("candidate"), 60, 6, 0.1, 100, 100);
    assertThat(strings(home.getAsJsonArray("reasons"))).containsExactly("error_rate");
  }

  @Test
  void aWrongCommandLineExitsTwoWithWhatToFix() {
    assertUsage(
        compare("--baseline", "2026-11-20T10:00:00Z", "--candidate", CANDIDATE),
        "--baseline '2026-11-20T10:00:00Z' is not a window FROM/TO",
        "add --by KEY");
    assertUsage(
        compare("--baseline", BASELINE, "--candidate", "yesterday/today"),
        "--candidate: 'yesterday' is not an RFC 3339 time");
    assertUsage(
        compare(
            "--baseline", "2026-11-20T11:00:00Z/2026-11-20T10:00:00Z", "--candidate", CANDIDATE),
        "--baseline: the time range starts (2026-11-20T11:00:00Z) after it ends");
    assertUsage(
        compare("--by", "service.version", "--baseline", "1.4.2"),
        "Missing required option: '--candidate=FROM/TO|VALUE'");
    assertUsage(
        compare("--by", "service.version", "--baseline", "1.4.2", "--candidate", "1.4.2"),
        "--baseline and --candidate are the same value of service.version: '1.4.2'");
    assertUsage(
        compare("--by", "service.version", "--baseline", " ", "--candidate", "1.5.0"),
        "with --by, --baseline and --candidate are values of service.version");
    assertUsage(
        compare("--baseline", BASELINE, "--candidate", CANDIDATE, "--from", "2026-11-20T10:00:00Z"),
        "--from and --to give the window of a comparison --by an attribute");
    assertUsage(
        compare("--baseline", BASELINE, "--candidate", CANDIDATE, "--max-p95-increase", "-0.1"),
        "the largest p95 increase is a number, 0 or more, not -0.1");
    assertUsage(
        compare("--baseline", BASELINE, "--candidate", CANDIDATE, "--min-calls", "many"),
        "--min-calls");
  }

  @Test
  void helpListsTheExitCodes() {
    // picocli warns on System.err about descriptions it cannot format (a lone %).
    PrintStream systemErr = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    Run run;
    try {
      System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
      run = compare("--help");
    } finally {
      System.setErr(systemErr);
    }

    assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.out())
        .contains("--max-p95-increase=RATIO", "0.2 is 20% slower (default: 0.2)")
        .contains("--min-calls=N", "(default: 50)")
        .contains("4   an operation regressed");
    assertThat(run.err()).isEmpty();
  }

  private static void assertUsage(Run run, String... messages) {
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains(messages).contains("tracelake compare --help");
    assertThat(run.out()).isEmpty();
  }

  private static void assertSide(
      JsonObject side, long calls, long errors, double errorRate, double p95Ms, double p99Ms) {
    assertThat(side.get("calls").getAsLong()).isEqualTo(calls);
    assertThat(side.get("errors").getAsLong()).isEqualTo(errors);
    assertThat(side.get("error_rate").getAsDouble()).isEqualTo(errorRate);
    assertThat(side.get("p95_ms").getAsDouble()).isEqualTo(p95Ms);
    assertThat(side.get("p99_ms").getAsDouble()).isEqualTo(p99Ms);
  }

  private static JsonObject operation(Run run, int index) {
    return JsonParser.parseString(run.out())
        .getAsJsonObject()
        .getAsJsonArray("operations")
        .get(index)
        .getAsJsonObject();
  }

  private static List<String> strings(JsonArray array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonElement::getAsString).toList();
  }

  private Run compare(String... args) {
    List<String> arguments = new ArrayList<>();
    arguments.add("compare");
    arguments.addAll(List.of(args));
    arguments.add("--data=" + data);
    return QueryCommandsTest.execute(arguments);
  }

  /**
   * {@code count} SERVER spans of one operation, a second apart from {@code start}, each lasting
   * {@code millis}; the first {@code errors} of them fail.
   */
  private List<Span> calls(String name, Instant start, int count, int errors, long millis) {
    return spans(name, SpanKind.SPAN_KIND_SERVER, start, count, errors, millis);
  }

  private List<Span> spans(
      String name, SpanKind kind, Instant start, int count, int errors, long millis) {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long startNanos = nanos(start.plusSeconds(i));
      spans.add(
          Span.newBuilder()
              .setTraceId(id(16))
              .setSpanId(id(8))
              .setName(name)
              .setKind(kind)
              .setStartTimeUnixNano(startNanos)
              .setEndTimeUnixNano(startNanos + Duration.ofMillis(millis).toNanos())
              .setStatus(
                  Status.newBuilder()
                      .setCode(
                          i < errors
                              ? Status.StatusCode.STATUS_CODE_ERROR
                              : Status.StatusCode.STATUS_CODE_UNSET))
              .build());
    }
    return spans;
  }

  /** Writes the spans as one batch of the service, through the ingest endpoint. */
  @SafeVarargs
  private void ingest(String service, Map<String, String> resource, List<Span>... spans) {
    Resource.Builder attributes =
        Resource.newBuilder().addAttributes(attribute("service.name", service));
    resource.forEach((key, value) -> attributes.addAttributes(attribute(key, value)));
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test"));
    for (List<Span> some : spans) {
      scope.addAllSpans(some);
    }
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder().setResource(attributes).addScopeSpans(scope))
            .build();
    assertThat(
            LocalIngest.endpoint(data, IngestLimits.DEFAULT)
                .export("application/x-protobuf", null, request.toByteArray())
                .status())
        .isEqualTo(200);
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private ByteString id(int bytes) {
    ByteBuffer id = ByteBuffer.allocate(bytes);
    id.putLong(bytes - 8, nextId++);
    return ByteString.copyFrom(id.array());
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
