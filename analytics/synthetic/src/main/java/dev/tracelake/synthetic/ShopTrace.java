package dev.tracelake.synthetic;

import static dev.tracelake.synthetic.OtlpValues.exceptionEvent;
import static dev.tracelake.synthetic.OtlpValues.integer;
import static dev.tracelake.synthetic.OtlpValues.randomId;
import static dev.tracelake.synthetic.OtlpValues.string;
import static dev.tracelake.synthetic.ScenarioTopology.CATALOG;
import static dev.tracelake.synthetic.ScenarioTopology.GATEWAY;
import static dev.tracelake.synthetic.ScenarioTopology.INVENTORY_LEGACY;
import static dev.tracelake.synthetic.ScenarioTopology.NOTIFIER;
import static dev.tracelake.synthetic.ScenarioTopology.ORDERS;
import static dev.tracelake.synthetic.ScenarioTopology.PAYMENTS;
import static dev.tracelake.synthetic.ScenarioTopology.POSTGRESQL;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * One trace of the {@link ScenarioTopology shop}: picks the request, lays its spans out in time
 * (every parent enclosing its children), writes each span to the batch once it ends, and counts it
 * in the truth.
 */
final class ShopTrace {
  private static final String NETTY = "io.opentelemetry.netty-4.1";
  private static final String TOMCAT = "io.opentelemetry.tomcat-10.0";
  private static final String HTTP_CLIENT = "io.opentelemetry.java-http-client";
  private static final String JDBC = "io.opentelemetry.jdbc";
  private static final String KAFKA = "io.opentelemetry.kafka-clients-2.6";
  private static final String ORDER_CREATED = "order.created";
  private static final long MS = 1_000_000L;

  private static final Map<String, String> VERSIONS =
      Map.of(
          GATEWAY, "3.2.1",
          CATALOG, "1.14.0",
          ORDERS, "2.7.3",
          PAYMENTS, "4.1.0",
          NOTIFIER, "0.9.2");

  private record Failure(String type, String message) {}

  private static final Map<String, Failure> ENTRY_FAILURES =
      Map.of(
          GATEWAY,
          new Failure("java.util.concurrent.RejectedExecutionException", "request queue is full"),
          CATALOG,
          new Failure("java.lang.IllegalStateException", "product cache is not loaded"),
          ORDERS,
          new Failure(
              "java.sql.SQLTransientConnectionException",
              "HikariPool-1 - Connection is not available, request timed out after 30000ms."),
          PAYMENTS,
          new Failure(
              "dev.shop.payments.ProcessorUnavailableException", "card processor answered 503"),
          NOTIFIER,
          new Failure(
              "jakarta.mail.MessagingException",
              "Could not connect to SMTP host: smtp.internal, port: 587"));
  private static final Failure QUERY_FAILURE =
      new Failure("org.postgresql.util.PSQLException", "ERROR: deadlock detected");
  private static final Failure INVENTORY_FAILURE =
      new Failure("java.net.http.HttpTimeoutException", "request timed out");

  private final SplittableRandom random;
  private final FaultInjector faults;
  private final ExportBatch batch;
  private final ScenarioTruth.Recorder truth;
  private final ByteString traceId;

  ShopTrace(
      SplittableRandom random,
      FaultInjector faults,
      ExportBatch batch,
      ScenarioTruth.Recorder truth) {
    this.random = random;
    this.faults = faults;
    this.batch = batch;
    this.truth = truth;
    this.traceId = randomId(random, 16);
  }

  /** The resource of each instrumented service, in {@link ScenarioTopology#services()} order. */
  static Map<String, Resource> resources(SplittableRandom random) {
    Map<String, Resource> resources = new LinkedHashMap<>();
    for (String service : ScenarioTopology.services()) {
      UUID instance = new UUID(random.nextLong(), random.nextLong());
      resources.put(
          service,
          Resource.newBuilder()
              .addAttributes(string("service.name", service))
              .addAttributes(string("service.namespace", "shop"))
              .addAttributes(string("service.version", VERSIONS.get(service)))
              .addAttributes(string("service.instance.id", instance.toString()))
              .addAttributes(string("deployment.environment", "production"))
              .addAttributes(
                  string("host.name", service + "-" + Long.toHexString(random.nextLong(1L << 36))))
              .addAttributes(string("telemetry.sdk.name", "opentelemetry"))
              .addAttributes(string("telemetry.sdk.language", "java"))
              .addAttributes(string("telemetry.sdk.version", "1.49.0"))
              .build());
    }
    return resources;
  }

  /** Writes one request to the gateway that starts at {@code startNanos}. */
  void write(long startNanos) {
    double request = random.nextDouble();
    if (request < 0.4) {
      String productId = "SKU-" + random.nextInt(10_000, 100_000);
      gateway(
          startNanos,
          "GET",
          "/products/{productId}",
          "/products/" + productId,
          CATALOG,
          (client, start) -> product(client, start, productId));
    } else if (request < 0.6) {
      String orderId = Long.toString(random.nextLong(1_000_000, 10_000_000));
      gateway(
          startNanos,
          "GET",
          "/orders/{orderId}",
          "/orders/" + orderId,
          ORDERS,
          (client, start) -> order(client, start, orderId));
    } else {
      gateway(startNanos, "POST", "/orders", "/orders", ORDERS, this::checkout);
    }
  }

  /** The service side of an HTTP call: the callee's entry span, from {@code start}. */
  private interface Server {
    Reply handle(OpenSpan client, long start);
  }

  /** How an HTTP call ended: when, and with which response status code. */
  private record Reply(long end, int status) {}

  /**
   * The root span: the gateway forwards the request, under {@code /api}, to one service. It handles
   * a failed call with a fallback answer (the cached page, the order queued for retry), so its own
   * status only says whether the gateway itself failed.
   */
  private void gateway(
      long start, String method, String route, String path, String callee, Server server) {
    OpenSpan span = openServer(null, GATEWAY, method, "/api" + route, "/api" + path, start);
    span.attribute(string("client.address", "203.0.113." + random.nextInt(1, 255)))
        .attribute(
            string(
                "user_agent.original",
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/124.0.0.0 Safari/537.36"));
    Work work = work(span, 1);
    long now = work.after(start);
    now = work.after(httpCall(span, now, callee, method, route, path, server).end());
    closeServer(span, work, now, method.equals("POST") ? 201 : 200);
  }

  /** catalog answers from its cache, or asks inventory-legacy for the stock on a miss. */
  private Reply product(OpenSpan client, long start, String productId) {
    OpenSpan span =
        openServer(
            client, CATALOG, "GET", "/products/{productId}", "/products/" + productId, start);
    boolean cacheMiss = random.nextBoolean();
    Work work = work(span, cacheMiss ? 1 : 0);
    long now = work.after(start);
    if (cacheMiss) {
      now = work.after(inventoryLookup(span, now, productId));
    }
    return closeServer(span, work, now, 200);
  }

  private Reply order(OpenSpan client, long start, String orderId) {
    OpenSpan span =
        openServer(client, ORDERS, "GET", "/orders/{orderId}", "/orders/" + orderId, start);
    Work work = work(span, 1);
    long now = work.after(start);
    now =
        work.after(
            query(span, now, "SELECT", "SELECT id, status, total_cents FROM orders WHERE id = ?"));
    return closeServer(span, work, now, 200);
  }

  /** orders stores the order, charges it, and announces it unless the order or payment failed. */
  private Reply checkout(OpenSpan client, long start) {
    OpenSpan span = openServer(client, ORDERS, "POST", "/orders", "/orders", start);
    Work work = work(span, 4);
    long now = work.after(start);
    now =
        work.after(
            query(
                span,
                now,
                "INSERT",
                "INSERT INTO orders (id, customer_id, total_cents, status) VALUES (?, ?, ?, ?)"));
    Reply payment = httpCall(span, now, PAYMENTS, "POST", "/payments", "/payments", this::payment);
    now = work.after(payment.end());
    now = work.after(query(span, now, "UPDATE", "UPDATE orders SET status = ? WHERE id = ?"));
    if (!work.failed() && payment.status() < 500) {
      now = publishOrderCreated(span, now);
    }
    now = work.after(now);
    return closeServer(span, work, now, 201);
  }

  private Reply payment(OpenSpan client, long start) {
    OpenSpan span = openServer(client, PAYMENTS, "POST", "/payments", "/payments", start);
    Work work = work(span, 0);
    return closeServer(span, work, work.after(start), 201);
  }

  /**
   * An HTTP call to an instrumented service. The caller handles a failed call: its CLIENT span
   * records the response status code but keeps status UNSET.
   */
  private Reply httpCall(
      OpenSpan caller,
      long start,
      String callee,
      String method,
      String route,
      String path,
      Server server) {
    OpenSpan client =
        open(
                caller,
                caller.service,
                HTTP_CLIENT,
                SpanKind.SPAN_KIND_CLIENT,
                method + " " + route,
                start)
            .attribute(string("http.request.method", method))
            .attribute(string("url.full", "http://" + callee + ":8080" + path))
            .attribute(string("url.template", route))
            .attribute(string("server.address", callee))
            .attribute(integer("server.port", 8080));
    Reply reply = server.handle(client, start + networkHop());
    client.attribute(integer("http.response.status_code", reply.status()));
    return new Reply(close(client, reply.end() + networkHop()), reply.status());
  }

  /** A query of orders' database: a CLIENT span without a child, the virtual edge's call. */
  private long query(OpenSpan caller, long start, String operation, String statement) {
    OpenSpan client =
        openPeerCall(caller, JDBC, operation + " orders", start, POSTGRESQL)
            .attribute(string("db.system", POSTGRESQL))
            .attribute(string("db.name", "orders"))
            .attribute(string("db.user", "orders"))
            .attribute(string("db.operation", operation))
            .attribute(string("db.sql.table", "orders"))
            .attribute(string("db.statement", statement))
            .attribute(string("server.address", "orders-db"))
            .attribute(integer("server.port", 5432));
    long end = start + ScenarioTopology.POSTGRESQL_QUERY.drawNanos(random);
    if (faults.peerCallFails(random)) {
      fail(client, QUERY_FAILURE, end);
    }
    return close(client, end);
  }

  /** catalog's stock lookup in the uninstrumented inventory-legacy, named by peer.service. */
  private long inventoryLookup(OpenSpan caller, long start, String productId) {
    OpenSpan client =
        openPeerCall(caller, HTTP_CLIENT, "GET /stock/{sku}", start, INVENTORY_LEGACY)
            .attribute(string("http.request.method", "GET"))
            .attribute(
                string("url.full", "http://inventory.legacy.internal:8080/stock/" + productId))
            .attribute(string("url.template", "/stock/{sku}"))
            .attribute(string("server.address", "inventory.legacy.internal"))
            .attribute(integer("server.port", 8080))
            .attribute(string("peer.service", INVENTORY_LEGACY));
    long end = start + ScenarioTopology.INVENTORY_LOOKUP.drawNanos(random);
    boolean failed = faults.peerCallFails(random);
    client.attribute(integer("http.response.status_code", failed ? 504 : 200));
    if (failed) {
      fail(client, INVENTORY_FAILURE, end);
    }
    return close(client, end);
  }

  /**
   * orders publishes the order to notifier through Kafka. The PRODUCER span waits for the
   * acknowledgement, which comes after notifier has processed the message, so it encloses the
   * CONSUMER span.
   */
  private long publishOrderCreated(OpenSpan caller, long start) {
    OpenSpan producer =
        open(caller, ORDERS, KAFKA, SpanKind.SPAN_KIND_PRODUCER, "publish " + ORDER_CREATED, start)
            .attribute(string("messaging.system", "kafka"))
            .attribute(string("messaging.destination.name", ORDER_CREATED))
            .attribute(string("messaging.operation", "publish"))
            .attribute(string("server.address", "kafka"))
            .attribute(integer("server.port", 9092));
    long delivered = start + random.nextLong(MS, 5 * MS);
    long processed = notification(producer, delivered);
    return close(producer, processed + random.nextLong(MS / 5, MS));
  }

  private long notification(OpenSpan producer, long start) {
    OpenSpan span =
        open(
                producer,
                NOTIFIER,
                KAFKA,
                SpanKind.SPAN_KIND_CONSUMER,
                "process " + ORDER_CREATED,
                start)
            .attribute(string("messaging.system", "kafka"))
            .attribute(string("messaging.destination.name", ORDER_CREATED))
            .attribute(string("messaging.operation", "process"))
            .attribute(string("messaging.kafka.consumer.group", NOTIFIER));
    Work work = work(span, 0);
    return closeEntry(span, work, work.after(start));
  }

  /**
   * How a service handles the request of one entry span: whether it fails, and its own work split
   * into equal slices before, between and after its calls.
   */
  private record Work(boolean failed, long sliceNanos) {
    long after(long nanos) {
      return nanos + sliceNanos;
    }
  }

  private Work work(OpenSpan entry, int calls) {
    long start = entry.span.getStartTimeUnixNano();
    boolean failed = faults.entryFails(entry.service, start, random);
    long ownWork =
        ScenarioTopology.ownWork(entry.service).drawNanos(random)
            + faults.incidentDelayNanos(entry.service, start, random);
    return new Work(failed, ownWork / (calls + 1));
  }

  private long networkHop() {
    return random.nextLong(MS / 5, MS);
  }

  /** A span being written, until its end is known. */
  private static final class OpenSpan {
    final String service;
    final String scope;
    final String parentService;
    final String virtualPeer;
    final Span.Builder span;

    OpenSpan(
        String service, String scope, String parentService, String virtualPeer, Span.Builder span) {
      this.service = service;
      this.scope = scope;
      this.parentService = parentService;
      this.virtualPeer = virtualPeer;
      this.span = span;
    }

    OpenSpan attribute(KeyValue attribute) {
      span.addAttributes(attribute);
      return this;
    }
  }

  private OpenSpan open(
      OpenSpan parent, String service, String scope, SpanKind kind, String name, long start) {
    return open(parent, service, scope, kind, name, start, null);
  }

  private OpenSpan open(
      OpenSpan parent,
      String service,
      String scope,
      SpanKind kind,
      String name,
      long start,
      String virtualPeer) {
    boolean remoteParent =
        parent != null
            && (kind == SpanKind.SPAN_KIND_SERVER || kind == SpanKind.SPAN_KIND_CONSUMER);
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(traceId)
            .setSpanId(randomId(random, 8))
            .setParentSpanId(parent == null ? ByteString.EMPTY : parent.span.getSpanId())
            // Sampled; bit 8 says whether the parent is known to be remote, bit 9 that it is.
            .setFlags(remoteParent ? 0x301 : 0x101)
            .setName(name)
            .setKind(kind)
            .setStartTimeUnixNano(start);
    return new OpenSpan(service, scope, parent == null ? null : parent.service, virtualPeer, span);
  }

  /** A call to an uninstrumented peer: a CLIENT span that will have no child. */
  private OpenSpan openPeerCall(
      OpenSpan caller, String scope, String name, long start, String peer) {
    return open(caller, caller.service, scope, SpanKind.SPAN_KIND_CLIENT, name, start, peer);
  }

  private OpenSpan openServer(
      OpenSpan client, String service, String method, String route, String path, long start) {
    OpenSpan server =
        open(
                client,
                service,
                service.equals(GATEWAY) ? NETTY : TOMCAT,
                SpanKind.SPAN_KIND_SERVER,
                method + " " + route,
                start)
            .attribute(string("http.request.method", method))
            .attribute(string("http.route", route))
            .attribute(string("url.scheme", "http"))
            .attribute(string("url.path", path))
            .attribute(string("server.address", service))
            .attribute(integer("server.port", 8080))
            .attribute(string("network.protocol.version", "1.1"));
    return server;
  }

  /** Ends a SERVER entry span, answering {@code okStatus} unless the service failed. */
  private Reply closeServer(OpenSpan span, Work work, long end, int okStatus) {
    int status = work.failed() ? 500 : okStatus;
    span.attribute(integer("http.response.status_code", status));
    return new Reply(closeEntry(span, work, end), status);
  }

  private long closeEntry(OpenSpan span, Work work, long end) {
    if (work.failed()) {
      fail(span, ENTRY_FAILURES.get(span.service), end);
    }
    return close(span, end);
  }

  private void fail(OpenSpan span, Failure failure, long end) {
    String stacktrace =
        failure.type()
            + ": "
            + failure.message()
            + "\n\tat dev.shop."
            + span.service
            + ".RequestHandler.handle(RequestHandler.java:"
            + random.nextInt(40, 400)
            + ")\n\tat java.base/java.lang.Thread.run(Thread.java:1583)";
    span.span
        .setStatus(
            Status.newBuilder()
                .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                .setMessage(failure.message()))
        .addEvents(exceptionEvent(end, failure.type(), failure.message(), stacktrace));
  }

  /** Ends the span, adds it to the batch and counts it; returns its end. */
  private long close(OpenSpan open, long end) {
    Span span = open.span.setEndTimeUnixNano(end).build();
    batch.add(open.service, open.scope, span);
    truth.record(open.service, open.parentService, open.virtualPeer, span);
    return end;
  }
}
