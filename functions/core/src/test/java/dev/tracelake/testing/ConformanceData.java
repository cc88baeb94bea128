package dev.tracelake.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The peer projects' conformance data in {@code ../shared/conformance}, beside the repository (or
 * where the system property {@code tracelake.conformance.dir} points), read as it is.
 */
public final class ConformanceData {
  private ConformanceData() {}

  /** The conformance directory; fails the test if it is missing, since CI always has it. */
  public static Path root() {
    String configured = System.getProperty("tracelake.conformance.dir");
    if (configured != null) {
      return Path.of(configured);
    }
    Path candidate = RepositoryRoot.find().getParent().resolve("shared/conformance");
    if (!Files.isDirectory(candidate)) {
      throw new IllegalStateException(
          "conformance data not found at " + candidate + ": check out ../shared beside the repo");
    }
    return candidate;
  }

  /** Jaeger's fixture traces, each an OTLP/JSON ExportTraceServiceRequest, sorted by name. */
  public static List<Path> jaegerTraces() {
    try (Stream<Path> files = Files.list(root().resolve("jaeger/traces"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** opentelemetry-proto's OTLP/JSON example. */
  public static Path otlpExample() {
    return root().resolve("otlp/trace.json");
  }

  /** Jaeger fixtures and the OTLP example together: every OTLP/JSON file we must round-trip. */
  public static List<Path> allOtlpJsonFiles() {
    return Stream.concat(jaegerTraces().stream(), Stream.of(otlpExample())).toList();
  }
}
