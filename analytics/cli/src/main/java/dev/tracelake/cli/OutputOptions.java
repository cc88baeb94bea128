package dev.tracelake.cli;

import picocli.CommandLine.Option;

/** How a query command prints its answer. */
final class OutputOptions {
  /** The output formats: aligned text for people, CSV and JSON for programs. */
  enum Format {
    table,
    csv,
    json
  }

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;
}
