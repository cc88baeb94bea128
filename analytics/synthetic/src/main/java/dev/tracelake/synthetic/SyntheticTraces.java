package dev.tracelake.synthetic;

import static dev.tracelake.synthetic.OtlpValues.bool;
import static dev.tracelake.synthetic.OtlpValues.exceptionEvent;
import static dev.tracelake.synthetic.OtlpValues.integer;
import static dev.tracelake.synthetic.OtlpValues.string;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic export requests that look like the traffic of a Java microservice shop as the
 * OpenTelemetry Java agent reports it: one ResourceSpans per service instance with the agent's
 * resource attributes (each service runs six pods, all replaced by a deployment every six hours),
 * one ScopeSpans per instrumentation library, and traces of 5 to 30 spans that enter at the
 * frontend and fan out over HTTP, gRPC, PostgreSQL and Redis, with semantic convention attributes,
 * a few errors carrying an exception event, and a few links.
 *
 * <p>Every trace is complete (each parent span is in the request) and lies within the requested
 * hour. The same seed always gives the same request.
 */
public final class SyntheticTraces {
  /** The span count of the OpenTelemetry SDK's default export batch. */
  public static final int EXPORT_BATCH_SPANS = 512;

  private static final int MIN_TRACE_SPANS = 5;
  private static final int MAX_TRACE_SPANS = 30;
  private static final Duration HOUR = Duration.ofHours(1);
  private static final double ERROR_RATE = 0.02;
  private static final double LINK_RATE = 0.02;
  // Pods per service, all replaced by a deployment every few hours.
  private static final int INSTANCES_PER_SERVICE = 6;
  private static final long HOURS_PER_DEPLOYMENT = 6;
  private static final long MS = 1_000_000L;
  private static final String AGENT_VERSION = "2.15.0";
  private static final HexFormat HEX = HexFormat.of();

  private enum Protocol {
    HTTP,
    GRPC
  }

  private record Call(String service, Protocol protocol) {}

  /** A service of the shop: who it calls, which store it queries, what it does in-process. */
  private record ServiceSpec(
      String name,
      String version,
      String rpcService,
      List<String> operations,
      List<Call> calls,
      String dbSystem,
      List<String> statements,
      List<String> internalSpans) {}

  private static final List<ServiceSpec> SERVICES =
      List.of(
          new ServiceSpec(
              "frontend",
              "1.12.3",
              null,
              List.of(
                  "GET /api/products/{productId}",
                  "GET /api/cart",
                  "POST /api/cart",
                  "POST /api/checkout",
                  "GET /api/recommendations",
                  "GET /api/data"),
              List.of(
                  new Call("product-catalog", Protocol.GRPC),
                  new Call("cart", Protocol.GRPC),
                  new Call("checkout", Protocol.HTTP),
                  new Call("recommendation", Protocol.GRPC),
                  new Call("currency", Protocol.GRPC),
                  new Call("ad", Protocol.GRPC)),
              null,
              List.of(),
              List.of("render product page", "SessionFilter.doFilter")),
          new ServiceSpec(
              "checkout",
              "2.4.0",
              null,
              List.of("POST /checkout", "POST /checkout/{orderId}/confirm"),
              List.of(
                  new Call("cart", Protocol.GRPC),
                  new Call("product-catalog", Protocol.GRPC),
                  new Call("currency", Protocol.GRPC),
                  new Call("payment", Protocol.HTTP),
                  new Call("shipping", Protocol.HTTP),
                  new Call("email", Protocol.HTTP)),
              "postgresql",
              List.of(
                  "INSERT INTO orders (id, user_id, total_cents, currency) VALUES (?, ?, ?, ?)",
                  "SELECT id, status FROM orders WHERE user_id = ? ORDER BY created_at DESC"
                      + " LIMIT ?",
                  "UPDATE orders SET status = ? WHERE id = ?"),
              List.of("CheckoutService.prepareOrder", "OrderValidator.validate")),
          new ServiceSpec(
              "cart",
              "1.8.1",
              "oteldemo.CartService",
              List.of("GetCart", "AddItem", "EmptyCart"),
              List.of(),
              "redis",
              List.of("HGETALL", "HSET", "EXPIRE", "DEL"),
              List.of("CartStore.load")),
          new ServiceSpec(
              "product-catalog",
              "3.1.0",
              "oteldemo.ProductCatalogService",
              List.of("GetProduct", "ListProducts", "SearchProducts"),
              List.of(),
              "postgresql",
              List.of(
                  "SELECT id, name, description, picture, price_units, price_nanos FROM products"
                      + " WHERE id = ?",
                  "SELECT id, name, price_units FROM products WHERE category = ? LIMIT ?",
                  "SELECT p.id, p.name FROM products p JOIN product_tags t ON t.product_id = p.id"
                      + " WHERE t.tag = ?"),
              List.of("ProductCache.get")),
          new ServiceSpec(
              "recommendation",
              "0.9.7",
              "oteldemo.RecommendationService",
              List.of("ListRecommendations"),
              List.of(new Call("product-catalog", Protocol.GRPC)),
              null,
              List.of(),
              List.of("RecommendationModel.score", "FeatureFlags.evaluate")),
          new ServiceSpec(
              "currency",
              "1.3.2",
              "oteldemo.CurrencyService",
              List.of("Convert", "GetSupportedCurrencies"),
              List.of(),
              null,
              List.of(),
              List.of("RateTable.lookup")),
          new ServiceSpec(
              "ad",
              "1.0.5",
              "oteldemo.AdService",
              List.of("GetAds"),
              List.of(),
              null,
              List.of(),
              List.of("AdSelector.select")),
          new ServiceSpec(
              "payment",
              "4.0.1",
              null,
              List.of("POST /charge"),
              List.of(),
              "postgresql",
              List.of(
                  "INSERT INTO payments (id, order_id, amount_cents, card_last4) VALUES (?, ?, ?,"
                      + " ?)"),
              List.of("CardValidator.luhn", "FraudCheck.evaluate")),
          new ServiceSpec(
              "shipping",
              "1.6.0",
              null,
              List.of("POST /get-quote", "POST /ship-order"),
              List.of(),
              null,
              List.of(),
              List.of("QuoteCalculator.compute")),
          new ServiceSpec(
              "email",
              "0.4.2",
              null,
              List.of("POST /send_order_confirmation"),
              List.of(),
              null,
              List.of(),
              List.of("TemplateRenderer.render")));

  private static final Map<String, ServiceSpec> BY_NAME = new LinkedHashMap<>();

  static {
    SERVICES.forEach(service -> BY_NAME.put(service.name(), service));
  }

  private static final List<String[]> EXCEPTIONS =
      List.of(
          new String[] {"java.net.SocketTimeoutException", "Read timed out"},
          new String[] {
            "io.grpc.StatusRuntimeException", "UNAVAILABLE: io exception",
          },
          new String[] {
            "org.postgresql.util.PSQLException",
            "ERROR: canceling statement due to statement timeout",
          },
          new String[] {
            "java.lang.IllegalStateException", "cart is empty",
          },
          new String[] {
            "java.lang.NullPointerException",
            "Cannot invoke \"String.length()\" because \"currencyCode\" is null",
          });

  private SyntheticTraces() {}

  /** One 512-span export request. */
  public static ExportTraceServiceRequest request(long seed, Instant hourStart) {
    return request(seed, EXPORT_BATCH_SPANS, hourStart);
  }

  /**
   * An export request of exactly {@code spans} spans, made of complete traces of 5 to 30 spans (the
   * last one may be smaller to meet the count), all of them starting and ending within the hour
   * that begins at {@code hourStart}.
   */
  public static ExportTraceServiceRequest request(long seed, int spans, Instant hourStart) {
    return new Generator(new SplittableRandom(seed), hourStart, Duration.ZERO, HOUR).request(spans);
  }

  /**
   * An export request as {@link #request(long, int, Instant)} makes, whose traces start within
   * {@code window} after {@code offset} into the hour (or earlier, for a trace that would not end
   * within the hour otherwise), as an exporter flushing every few seconds sends the traces of those
   * seconds.
   */
  public static ExportTraceServiceRequest request(
      long seed, int spans, Instant hourStart, Duration offset, Duration window) {
    if (offset.isNegative()
        || window.compareTo(Duration.ZERO) <= 0
        || offset.plus(window).compareTo(HOUR) > 0) {
      throw new IllegalArgumentException(
          "the window must lie within the hour: " + offset + " + " + window);
    }
    return new Generator(new SplittableRandom(seed), hourStart, offset, window).request(spans);
  }

  /**
   * The request as OTLP/JSON: proto3 JSON with trace and span IDs as lowercase hex and enums as
   * integers, as OTLP/HTTP exporters send it (JsonFormat alone would print IDs as base64 and enums
   * by name).
   */
  public static byte[] toOtlpJson(ExportTraceServiceRequest request) {
    JsonObject root;
    try {
      root =
          JsonParser.parseString(JsonFormat.printer().printingEnumsAsInts().print(request))
              .getAsJsonObject();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    for (JsonElement resourceSpans : root.getAsJsonArray("resourceSpans")) {
      for (JsonElement scopeSpans : resourceSpans.getAsJsonObject().getAsJsonArray("scopeSpans")) {
        for (JsonElement span : scopeSpans.getAsJsonObject().getAsJsonArray("spans")) {
          JsonObject spanObject = span.getAsJsonObject();
          base64ToHex(spanObject, "traceId");
          base64ToHex(spanObject, "spanId");
          base64ToHex(spanObject, "parentSpanId");
          if (spanObject.has("links")) {
            for (JsonElement link : spanObject.getAsJsonArray("links")) {
              base64ToHex(link.getAsJsonObject(), "traceId");
              base64ToHex(link.getAsJsonObject(), "spanId");
            }
          }
        }
      }
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void base64ToHex(JsonObject parent, String name) {
    if (parent.has(name)) {
      byte[] id = Base64.getDecoder().decode(parent.get(name).getAsString());
      parent.add(name, new JsonPrimitive(HEX.formatHex(id)));
    }
  }

  /** One node of a trace tree, laid out in time once the tree is complete. */
  private static final class Node {
    final ServiceSpec service;
    final SpanKind kind;
    final String type; // http, grpc, db or internal
    final String name;
    final Call call; // for client and server spans: the call this span is one side of
    final List<Node> children = new ArrayList<>();
    long start;
    long end;

    Node(ServiceSpec service, SpanKind kind, String type, String name, Call call) {
      this.service = service;
      this.kind = kind;
      this.type = type;
      this.name = name;
      this.call = call;
    }
  }

  /** The generator state of one request: the random source and the spans per service and scope. */
  private static final class Generator {
    final SplittableRandom random;
    final long hourStartNanos;
    final long windowStartNanos;
    final long windowNanos;
    final Map<String, Resource> resources = new LinkedHashMap<>();
    final ExportBatch batch = new ExportBatch(resources);

    Generator(SplittableRandom random, Instant hourStart, Duration offset, Duration window) {
      this.random = random;
      this.hourStartNanos =
          Math.multiplyExact(hourStart.getEpochSecond(), 1_000_000_000L) + hourStart.getNano();
      this.windowStartNanos = hourStartNanos + offset.toNanos();
      this.windowNanos = window.toNanos();
      for (ServiceSpec service : SERVICES) {
        resources.put(service.name(), instance(service));
      }
    }

    ExportTraceServiceRequest request(int spans) {
      int remaining = spans;
      while (remaining > 0) {
        int size = Math.min(remaining, random.nextInt(MIN_TRACE_SPANS, MAX_TRACE_SPANS + 1));
        trace(size);
        remaining -= size;
      }
      return batch.request();
    }

    /** Builds one trace of exactly {@code size} spans: the tree first, then its timing. */
    private void trace(int size) {
      ServiceSpec frontend = BY_NAME.get("frontend");
      Node root = server(frontend, new Call("frontend", Protocol.HTTP));
      List<Node> expandable = new ArrayList<>(List.of(root));
      int remaining = size - 1;
      while (remaining > 0) {
        Node parent = expandable.get(random.nextInt(expandable.size()));
        ServiceSpec service = parent.service;
        double pick = random.nextDouble();
        if (remaining >= 2 && !service.calls().isEmpty() && pick < 0.55) {
          Call call = service.calls().get(random.nextInt(service.calls().size()));
          Node server = server(BY_NAME.get(call.service()), call);
          Node client = client(service, server);
          client.children.add(server);
          parent.children.add(client);
          expandable.add(server);
          remaining -= 2;
        } else if (service.dbSystem() != null && pick < 0.85) {
          String statement = service.statements().get(random.nextInt(service.statements().size()));
          parent.children.add(new Node(service, SpanKind.SPAN_KIND_CLIENT, "db", statement, null));
          remaining--;
        } else {
          String name = service.internalSpans().get(random.nextInt(service.internalSpans().size()));
          Node internal = new Node(service, SpanKind.SPAN_KIND_INTERNAL, "internal", name, null);
          parent.children.add(internal);
          expandable.add(internal);
          remaining--;
        }
      }
      // Heavy-tailed root latency, from 5 ms to about 2 s.
      long duration = (long) (Math.exp(random.nextDouble(Math.log(5), Math.log(2_000))) * MS);
      long latest = hourStartNanos + HOUR.toNanos() - duration - MS;
      long start =
          windowNanos == HOUR.toNanos()
              ? hourStartNanos + random.nextLong(latest - hourStartNanos)
              : Math.min(windowStartNanos + random.nextLong(windowNanos), latest);
      layOut(root, start, start + duration);
      emit(root, randomId(16), ByteString.EMPTY);
    }

    private Node server(ServiceSpec service, Call call) {
      String operation = service.operations().get(random.nextInt(service.operations().size()));
      String name =
          call.protocol() == Protocol.GRPC ? service.rpcService() + "/" + operation : operation;
      return new Node(
          service,
          SpanKind.SPAN_KIND_SERVER,
          call.protocol() == Protocol.GRPC ? "grpc" : "http",
          name,
          call);
    }

    /** The caller's side of a call: named like the server span for gRPC, by method for HTTP. */
    private static Node client(ServiceSpec caller, Node server) {
      return server.type.equals("grpc")
          ? new Node(caller, SpanKind.SPAN_KIND_CLIENT, "grpc", server.name, server.call)
          : new Node(caller, SpanKind.SPAN_KIND_CLIENT, "http", method(server.name), server.call);
    }

    /**
     * Gives the node [start, end] and spreads its children over it one after the other; a server
     * span sits inside its client span, less the network time.
     */
    private void layOut(Node node, long start, long end) {
      node.start = start;
      node.end = end;
      if (node.children.isEmpty()) {
        return;
      }
      long span = end - start;
      if (node.kind == SpanKind.SPAN_KIND_CLIENT) {
        long network = Math.min(span / 5, (long) (random.nextDouble(0.2, 2.0) * MS));
        layOut(node.children.get(0), start + network, end - network);
        return;
      }
      long slot = span / node.children.size();
      for (int i = 0; i < node.children.size(); i++) {
        long slotStart = start + i * slot;
        long childStart = slotStart + (long) (slot * random.nextDouble(0.02, 0.2));
        long childEnd = slotStart + (long) (slot * random.nextDouble(0.5, 0.98));
        layOut(node.children.get(i), childStart, childEnd);
      }
    }

    private void emit(Node node, ByteString traceId, ByteString parentSpanId) {
      ByteString spanId = randomId(8);
      Span.Builder span =
          Span.newBuilder()
              .setTraceId(traceId)
              .setSpanId(spanId)
              .setParentSpanId(parentSpanId)
              // Sampled; bit 8 says whether the parent is known to be remote, bit 9 that it is.
              .setFlags(
                  node.kind == SpanKind.SPAN_KIND_SERVER && !parentSpanId.isEmpty() ? 0x301 : 0x101)
              .setName(node.kind == SpanKind.SPAN_KIND_SERVER ? node.name : clientName(node))
              .setKind(node.kind)
              .setStartTimeUnixNano(node.start)
              .setEndTimeUnixNano(node.end);
      boolean error = random.nextDouble() < ERROR_RATE;
      String scope = attributes(node, span, error);
      if (error) {
        String[] exception = EXCEPTIONS.get(random.nextInt(EXCEPTIONS.size()));
        span.setStatus(
                Status.newBuilder()
                    .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                    .setMessage(exception[1]))
            .addEvents(
                exceptionEvent(
                    node.end - 1_000, exception[0], exception[1], stacktrace(node, exception)));
      }
      if (random.nextDouble() < LINK_RATE) {
        // For instance the batch job or message that caused this request.
        span.addLinks(
            Span.Link.newBuilder()
                .setTraceId(randomId(16))
                .setSpanId(randomId(8))
                .setFlags(0x101)
                .addAttributes(string("messaging.system", "kafka"))
                .addAttributes(string("messaging.destination.name", "orders")));
      }
      batch.add(node.service.name(), scope, span.build());
      for (Node child : node.children) {
        emit(child, traceId, spanId);
      }
    }

    private static String clientName(Node node) {
      return switch (node.type) {
        case "db" ->
            node.service.dbSystem().equals("redis")
                ? node.name
                : node.name.substring(0, node.name.indexOf(' ')) + " " + table(node.name);
        default -> node.name;
      };
    }

    /** Adds the semantic-convention attributes of the node's kind; returns its scope name. */
    private String attributes(Node node, Span.Builder span, boolean error) {
      ServiceSpec service = node.service;
      switch (node.type) {
        case "http" -> {
          ServiceSpec server = BY_NAME.get(node.call.service());
          // A client span's only child is the server span of the same call.
          String operation =
              node.kind == SpanKind.SPAN_KIND_SERVER ? node.name : node.children.get(0).name;
          String path = path(operation);
          String method = method(operation);
          int status = error ? 500 : (random.nextDouble() < 0.03 ? 404 : 200);
          span.addAttributes(string("http.request.method", method))
              .addAttributes(integer("http.response.status_code", status))
              .addAttributes(string("network.protocol.version", "1.1"))
              .addAttributes(string("server.address", server.name()))
              .addAttributes(integer("server.port", 8080));
          if (node.kind == SpanKind.SPAN_KIND_SERVER) {
            span.addAttributes(string("url.scheme", "http"))
                .addAttributes(string("url.path", path))
                .addAttributes(string("http.route", route(node.name)))
                .addAttributes(string("client.address", ip()))
                .addAttributes(string("network.peer.address", ip()))
                .addAttributes(
                    string(
                        "user_agent.original",
                        service.name().equals("frontend")
                            ? "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like"
                                + " Gecko) Chrome/124.0.0.0 Safari/537.36"
                            : "Java-http-client/21.0.6"));
            return service.name().equals("frontend")
                ? "io.opentelemetry.netty-4.1"
                : "io.opentelemetry.tomcat-10.0";
          }
          span.addAttributes(string("url.full", "http://" + server.name() + ":8080" + path))
              .addAttributes(string("network.peer.address", ip()))
              .addAttributes(integer("network.peer.port", 8080));
          return "io.opentelemetry.java-http-client";
        }
        case "grpc" -> {
          String rpcService = BY_NAME.get(node.call.service()).rpcService();
          span.addAttributes(string("rpc.system", "grpc"))
              .addAttributes(string("rpc.service", rpcService))
              .addAttributes(string("rpc.method", node.name.substring(node.name.indexOf('/') + 1)))
              .addAttributes(integer("rpc.grpc.status_code", error ? 14 : 0))
              .addAttributes(string("server.address", node.call.service()))
              .addAttributes(integer("server.port", 50051))
              .addAttributes(string("network.peer.address", ip()))
              .addAttributes(integer("network.peer.port", 50051));
          return "io.opentelemetry.grpc-1.6";
        }
        case "db" -> {
          boolean redis = service.dbSystem().equals("redis");
          span.addAttributes(string("db.system", service.dbSystem()))
              .addAttributes(
                  string(
                      "db.statement",
                      redis ? node.name + " cart:" + HEX.formatHex(randomBytes(6)) : node.name))
              .addAttributes(string("db.operation", clientName(node).split(" ")[0]))
              .addAttributes(string("server.address", service.name() + (redis ? "-redis" : "-db")))
              .addAttributes(integer("server.port", redis ? 6379 : 5432))
              .addAttributes(string("network.peer.address", ip()))
              .addAttributes(integer("network.peer.port", redis ? 6379 : 5432));
          if (!redis) {
            span.addAttributes(string("db.name", service.name().replace('-', '_')))
                .addAttributes(string("db.user", "app"))
                .addAttributes(string("db.sql.table", table(node.name)))
                .addAttributes(
                    string("db.connection_string", "postgresql://" + service.name() + "-db:5432"));
          }
          return redis ? "io.opentelemetry.lettuce-5.1" : "io.opentelemetry.jdbc";
        }
        default -> {
          int dot = node.name.indexOf('.');
          span.addAttributes(
                  string("code.namespace", "dev.shop." + service.name().replace("-", "") + "."))
              .addAttributes(
                  string("code.function", dot < 0 ? node.name : node.name.substring(dot + 1)))
              .addAttributes(integer("thread.id", random.nextInt(20, 200)))
              .addAttributes(string("thread.name", "http-nio-8080-exec-" + random.nextInt(1, 50)));
          if (random.nextDouble() < 0.3) {
            span.addAttributes(string("app.user.id", "user-" + random.nextInt(100_000)))
                .addAttributes(integer("app.cart.items.count", random.nextInt(1, 12)))
                .addAttributes(bool("app.feature_flag.enabled", random.nextBoolean()));
          }
          return "io.opentelemetry.opentelemetry-instrumentation-annotations-1.16";
        }
      }
    }

    /**
     * The resource of the service instance that sends this request: one of the service's running
     * pods, which keep their resource until the next deployment replaces them all. Real exporters
     * repeat a process's resource in every batch, so an hour holds few distinct resources.
     */
    private Resource instance(ServiceSpec service) {
      int slot = random.nextInt(INSTANCES_PER_SERVICE);
      long deployment = Math.floorDiv(hourStartNanos, HOURS_PER_DEPLOYMENT * 3_600_000 * MS);
      return resource(
          service,
          new SplittableRandom((service.name().hashCode() * 31L + slot) * 1_000_003L + deployment));
    }

    private static Resource resource(ServiceSpec service, SplittableRandom pod) {
      String podName =
          service.name()
              + "-"
              + HEX.formatHex(OtlpValues.randomBytes(pod, 5)).substring(0, 9)
              + "-"
              + HEX.formatHex(OtlpValues.randomBytes(pod, 3)).substring(0, 5);
      String node = "ip-10-0-" + pod.nextInt(1, 255) + "-" + pod.nextInt(1, 255);
      return Resource.newBuilder()
          .addAttributes(string("service.name", service.name()))
          .addAttributes(string("service.namespace", "shop"))
          .addAttributes(string("service.version", service.version()))
          .addAttributes(string("service.instance.id", uuid(pod)))
          .addAttributes(string("deployment.environment", "production"))
          .addAttributes(string("host.name", podName))
          .addAttributes(string("host.arch", "amd64"))
          .addAttributes(string("os.type", "linux"))
          .addAttributes(string("os.description", "Linux 6.1.131-143.221.amzn2023.x86_64"))
          .addAttributes(integer("process.pid", 1))
          .addAttributes(string("process.executable.path", "/opt/java/openjdk/bin/java"))
          .addAttributes(
              string(
                  "process.command_line",
                  "/opt/java/openjdk/bin/java -javaagent:/otel/opentelemetry-javaagent.jar"
                      + " -XX:MaxRAMPercentage=75.0 -jar /app/"
                      + service.name()
                      + ".jar"))
          .addAttributes(string("process.runtime.name", "OpenJDK Runtime Environment"))
          .addAttributes(string("process.runtime.version", "21.0.6+7-LTS"))
          .addAttributes(
              string("process.runtime.description", "Eclipse Adoptium OpenJDK 64-Bit Server VM"))
          .addAttributes(string("container.id", HEX.formatHex(OtlpValues.randomBytes(pod, 32))))
          .addAttributes(string("k8s.namespace.name", "shop"))
          .addAttributes(string("k8s.deployment.name", service.name()))
          .addAttributes(string("k8s.pod.name", podName))
          .addAttributes(string("k8s.node.name", node + ".eu-west-1.compute.internal"))
          .addAttributes(string("cloud.provider", "aws"))
          .addAttributes(string("cloud.platform", "aws_eks"))
          .addAttributes(string("cloud.region", "eu-west-1"))
          .addAttributes(string("telemetry.sdk.name", "opentelemetry"))
          .addAttributes(string("telemetry.sdk.language", "java"))
          .addAttributes(string("telemetry.sdk.version", "1.49.0"))
          .addAttributes(string("telemetry.distro.name", "opentelemetry-java-instrumentation"))
          .addAttributes(string("telemetry.distro.version", AGENT_VERSION))
          .build();
    }

    private String stacktrace(Node node, String[] exception) {
      String pkg = "dev.shop." + node.service.name().replace("-", "");
      return exception[0]
          + ": "
          + exception[1]
          + "\n\tat "
          + pkg
          + ".Handler.handle(Handler.java:"
          + random.nextInt(40, 400)
          + ")\n\tat "
          + pkg
          + ".Service.process(Service.java:"
          + random.nextInt(40, 400)
          + ")\n\tat io.grpc.stub.ServerCalls$UnaryServerCallHandler$UnaryServerCallListener"
          + ".onHalfClose(ServerCalls.java:182)\n\tat java.base/java.util.concurrent"
          + ".ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)\n\tat"
          + " java.base/java.lang.Thread.run(Thread.java:1583)";
    }

    private String path(String operation) {
      return route(operation)
          .replace("{productId}", "OLJCESPC7Z" + random.nextInt(10))
          .replace("{orderId}", Long.toString(random.nextLong(1_000_000, 9_999_999)));
    }

    private String ip() {
      return "10.0." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    private static String uuid(SplittableRandom random) {
      String hex = HEX.formatHex(OtlpValues.randomBytes(random, 16));
      return String.join(
          "-",
          hex.substring(0, 8),
          hex.substring(8, 12),
          hex.substring(12, 16),
          hex.substring(16, 20),
          hex.substring(20));
    }

    private ByteString randomId(int length) {
      return OtlpValues.randomId(random, length);
    }

    private byte[] randomBytes(int length) {
      return OtlpValues.randomBytes(random, length);
    }
  }

  private static String method(String operation) {
    int space = operation.indexOf(' ');
    return space < 0 ? "POST" : operation.substring(0, space);
  }

  private static String route(String operation) {
    int space = operation.indexOf(' ');
    return space < 0 ? operation : operation.substring(space + 1);
  }

  /** The table a SQL statement names first after FROM, INTO or UPDATE. */
  private static String table(String sql) {
    String[] words = sql.split("[ (]+");
    for (int i = 0; i < words.length - 1; i++) {
      String word = words[i].toUpperCase(Locale.ROOT);
      if (word.equals("FROM") || word.equals("INTO") || word.equals("UPDATE")) {
        return words[i + 1];
      }
    }
    return "unknown";
  }
}
