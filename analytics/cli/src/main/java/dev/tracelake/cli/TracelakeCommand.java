package dev.tracelake.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tracelake} command: one executable for the local server and the analytics. */
@Command(
    name = "tracelake",
    mixinStandardHelpOptions = true,
    version = "tracelake 0.1.0",
    description = "Serverless OpenTelemetry trace analytics: OTLP in, Parquet out, SQL over it.",
    subcommands = {
      ServeCommand.class,
      GenerateCommand.class,
      SqlCommand.class,
      TraceCommand.class,
      SearchCommand.class,
      ServicesCommand.class,
      ReportCommand.class,
      CompareCommand.class,
      CompactCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TracelakeCommand {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with tracelake's error handling: a failure prints its message (what to fix),
   * not a stack trace, and exits with {@link ExitCodes#FAILED}.
   */
  static CommandLine commandLine() {
    return new CommandLine(new TracelakeCommand())
        .setParameterExceptionHandler(
            (e, args) -> {
              CommandLine commandLine = e.getCommandLine();
              commandLine.getErr().println("tracelake: " + e.getMessage());
              commandLine
                  .getErr()
                  .println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
              return ExitCodes.USAGE;
            })
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              commandLine.getErr().println("tracelake: " + e.getMessage());
              return ExitCodes.FAILED;
            });
  }
}
