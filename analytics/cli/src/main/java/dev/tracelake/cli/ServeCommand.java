package dev.tracelake.cli;

import dev.tracelake.compaction.CompactionSettings;
import dev.tracelake.compaction.Compactor;
import dev.tracelake.compaction.PartitionOutcome;
import dev.tracelake.compaction.ScheduledCompaction;
import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.ingest.OtlpHttpEndpoint;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.server.LocalServer;
import dev.tracelake.storage.ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tracelake serve}: OTLP/HTTP ingest and the query API in one local process, until Ctrl-C.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Receive OTLP/HTTP traces on /v1/traces, store them as Parquet, and answer queries"
            + " on /api/ (Jaeger's query API v3).")
public final class ServeCommand implements Callable<Integer> {
  /** How often closed hours of a local directory are compacted unless told otherwise. */
  static final Duration DEFAULT_COMPACTION_INTERVAL = Duration.ofMinutes(15);

  @Option(
      names = "--port",
      defaultValue = "${env:TRACELAKE_PORT:-4318}",
      description = "Port to listen on (default: ${DEFAULT-VALUE}, OTLP/HTTP's).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "${env:TRACELAKE_HOST:-127.0.0.1}",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String host;

  @Option(
      names = "--compact-every",
      converter = SearchCommand.DurationConverter.class,
      description =
          "Compact closed hour partitions this often, as the deployed stack's scheduled function"
              + " does (default: 15m over a local directory; over S3 none, which the stack"
              + " compacts; 0s for none).")
  Long compactEveryNanos;

  @Mixin StorageOptions storage;
  @Mixin SloOptions slo;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ObjectStore objects = storage.objectStore();
    SpanObjectKeys keys = new SpanObjectKeys(storage.spansPrefix);
    OtlpHttpEndpoint otlp =
        new OtlpHttpEndpoint(
            new TraceIngester(objects, keys, storage.traceIndex()), IngestLimits.DEFAULT);
    QueryEngine query = storage.queryEngine(slo.policy);
    LocalServer server = LocalServer.start(host, port, otlp, query.api());
    PrintWriter out = spec.commandLine().getOut();
    Optional<ScheduledCompaction> compaction =
        compactionInterval().map(every -> startCompaction(objects, keys, every, out));
    // Ctrl-C: let requests in flight finish (objects are written aside and renamed, so an
    // interrupted one leaves no partial object), then exit.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  compaction.ifPresent(ScheduledCompaction::close);
                  server.close();
                  query.close();
                  out.println("tracelake stopped");
                  out.flush();
                },
                "tracelake-shutdown"));
    out.printf("tracelake is listening on http://%s:%d/v1/traces%n", host, server.port());
    out.printf("query API (Jaeger API v3): http://%s:%d/api/v3/services%n", host, server.port());
    out.printf("spans are written to %s/%s/%n", objects.location(), keys.prefix());
    compactionInterval()
        .ifPresent(
            every ->
                out.printf("closed hour partitions are compacted every %d s%n", every.toSeconds()));
    out.println("Ctrl-C stops it.");
    out.flush();
    new CountDownLatch(1).await();
    return 0;
  }

  /** How often to compact: as given, or by default every 15 minutes over a local directory. */
  Optional<Duration> compactionInterval() {
    long nanos =
        compactEveryNanos != null
            ? compactEveryNanos
            : storage.bucket == null ? DEFAULT_COMPACTION_INTERVAL.toNanos() : 0;
    return nanos > 0 ? Optional.of(Duration.ofNanos(nanos)) : Optional.empty();
  }

  /** Compaction with the defaults of {@code tracelake compact}, reporting what it did. */
  private ScheduledCompaction startCompaction(
      ObjectStore objects, SpanObjectKeys keys, Duration every, PrintWriter out) {
    Path work;
    try {
      work = Files.createTempDirectory("tracelake-compaction-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a work directory for compaction", e);
    }
    work.toFile().deleteOnExit();
    Compactor compactor =
        new Compactor(
            objects,
            keys,
            storage.traceIndex(),
            CompactionSettings.defaults(work),
            Clock.systemUTC());
    PrintWriter err = spec.commandLine().getErr();
    return ScheduledCompaction.start(
        compactor,
        every,
        outcome -> {
          if (outcome.state() == PartitionOutcome.State.COMPACTED) {
            out.println("compacted " + CompactCommand.line(outcome));
            out.flush();
          }
        },
        failure -> {
          err.println("compaction failed, the next run carries on: " + failure.getMessage());
          err.flush();
        });
  }
}
