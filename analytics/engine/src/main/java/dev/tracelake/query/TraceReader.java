package dev.tracelake.query;

import dev.tracelake.index.ServiceOperation;
import dev.tracelake.spans.StoredSpan;
import dev.tracelake.spans.StoredSpanDecoder;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Trace lookup, trace search, and the service and operation lists, over the spans view. The SQL is
 * in {@code sql/queries/}; this class picks the files, binds the parameters and rebuilds OTLP.
 */
public final class TraceReader {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final String FIND_TRACES = SqlResources.load("queries/find_traces.sql");
  private static final String TRACE_SPANS = SqlResources.load("queries/trace_spans.sql");
  private static final String TRACE_OBJECTS = SqlResources.load("queries/trace_objects.sql");
  private static final String SERVICES = SqlResources.load("queries/services.sql");
  private static final String OPERATIONS = SqlResources.load("queries/operations.sql");

  /**
   * The first part of its window a search reads: the last 5 minutes, aligned, then twice as many
   * before them each time until it has its limit. Compaction orders each hour's rows by the slice
   * their trace started in ({@code sql/compaction/write_bucket.sql}), so that reading the newest
   * slice of a compacted hour decodes only its row groups (the query benchmark's search by service
   * and tag over a 417,000-span hour: 0.95 s before, 0.29 s after). Shorter slices would add
   * queries to a sparse search for little gain, longer ones decode more for a frequent one.
   */
  public static final Duration SEARCH_SLICE = Duration.ofMinutes(5);

  /** An operation of a service: a span name and the kind of spans carrying it. */
  public record Operation(String name, int spanKind) {}

  private final SpanDatabase database;
  private final SpanSource source;
  private final Duration traceReach;

  /**
   * @param traceReach how far a trace's other spans may start from those a search matched: whole
   *     traces are gathered from the search window widened by this much on each side
   */
  public TraceReader(SpanDatabase database, SpanSource source, Duration traceReach) {
    this.database = database;
    this.source = source;
    this.traceReach = traceReach;
  }

  /**
   * The trace's spans, or empty when none is stored.
   *
   * @throws IllegalArgumentException when the ID is not 32 hex digits
   */
  public Optional<TracesData> trace(String traceId) throws SQLException {
    String id = normalizedTraceId(traceId);
    try (SpanSource.Session session = source.session()) {
      Map<String, List<StoredSpan>> spans = spansOf(session, List.of(id), TimeRange.ALL);
      return spans.isEmpty() ? Optional.empty() : Optional.of(StoredSpan.tracesData(spans.get(id)));
    }
  }

  /** The whole traces a search matches, newest first. */
  public TracesData search(TraceQuery query) throws SQLException {
    try (SpanSource.Session session = source.session()) {
      Found found = findTraces(session, query);
      List<StoredSpan> spans = new ArrayList<>();
      spansOf(session, found.traceIds(), found.searched().widen(traceReach))
          .values()
          .forEach(spans::addAll);
      return StoredSpan.tracesData(spans);
    }
  }

  /** The traces a search found, newest first, and the part of its window it read to find them. */
  private record Found(List<String> traceIds, TimeRange searched) {}

  /**
   * The traces a search matches, newest first: in the window's last slice first, then in twice as
   * many slices before what was searched each time, until the search has its limit or the window is
   * read. A trace ranks by its newest matching span, and every span of an older part of the window
   * started before every span of a newer one, so the traces a newer part found rank first; a search
   * whose last minutes have enough traces reads those alone, as Tempo and Jaeger stop at the limit.
   */
  private Found findTraces(SpanSource.Session session, TraceQuery query) throws SQLException {
    TimeRange window = query.window();
    if (window.isAll()) {
      return new Found(findTraces(session, query, window), window);
    }
    Set<String> found = new LinkedHashSet<>();
    Instant end = window.to();
    Instant start;
    long slices = 1;
    do {
      Instant partStart = partStart(end, slices);
      start = partStart.isAfter(window.from()) ? partStart : window.from();
      found.addAll(findTraces(session, query, new TimeRange(start, end)));
      end = start.minusNanos(1);
      slices *= 2;
    } while (found.size() < query.limit() && start.isAfter(window.from()));
    return new Found(
        found.stream().limit(query.limit()).toList(), new TimeRange(start, window.to()));
  }

  /**
   * Where the part of a search of {@code slices} slices ending at {@code end} starts: on a slice
   * boundary (compaction orders rows by slice), or on an hour boundary once the part reaches into
   * an earlier hour, whose objects it then reads whole rather than a second time for the rest.
   */
  private static Instant partStart(Instant end, long slices) {
    Instant start = floor(end, SEARCH_SLICE).minus(SEARCH_SLICE.multipliedBy(slices - 1));
    return start.isBefore(floor(end, HOUR)) ? ceiling(start, HOUR) : start;
  }

  private static Instant ceiling(Instant instant, Duration unit) {
    return floor(instant.minusNanos(1), unit).plus(unit);
  }

  private static Instant floor(Instant instant, Duration unit) {
    long seconds = unit.toSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), seconds) * seconds);
  }

  /** The IDs of the traces a search matches within part of its window, newest first. */
  private List<String> findTraces(SpanSource.Session session, TraceQuery query, TimeRange slice)
      throws SQLException {
    List<String> traceIds = new ArrayList<>();
    try (Connection connection = database.connectToSpans(session.files(slice));
        PreparedStatement statement = connection.prepareStatement(FIND_TRACES)) {
      int next = SpanDatabase.bindPartitions(statement, slice);
      statement.setLong(next++, slice.fromUnixNano());
      statement.setLong(next++, slice.toUnixNano());
      statement.setObject(next++, query.service().orElse(null));
      statement.setObject(next++, query.operation().orElse(null));
      statement.setObject(
          next++, query.spanKind().isPresent() ? query.spanKind().getAsInt() : null);
      statement.setObject(
          next++,
          query.durationMinNanos().isPresent() ? query.durationMinNanos().getAsLong() : null);
      statement.setObject(
          next++,
          query.durationMaxNanos().isPresent() ? query.durationMaxNanos().getAsLong() : null);
      statement.setArray(
          next++,
          connection.createArrayOf(
              "VARCHAR",
              query.attributes().entrySet().stream()
                  .map(tag -> tag.getKey() + '\u001f' + tag.getValue())
                  .toArray()));
      statement.setLong(next, query.limit());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          traceIds.add(rows.getString(1));
        }
      }
    }
    return traceIds;
  }

  /** Runs a query over an empty spans view: whether DuckDB can serve at all. */
  public void checkDatabase() throws SQLException {
    try (Connection connection = database.connectToSpans(List.of());
        PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM spans");
        ResultSet rows = statement.executeQuery()) {
      rows.next();
    }
  }

  /** The services that reported spans, by name. */
  public List<String> services() throws SQLException {
    Optional<List<ServiceOperation>> catalog = source.operations();
    if (catalog.isPresent()) {
      return catalog.get().stream().map(ServiceOperation::service).distinct().sorted().toList();
    }
    List<String> services = new ArrayList<>();
    try (SpanSource.Session session = source.session();
        Connection connection = database.connect(session.summaryFiles(TimeRange.ALL));
        PreparedStatement statement = connection.prepareStatement(SERVICES);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        services.add(rows.getString(1));
      }
    }
    return services;
  }

  /** A service's operations, optionally of one span kind (OTLP's numbering), by name and kind. */
  public List<Operation> operations(String service, Optional<Integer> spanKind)
      throws SQLException {
    Optional<List<ServiceOperation>> catalog = source.operations();
    if (catalog.isPresent()) {
      return catalog.get().stream()
          .filter(operation -> operation.service().equals(service))
          .filter(operation -> spanKind.isEmpty() || operation.kind() == spanKind.get())
          .map(operation -> new Operation(operation.name(), operation.kind()))
          .distinct()
          .sorted(Comparator.comparing(Operation::name).thenComparing(Operation::spanKind))
          .toList();
    }
    List<Operation> operations = new ArrayList<>();
    try (SpanSource.Session session = source.session();
        Connection connection = database.connect(session.summaryFiles(TimeRange.ALL));
        PreparedStatement statement = connection.prepareStatement(OPERATIONS)) {
      statement.setString(1, service);
      statement.setObject(2, spanKind.orElse(null));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          operations.add(new Operation(rows.getString(1), rows.getInt(2)));
        }
      }
    }
    return operations;
  }

  /**
   * The stored spans of the traces, by trace in the order given. Where the index knows a trace's
   * objects only those are read; otherwise the source's files in range, pruned by partition and by
   * trace_id statistics and bloom filters.
   */
  private Map<String, List<StoredSpan>> spansOf(
      SpanSource.Session session, List<String> traceIds, TimeRange range) throws SQLException {
    Map<String, Map<SpanIdentity, Delivery>> byTrace = new LinkedHashMap<>();
    if (traceIds.isEmpty()) {
      return Map.of();
    }
    String idList = traceIds.stream().map(SpanDatabase::literal).collect(Collectors.joining(", "));
    Optional<List<String>> indexed = indexedFiles(session, traceIds);
    List<String> files =
        indexed.isPresent() ? indexed.get() : objectsHolding(session.files(range), idList);
    if (files.isEmpty()) {
      return Map.of();
    }
    String sql =
        TRACE_SPANS.replace("{files}", SpanDatabase.list(files)).replace("{trace_ids}", idList);
    try (Connection connection = database.connectWithoutViews();
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      StoredSpanDecoder decoder = new StoredSpanDecoder();
      while (rows.next()) {
        Delivery delivery = new Delivery(decoder.decode(rows), rows.getLong("end_time_unix_nano"));
        byTrace
            .computeIfAbsent(rows.getString("trace_id"), id -> new LinkedHashMap<>())
            .merge(SpanIdentity.of(rows), delivery, Delivery::later);
      }
    }
    Map<String, List<StoredSpan>> ordered = new LinkedHashMap<>();
    for (String traceId : traceIds) {
      if (byTrace.containsKey(traceId)) {
        ordered.put(traceId, byTrace.get(traceId).values().stream().map(Delivery::span).toList());
      }
    }
    return ordered;
  }

  /**
   * What makes two stored rows the same span, as compaction decides it ({@code
   * compaction/merge.sql}): a span delivered twice, or read from both a compacted object and an
   * object it replaced while the index names both, is returned once. Done here rather than in the
   * SQL, where a window over the trace's rows doubled the lookup's time.
   */
  private record SpanIdentity(String spanId, String service, int kind, long startUnixNano) {
    static SpanIdentity of(ResultSet row) throws SQLException {
      return new SpanIdentity(
          row.getString("span_id"),
          row.getString("service_name"),
          row.getInt("kind"),
          row.getLong("start_time_unix_nano"));
    }
  }

  /** One stored row of a span; of two, the one that ended latest is kept, as compaction does. */
  private record Delivery(StoredSpan span, long endUnixNano) {
    Delivery later(Delivery other) {
      return other.endUnixNano > endUnixNano ? other : this;
    }
  }

  /**
   * The span objects among the files that hold spans of the traces (a list of SQL literals), found
   * by their trace_id column alone.
   */
  private List<String> objectsHolding(List<String> files, String idList) throws SQLException {
    List<String> spanObjects =
        files.stream().filter(file -> !SpanDatabase.isAggregatesFile(file)).toList();
    List<String> holding = new ArrayList<>();
    if (spanObjects.isEmpty()) {
      return holding;
    }
    String sql =
        TRACE_OBJECTS
            .replace("{files}", SpanDatabase.list(spanObjects))
            .replace("{trace_ids}", idList);
    try (Connection connection = database.connectWithoutViews();
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        holding.add(rows.getString(1));
      }
    }
    return holding;
  }

  /** The objects holding the traces, when the index knows every one of them. */
  private static Optional<List<String>> indexedFiles(
      SpanSource.Session session, List<String> traceIds) {
    Set<String> files = new LinkedHashSet<>();
    for (String traceId : traceIds) {
      Optional<List<String>> indexed = session.filesOfTrace(traceId);
      if (indexed.isEmpty()) {
        return Optional.empty();
      }
      files.addAll(indexed.get());
    }
    return Optional.of(List.copyOf(files));
  }

  /** The trace ID in lower-case hex, as stored. */
  public static String normalizedTraceId(String traceId) {
    String id = traceId.toLowerCase(Locale.ROOT);
    if (!TRACE_ID.matcher(id).matches() || id.chars().allMatch(c -> c == '0')) {
      throw new IllegalArgumentException(
          "a trace ID is 32 hex digits, not all zero: '" + traceId + "'");
    }
    return id;
  }
}
