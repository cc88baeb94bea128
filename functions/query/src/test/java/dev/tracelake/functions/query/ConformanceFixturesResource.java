package dev.tracelake.functions.query;

import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.ingest.OtlpHttpEndpoint;
import dev.tracelake.query.testing.JaegerConformance;
import dev.tracelake.testing.LocalIngest;
import dev.tracelake.testing.OtlpFiles;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Ingests Jaeger's conformance fixtures into a fresh data directory before the function starts, and
 * points the function at it.
 */
public class ConformanceFixturesResource implements QuarkusTestResourceLifecycleManager {
  private Path root;

  @Override
  public Map<String, String> start() {
    try {
      root = Files.createTempDirectory("tracelake-query-function-");
      Path data = Files.createDirectories(root.resolve("data"));
      OtlpHttpEndpoint ingest = LocalIngest.endpoint(data, IngestLimits.DEFAULT);
      for (Path file : JaegerConformance.traceFiles()) {
        OtlpHttpEndpoint.Reply reply =
            ingest.export("application/json", null, OtlpFiles.bytes(file));
        if (reply.status() != 200) {
          throw new IllegalStateException(file + " was not ingested: " + reply.status());
        }
      }
      return Map.of(
          "tracelake.data-dir",
          data.toString(),
          "tracelake.duckdb.work-dir",
          root.resolve("duckdb").toString(),
          "tracelake.duckdb.threads",
          "2",
          "tracelake.duckdb.memory-limit",
          "512MB",
          "tracelake.slo",
          "{\"defaults\": {\"availability\": 0.95}}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (root == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(ConformanceFixturesResource::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
