package dev.tracelake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.query.testing.JaegerConformance;
import dev.tracelake.testing.LocalIngest;
import dev.tracelake.testing.OtlpFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The query commands as a script sees them: output, and exit codes it can rely on. */
class QueryCommandsTest {
  @TempDir static Path data;

  /** What a command printed and how it exited. */
  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void ingestTheConformanceFixtures() {
    var otlp = LocalIngest.endpoint(data, IngestLimits.DEFAULT);
    for (Path file : JaegerConformance.traceFiles()) {
      assertThat(otlp.export("application/json", null, OtlpFiles.bytes(file)).status())
          .isEqualTo(200);
    }
  }

  @Test
  void traceShowsEverySpanAndExitsZero() {
    Run run = run("trace", "00000000000000000000000000000011");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).startsWith("trace_id").contains("00000000000000000000000000000011");
  }

  @Test
  void traceAsJsonIsTheApisAnswer() {
    Run run = run("trace", "00000000000000000000000000000011", "--format", "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(JaegerConformance.resultSpans(run.out()))
        .containsExactlyInAnyOrderElementsOf(
            JaegerConformance.fixtureSpans("00000000000000000000000000000011"));
  }

  @Test
  void anUnknownTraceExitsThree() {
    Run run = run("trace", "0123456789abcdef0123456789abcdef");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err()).contains("no trace 0123456789abcdef0123456789abcdef");
  }

  @Test
  void aBadArgumentExitsTwoWithWhatToFix() {
    Run badId = run("trace", "xyz");
    assertThat(badId.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badId.err()).contains("32 hex digits").contains("--help");

    Run badDuration = run("search", "--min-duration", "5");
    assertThat(badDuration.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badDuration.err()).contains("--min-duration").contains("is not a duration");
  }

  @Test
  void searchPrintsCsvOfTheMatchingTraces() {
    Run run =
        run(
            "search",
            "--service",
            "query22-service",
            "--from",
            "2017-01-26T15:46:31.639875Z",
            "--to",
            "2017-01-26T17:46:31.639875Z",
            "--format",
            "csv");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).startsWith("trace_id,span_id,parent_span_id,service,operation");
    assertThat(lines.subList(1, lines.size()))
        .allMatch(line -> line.contains(",query22-service,"))
        .hasSize(3);
  }

  @Test
  void searchByAttributeMatchesTypedValues() {
    Run run =
        run(
            "search",
            "--service",
            "query01-service",
            "--attribute",
            "sameplacetag2=123",
            "--attribute",
            "sameplacetag4=true",
            "--from",
            "2017-01-26T15:46:31.639875Z",
            "--to",
            "2017-01-26T17:46:31.639875Z",
            "--format",
            "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(JaegerConformance.resultTraceIds(run.out()))
        .containsExactlyElementsOf(JaegerConformance.queries().get(0).expectedTraceIds());
  }

  @Test
  void servicesListsEveryService() {
    Run run = run("services", "--format", "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("\"query01-service\"", "\"query25-service\"");
  }

  private static Run run(String... args) {
    List<String> arguments = new ArrayList<>(List.of(args));
    arguments.add("--data=" + data);
    return execute(arguments);
  }

  /** Runs the tracelake command line as its main method would, capturing what it prints. */
  static Run execute(List<String> arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = TracelakeCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(arguments.toArray(String[]::new));
    return new Run(exitCode, out.toString(), err.toString());
  }
}
