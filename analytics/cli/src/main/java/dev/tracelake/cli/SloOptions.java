package dev.tracelake.cli;

import dev.tracelake.query.report.SloPolicy;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The {@code --slo FILE} option of the commands that report against objectives: the file is read
 * while the command line is parsed, so a missing file or a mistake in it is a usage error (exit 2)
 * that names it.
 */
final class SloOptions {
  @Option(
      names = "--slo",
      paramLabel = "FILE",
      converter = FileConverter.class,
      description =
          "Objectives and alerting rules of the SLA and incident reports, YAML or JSON (default:"
              + " availability 0.999, p95 500 ms for every service; see the README).")
  SloPolicy policy = SloPolicy.defaults();

  static final class FileConverter implements CommandLine.ITypeConverter<SloPolicy> {
    @Override
    public SloPolicy convert(String file) {
      try {
        return SloPolicy.read(Path.of(file));
      } catch (IllegalArgumentException | UncheckedIOException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
