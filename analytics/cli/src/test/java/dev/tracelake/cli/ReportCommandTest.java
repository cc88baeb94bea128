package dev.tracelake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.synthetic.ScenarioTraffic;
import dev.tracelake.testing.LocalIngest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracelake report} as a user runs it: formats, the SLO file, files, and mistakes. */
class ReportCommandTest {
  private static final Instant START = Instant.parse("2026-11-26T08:00:00Z");
  private static final String FROM = "--from=" + START;
  private static final String TO = "--to=" + START.plus(Duration.ofMinutes(30));

  @TempDir static Path data;
  @TempDir Path files;

  @BeforeAll
  static void ingestHalfAnHourOfTheShop() {
    var otlp = LocalIngest.endpoint(data, IngestLimits.DEFAULT);
    ScenarioTraffic traffic =
        ScenarioTraffic.generate(
            ScenarioTraffic.Config.builder(START).length(Duration.ofMinutes(30)).build());
    for (byte[] body : traffic.requestBodies()) {
      assertThat(otlp.export("application/x-protobuf", null, body).status()).isEqualTo(200);
    }
  }

  @Test
  void jsonIsTheApisAnswerAndAllNestsTheThreeReports() {
    QueryCommandsTest.Run dependencies = run("report", "dependencies", FROM, TO, "--format=json");
    assertThat(dependencies.exitCode()).as(dependencies.err()).isEqualTo(ExitCodes.OK);
    JsonObject graph = JsonParser.parseString(dependencies.out()).getAsJsonObject();
    assertThat(graph.get("from").getAsString()).isEqualTo(START.toString());
    assertThat(graph.getAsJsonArray("edges")).hasSize(6);

    QueryCommandsTest.Run all = run("report", "all", FROM, TO, "--format=json");
    assertThat(JsonParser.parseString(all.out()).getAsJsonObject().keySet())
        .containsExactly("from", "to", "dependencies", "sla", "incidents");
  }

  @Test
  void textFormatsTitleEachTable() {
    QueryCommandsTest.Run md = run("report", "sla", FROM, TO, "--format=md");
    assertThat(md.out())
        .startsWith("## SLA 2026-11-26T08:00:00Z to 2026-11-26T08:30:00Z\n\n| service |")
        .contains("| gateway |");

    QueryCommandsTest.Run table = run("report", "incidents", FROM, TO);
    assertThat(table.out()).contains("Incidents 2026-11-26T08:00:00Z").contains("MTTD and MTTR");
  }

  @Test
  void theGraphDrawsAsMermaidOrDotAndEverythingAsOnePage() throws Exception {
    QueryCommandsTest.Run mermaid = run("report", "dependencies", FROM, TO, "--format=mermaid");
    assertThat(mermaid.out()).startsWith("flowchart LR").contains("s_gateway").contains("s_orders");

    QueryCommandsTest.Run dot = run("report", "dependencies", FROM, TO, "--format=dot");
    assertThat(dot.out()).startsWith("digraph").contains("\"gateway\"");

    Path page = files.resolve("report.html");
    QueryCommandsTest.Run html =
        run("report", "all", FROM, TO, "--format=html", "--output=" + page);
    assertThat(html.exitCode()).as(html.err()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(page))
        .startsWith("<!DOCTYPE html>")
        .contains("<svg")
        .contains("payments")
        .doesNotContain("http://", "https://");

    QueryCommandsTest.Run wrongReport = run("report", "sla", "--format=mermaid");
    assertThat(wrongReport.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(wrongReport.err()).contains("draws the dependency graph");
  }

  @Test
  void theSloFileSetsTheObjectivesAndOutputCanGoToAFile() throws Exception {
    Path slo = files.resolve("slo.yaml");
    Files.writeString(slo, "defaults: {availability: 0.95, latency_p95_ms: 1234}\n");
    Path out = files.resolve("sla.json");

    QueryCommandsTest.Run run =
        run("report", "sla", FROM, TO, "--slo=" + slo, "--format=json", "-o", out.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).isEmpty();
    JsonObject first =
        JsonParser.parseString(Files.readString(out))
            .getAsJsonObject()
            .getAsJsonArray("services")
            .get(0)
            .getAsJsonObject();
    assertThat(first.get("availability_target").getAsDouble()).isEqualTo(0.95);
    assertThat(first.get("latency_target_ms").getAsDouble()).isEqualTo(1234);
  }

  @Test
  void mistakesExitTwoSayingWhatToFix() throws Exception {
    QueryCommandsTest.Run unknown = run("report", "latency");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("unknown report 'latency'");

    Path typo = files.resolve("typo.yaml");
    Files.writeString(typo, "services: {checkout: {availabilty: 0.99}}\n");
    QueryCommandsTest.Run badSlo = run("report", "sla", "--slo=" + typo);
    assertThat(badSlo.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badSlo.err()).contains("typo.yaml").contains("unknown key 'availabilty'");

    QueryCommandsTest.Run missing = run("report", "sla", "--slo=" + files.resolve("none.yaml"));
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("cannot read the SLO file");

    QueryCommandsTest.Run reversed =
        run("report", "sla", "--from=" + START, "--to=" + START.minusSeconds(1));
    assertThat(reversed.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(reversed.err()).contains("after it ends");
  }

  private static QueryCommandsTest.Run run(String... args) {
    List<String> arguments = new ArrayList<>(List.of(args));
    arguments.add("--data=" + data);
    return QueryCommandsTest.execute(arguments);
  }
}
