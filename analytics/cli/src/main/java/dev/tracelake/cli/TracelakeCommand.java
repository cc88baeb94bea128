package dev.tracelake.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tracelake} command: one executable for the local server and the analytics. */
@Command(
    name = "tracelake",
    mixinStandardHelpOptions = true,
    version = "tracelake 0.1.0",
    description = "Serverless OpenTelemetry trace analytics: OTLP in, Parquet out, SQL over it.",
    subcommands = {ServeCommand.class, GenerateCommand.class, CommandLine.HelpCommand.class})
public final class TracelakeCommand {
  public static void main(String[] args) {
    System.exit(new CommandLine(new TracelakeCommand()).execute(args));
  }
}
