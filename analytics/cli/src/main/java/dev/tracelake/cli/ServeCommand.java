package dev.tracelake.cli;

import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.ingest.OtlpHttpEndpoint;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.server.LocalServer;
import dev.tracelake.storage.ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import java.io.PrintWriter;
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
    // Ctrl-C: let requests in flight finish (objects are written aside and renamed, so an
    // interrupted one leaves no partial object), then exit.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  query.close();
                  out.println("tracelake stopped");
                  out.flush();
                },
                "tracelake-shutdown"));
    out.printf("tracelake is listening on http://%s:%d/v1/traces%n", host, server.port());
    out.printf("query API (Jaeger API v3): http://%s:%d/api/v3/services%n", host, server.port());
    out.printf("spans are written to %s/%s/%n", objects.location(), keys.prefix());
    out.println("Ctrl-C stops it.");
    out.flush();
    new CountDownLatch(1).await();
    return 0;
  }
}
