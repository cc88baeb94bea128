package dev.tracelake.testing;

import static dev.tracelake.index.DynamoDbTraceIndex.OBJECT_KEY;
import static dev.tracelake.index.DynamoDbTraceIndex.TRACE_ID;

import dev.tracelake.storage.AwsClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * A DynamoDB emulator for tests: dynalite, in memory, run by Node.js as a child process on a free
 * loopback port. The build installs it into {@code localstack/emulators/node_modules} ({@code npm
 * ci} in core's {@code generate-test-resources}); it is found by walking up from the working
 * directory. Dynalite has no UpdateTimeToLive: a TTL attribute is stored but never expires.
 */
public final class DynaliteServer implements AutoCloseable {
  public static final Region REGION = Region.US_EAST_1;

  private static final Path DYNALITE =
      Path.of("localstack", "emulators", "node_modules", "dynalite");
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration TABLE_TIMEOUT = Duration.ofSeconds(10);
  private static final int ATTEMPTS = 3;

  private final Process process;
  private final Thread shutdownHook;
  private final int port;
  private DynamoDbClient client;

  private DynaliteServer(Process process, Thread shutdownHook, int port) {
    this.process = process;
    this.shutdownHook = shutdownHook;
    this.port = port;
  }

  /**
   * Starts an empty dynalite on a free loopback port and waits until it listens; {@linkplain
   * EmulatorCredentials#install() installs} the emulators' keys for the SDK's clients.
   */
  public static DynaliteServer start() {
    EmulatorCredentials.install();
    Path cli = findDynalite().resolve("cli.js");
    IllegalStateException failure = null;
    // dynalite can't listen on port 0 (it falls back to 4567), so we pick a free port and retry
    // if another process takes it in between.
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        return start(cli, freePort());
      } catch (IllegalStateException e) {
        failure = e;
        if (!e.getMessage().contains("EADDRINUSE")) {
          break;
        }
      }
    }
    throw failure;
  }

  private static DynaliteServer start(Path cli, int port) {
    List<String> command =
        List.of(
            "node",
            // Exit when our stdin closes, i.e. when this JVM dies, even by SIGKILL.
            "--import",
            "data:text/javascript,process.stdin.on('end',()=>process.exit(0)).resume()",
            cli.toString(),
            "--host",
            "127.0.0.1", // it listens on every interface by default
            "--port",
            Integer.toString(port),
            // Tables are ACTIVE at once instead of after 500 ms.
            "--createTableMs",
            "0",
            "--deleteTableMs",
            "0",
            "--updateTableMs",
            "0");
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + String.join(" ", command), e);
    }
    Thread hook = new Thread(() -> destroy(process), "dynalite-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    StringBuffer output = new StringBuffer();
    Thread reader = new Thread(() -> drain(process, output), "dynalite-output");
    reader.setDaemon(true);
    reader.start();
    var server = new DynaliteServer(process, hook, port);

    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    // It prints this line once the port is bound, which also tells it apart from a process that
    // happens to have taken the port.
    while (!output.toString().contains("Dynalite listening at")) {
      boolean exited = !process.isAlive();
      if (exited || System.nanoTime() > deadline) {
        server.close();
        awaitOutput(reader); // all of it, for the message
        throw new IllegalStateException(
            (exited ? "dynalite exited" : "dynalite did not listen within " + STARTUP_TIMEOUT)
                + " on port "
                + port
                + "; its output:\n"
                + output);
      }
      sleep(20);
    }
    return server;
  }

  /** The base URI, {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A client of this emulator (the production one), shared and closed by {@link #close()}. */
  public synchronized DynamoDbClient client() {
    if (client == null) {
      client = AwsClients.dynamoDb(Optional.of(REGION.id()), Optional.of(endpoint()));
    }
    return client;
  }

  /**
   * Creates a table of the trace index contract, partition key {@code trace_id} (S) and sort key
   * {@code object_key} (S), on demand, and waits until it is ACTIVE.
   */
  public void createTraceIndexTable(String name) {
    DynamoDbClient dynamo = client();
    dynamo.createTable(
        b ->
            b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    attribute(TRACE_ID, ScalarAttributeType.S),
                    attribute(OBJECT_KEY, ScalarAttributeType.S))
                .keySchema(key(TRACE_ID, KeyType.HASH), key(OBJECT_KEY, KeyType.RANGE)));
    // Polled here: the SDK's waiter waits 20 s between attempts.
    long deadline = System.nanoTime() + TABLE_TIMEOUT.toNanos();
    while (dynamo.describeTable(b -> b.tableName(name)).table().tableStatus()
        != TableStatus.ACTIVE) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("table " + name + " not ACTIVE within " + TABLE_TIMEOUT);
      }
      sleep(10);
    }
  }

  /** Stops dynalite (and any child of it) and waits until it has exited. */
  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
    destroy(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook does the same.
    }
  }

  private static void destroy(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path findDynalite() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(DYNALITE))) {
        return dir.resolve(DYNALITE);
      }
    }
    throw new IllegalStateException(
        DYNALITE
            + " not found in "
            + start
            + " or above; run the build (npm ci in localstack/emulators) first");
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void drain(Process process, StringBuffer output) {
    try (var in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        output.append(line).append('\n');
      }
    } catch (IOException e) {
      // The process is gone.
    }
  }

  private static void awaitOutput(Thread reader) {
    try {
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
