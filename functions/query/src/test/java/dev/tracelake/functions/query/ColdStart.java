package dev.tracelake.functions.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.ingest.OtlpHttpEndpoint;
import dev.tracelake.query.testing.JaegerConformance;
import dev.tracelake.testing.ApiGatewayEvents;
import dev.tracelake.testing.LocalIngest;
import dev.tracelake.testing.OtlpFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Measures the packaged function's cold start the way Lambda's managed Java runtime starts it: the
 * unzipped function.zip as the task root, AWS's runtime interface client (the runtime's own {@code
 * AWSLambda} main) loading the handler, and a minimal Lambda Runtime API on loopback handing it API
 * Gateway events (payload format 1.0, as the stack sends them). Run by hand, not by the build; see
 * {@code functions/query/cold-start.sh}.
 *
 * <p>Arguments: function.zip, the directory of the runtime interface client's jars, the function's
 * memory in MB, then JVM options for the function.
 */
public final class ColdStart {
  private static final String API = "/2018-06-01/runtime";
  private static final String HANDLER =
      "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private volatile long firstPollNanos;
  private volatile long lastEventSentNanos;

  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    Path zip = Path.of(args[0]);
    Path runtimeJars = Path.of(args[1]).toAbsolutePath();
    int memoryMegabytes = Integer.parseInt(args[2]);
    List<String> jvmOptions = List.of(args).subList(3, args.length);
    Path work = Files.createTempDirectory("tracelake-cold-start-");
    Path task = unzip(zip, work.resolve("task"));
    Path data = ingestFixtures(work.resolve("data"));
    new ColdStart().run(task, runtimeJars, data, work, memoryMegabytes, jvmOptions);
  }

  private void run(
      Path task,
      Path runtimeJars,
      Path data,
      Path work,
      int memoryMegabytes,
      List<String> jvmOptions)
      throws Exception {
    HttpServer runtimeApi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    runtimeApi.setExecutor(Executors.newCachedThreadPool());
    runtimeApi.createContext(API + "/invocation/", this::invocation);
    runtimeApi.createContext(API + "/init/error", this::initError);
    runtimeApi.start();

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            runtimeJars + "/*",
            "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
            HANDLER));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO().directory(task.toFile());
    builder.redirectOutput(work.resolve("function.log").toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApi.getAddress().getPort());
    env.put("LAMBDA_TASK_ROOT", task.toString());
    env.put("_HANDLER", HANDLER);
    env.put("AWS_LAMBDA_FUNCTION_NAME", "tracelake-query");
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMegabytes));
    env.put("AWS_REGION", "us-east-1");
    env.put("TZ", ":UTC");
    env.put("TRACELAKE_DATA_DIR", data.toString());
    env.put("TRACELAKE_DUCKDB_WORK_DIR", work.resolve("duckdb").toString());
    env.put(
        "JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")));

    String traceId = JaegerConformance.queries().get(0).expectedTraceIds().iterator().next();
    List<String[]> invocations =
        List.of(
            new String[] {"/api/v3/services", ""},
            new String[] {"/api/v3/services", ""},
            new String[] {"/api/v3/traces/" + traceId, ""},
            new String[] {
              "/api/v3/traces",
              "query.serviceName=query22-service&query.startTimeMin=2017-01-26T00:00:00Z"
            },
            new String[] {"/health", ""});

    long spawned = System.nanoTime();
    Process function = builder.start();
    try {
      for (String[] invocation : invocations) {
        events.put(ApiGatewayEvents.get(invocation[0], invocation[1]).toString());
        String reply = null;
        for (int waited = 0; reply == null && function.isAlive() && waited < 120; waited++) {
          reply = replies.poll(1, TimeUnit.SECONDS);
        }
        long done = System.nanoTime();
        if (reply == null) {
          throw new IllegalStateException("no reply; see " + work.resolve("function.log"));
        }
        if (invocation == invocations.get(0)) {
          System.out.printf(
              "init (process start -> first poll of the Runtime API): %d ms%n",
              millis(firstPollNanos - spawned));
        }
        System.out.printf(
            "invoke GET %s%s: %d ms, reply %s%n",
            invocation[0],
            invocation[1].isEmpty() ? "" : "?" + invocation[1],
            millis(done - lastEventSentNanos),
            reply.length() > 120 ? reply.substring(0, 120) + "..." : reply);
        if (invocation == invocations.get(0)) {
          System.out.printf(
              "cold start (process start -> first reply): %d ms%n", millis(done - spawned));
        }
      }
    } finally {
      function.destroy();
      function.waitFor(10, TimeUnit.SECONDS);
      runtimeApi.stop(0);
      for (String scratch : List.of("task", "data", "duckdb", "tmp")) {
        deleteRecursively(work.resolve(scratch));
      }
      System.out.println("function log: " + work.resolve("function.log"));
    }
    System.exit(0);
  }

  private void invocation(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.endsWith("/next")) {
        if (firstPollNanos == 0) {
          firstPollNanos = System.nanoTime();
        }
        String event = events.take();
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", UUID.randomUUID() + "");
        exchange
            .getResponseHeaders()
            .add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 30_000));
        exchange
            .getResponseHeaders()
            .add(
                "Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:000000000000:function:tracelake-query");
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        lastEventSentNanos = System.nanoTime();
        send(exchange, 200, event);
      } else {
        String body = read(exchange);
        replies.put(path.endsWith("/error") ? "ERROR " + body : body);
        send(exchange, 202, "{}");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void initError(HttpExchange exchange) throws IOException {
    try (exchange) {
      replies.add("INIT ERROR " + read(exchange));
      send(exchange, 202, "{}");
    }
  }

  private static Path ingestFixtures(Path data) throws IOException {
    OtlpHttpEndpoint ingest =
        LocalIngest.endpoint(Files.createDirectories(data), IngestLimits.DEFAULT);
    for (Path file : JaegerConformance.traceFiles()) {
      ingest.export("application/json", null, OtlpFiles.bytes(file));
    }
    return data;
  }

  private static Path unzip(Path zip, Path into) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        Path target = into.resolve(entry.getName()).normalize();
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
    }
    return into;
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static String read(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
