package dev.tracelake.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tracelake.ingest.OtlpHttpEndpoint;
import dev.tracelake.query.api.ApiReply;
import dev.tracelake.query.api.QueryApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The local process behind {@code ./tracelake serve}: the JDK's own HTTP server in front of the
 * same {@link OtlpHttpEndpoint} and {@link QueryApi} the Lambda functions use, so local and
 * deployed tracelake behave alike. The JDK server keeps the command free of a web framework it
 * would only need for this.
 */
public final class LocalServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalServer.class);

  /** A SQL request is a query, not data: a megabyte is plenty. */
  private static final int MAX_SQL_BODY_BYTES = 1 << 20;

  private final HttpServer http;
  private final ExecutorService workers;
  private final int maxBodyBytes;

  private LocalServer(HttpServer http, ExecutorService workers, int maxBodyBytes) {
    this.http = http;
    this.workers = workers;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Starts serving.
   *
   * @param host the address to listen on (127.0.0.1 keeps it private to this machine)
   * @param port the port, or 0 for any free one
   * @param otlp the ingest endpoint; bodies are read up to one byte past its limit, so a larger one
   *     is refused without being held in memory whole
   * @param query the query API, served under {@code /api/}
   */
  public static LocalServer start(String host, int port, OtlpHttpEndpoint otlp, QueryApi query)
      throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
    ExecutorService workers =
        Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    http.setExecutor(workers);
    LocalServer server = new LocalServer(http, workers, otlp.limits().maxBodyBytes());
    http.createContext(
        "/v1/traces", exchange -> server.handle(exchange, () -> server.export(exchange, otlp)));
    http.createContext(
        "/api/", exchange -> server.handle(exchange, () -> server.query(exchange, query)));
    http.createContext(
        "/health", exchange -> server.handle(exchange, () -> server.health(exchange, query)));
    http.createContext("/", exchange -> server.handle(exchange, () -> server.notFound(exchange)));
    http.start();
    return server;
  }

  /** The port actually listened on. */
  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(1);
    workers.shutdown();
  }

  private interface Handler {
    void run() throws IOException;
  }

  private void handle(HttpExchange exchange, Handler handler) {
    try (exchange) {
      handler.run();
    } catch (IOException | RuntimeException e) {
      LOG.warn("request to " + exchange.getRequestURI() + " failed", e);
    }
  }

  private void export(HttpExchange exchange, OtlpHttpEndpoint otlp) throws IOException {
    // Browser exporters (OpenTelemetry JS) send a CORS preflight first.
    exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
    switch (exchange.getRequestMethod()) {
      case "OPTIONS" -> {
        exchange.getResponseHeaders().add("Access-Control-Allow-Methods", "POST, OPTIONS");
        exchange
            .getResponseHeaders()
            .add("Access-Control-Allow-Headers", "Content-Type, Content-Encoding");
        exchange.sendResponseHeaders(204, -1);
      }
      case "POST" -> {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readNBytes(maxBodyBytes + 1);
        }
        OtlpHttpEndpoint.Reply reply =
            otlp.export(
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Content-Encoding"),
                body);
        exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        reply
            .retryAfterSeconds()
            .ifPresent(
                seconds -> exchange.getResponseHeaders().add("Retry-After", seconds.toString()));
        send(exchange, reply.status(), reply.body());
      }
      default -> {
        exchange.getResponseHeaders().add("Allow", "POST, OPTIONS");
        sendText(exchange, 405, "use POST to export traces\n");
      }
    }
  }

  private void query(HttpExchange exchange, QueryApi query) throws IOException {
    // Jaeger UI and Grafana may be served from another origin.
    exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    Map<String, String> parameters = parameters(exchange.getRequestURI().getRawQuery());
    ApiReply reply;
    if (path.equals("/api/sql")) {
      if (!method.equals("POST")) {
        exchange.getResponseHeaders().add("Allow", "POST");
        sendText(exchange, 405, "use POST for /api/sql\n");
        return;
      }
      try (InputStream in = exchange.getRequestBody()) {
        reply = query.sql(new String(in.readNBytes(MAX_SQL_BODY_BYTES), StandardCharsets.UTF_8));
      }
    } else if (!method.equals("GET")) {
      reply = null;
    } else if (path.equals("/api/v3/traces")) {
      reply = query.findTraces(parameters);
    } else if (path.startsWith("/api/v3/traces/")) {
      reply = query.trace(path.substring("/api/v3/traces/".length()));
    } else if (path.equals("/api/v3/services")) {
      reply = query.services();
    } else if (path.equals("/api/v3/operations")) {
      reply = query.operations(parameters);
    } else if (path.startsWith("/api/reports/")) {
      reply = query.report(path.substring("/api/reports/".length()), parameters);
    } else if (path.equals("/api/dependencies")) {
      reply = query.jaegerDependencies(parameters);
    } else {
      notFound(exchange);
      return;
    }
    if (reply == null) {
      exchange.getResponseHeaders().add("Allow", "GET");
      sendText(exchange, 405, "use GET for " + path + "\n");
      return;
    }
    sendJson(exchange, reply);
  }

  private static void sendJson(HttpExchange exchange, ApiReply reply) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    send(exchange, reply.status(), reply.json().getBytes(StandardCharsets.UTF_8));
  }

  /** The query string's parameters, decoded; the first value of each wins. */
  private static Map<String, String> parameters(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int equals = pair.indexOf('=');
        String name = equals < 0 ? pair : pair.substring(0, equals);
        String value = equals < 0 ? "" : pair.substring(equals + 1);
        parameters.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return parameters;
  }

  private void health(HttpExchange exchange, QueryApi query) throws IOException {
    sendJson(exchange, query.health());
  }

  private void notFound(HttpExchange exchange) throws IOException {
    sendText(exchange, 404, "no such endpoint: " + exchange.getRequestURI().getPath() + "\n");
  }

  private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    send(exchange, status, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
