package dev.tracelake.cli;

import dev.tracelake.query.SqlResultFormat;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How a query command prints its answer: aligned text for people, CSV and JSON for programs. */
final class OutputOptions {
  @Option(
      names = "--format",
      defaultValue = "table",
      converter = FormatConverter.class,
      description = "Output format: table, csv, md or json (default: ${DEFAULT-VALUE}).")
  SqlResultFormat format;

  boolean json() {
    return format == SqlResultFormat.JSON;
  }

  static final class FormatConverter implements CommandLine.ITypeConverter<SqlResultFormat> {
    @Override
    public SqlResultFormat convert(String name) {
      try {
        return SqlResultFormat.of(name);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
