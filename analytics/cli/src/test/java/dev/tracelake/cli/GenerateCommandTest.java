package dev.tracelake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tracelake generate}: its options and what it reports. */
class GenerateCommandTest {
  @TempDir Path data;

  @Test
  void generatesIntoTheDataDirectoryAndReports() {
    StringWriter out = new StringWriter();
    int exit =
        new CommandLine(new TracelakeCommand())
            .setOut(new PrintWriter(out))
            .execute(
                "generate",
                "--data",
                data.toString(),
                "--spans",
                "1000",
                "--hours",
                "1",
                "--start",
                "2026-11-25T10:00:00Z");

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("1,000 spans, 2 objects").contains("spans/s");
    assertThat(data.resolve("spans/dt=2026-11-25/hour=10")).isDirectory();
  }

  @Test
  void refusesAStartOffTheHour() {
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new TracelakeCommand())
            .setErr(new PrintWriter(err))
            .execute("generate", "--data", data.toString(), "--start", "2026-11-25T10:30:00Z");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("on the hour");
    assertThat(Files.exists(data.resolve("spans"))).isFalse();
  }
}
