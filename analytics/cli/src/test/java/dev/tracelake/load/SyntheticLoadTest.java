package dev.tracelake.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracelake.index.TraceIndex;
import dev.tracelake.query.LocalSpanSource;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.TimeRange;
import dev.tracelake.query.TraceReader;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthetic spans land where serve would put them, and the query engine reads them. */
class SyntheticLoadTest {
  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
  private static final SpanObjectKeys KEYS = new SpanObjectKeys("spans");

  @TempDir Path data;
  @TempDir Path work;

  @Test
  void writesTheSpansIntoTheirHourPartitions() throws Exception {
    SyntheticLoad.Result result = write(data, new SyntheticLoad.Plan(5_000, START, 2, 512, 7));

    assertThat(result.spans()).isEqualTo(5_000);
    // 2,500 spans an hour: four objects of 512 spans and one of 452.
    assertThat(result.objects()).isEqualTo(10);
    assertThat(result.bytes()).isEqualTo(totalSize(objects(data)));
    assertThat(objects(data).stream().map(path -> data.relativize(path.getParent()).toString()))
        .containsOnly("spans/dt=2026-11-25/hour=10", "spans/dt=2026-11-25/hour=11")
        .hasSize(10);

    LocalSpanSource source = new LocalSpanSource(data, KEYS);
    try (SpanDatabase database = SpanDatabase.open(SpanDatabase.Settings.defaults(work), source)) {
      TraceReader reader = new TraceReader(database, source, Duration.ofHours(1));
      assertThat(reader.services())
          .contains("frontend", "checkout", "cart", "product-catalog", "payment");
      try (Connection connection = database.connect(source.files(TimeRange.ALL));
          Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT hour, count(*) FROM spans GROUP BY hour ORDER BY hour")) {
        Map<Integer, Long> spansByHour = new LinkedHashMap<>();
        while (rows.next()) {
          spansByHour.put(rows.getInt(1), rows.getLong(2));
        }
        assertThat(spansByHour).containsExactly(Map.entry(10, 2_500L), Map.entry(11, 2_500L));
      }
      try (Connection connection = database.connect(source.files(TimeRange.ALL));
          Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT trace_id, count(*) FROM spans GROUP BY trace_id ORDER BY trace_id"
                      + " LIMIT 1")) {
        rows.next();
        TracesData trace = reader.trace(rows.getString(1)).orElseThrow();
        assertThat(
                trace.getResourceSpansList().stream()
                    .flatMap(resource -> resource.getScopeSpansList().stream())
                    .mapToLong(scope -> scope.getSpansCount())
                    .sum())
            .isEqualTo(rows.getLong(2));
      }
    }
  }

  @Test
  void theSamePlanWritesTheSameObjects(@TempDir Path again) throws Exception {
    SyntheticLoad.Plan plan = new SyntheticLoad.Plan(3_000, START, 3, 700, 42);
    write(data, plan);
    write(again, plan);

    List<Path> first = objects(data);
    assertThat(first.stream().map(data::relativize))
        .containsExactlyInAnyOrderElementsOf(
            objects(again).stream().map(again::relativize).toList());
    for (Path object : first) {
      assertThat(Files.mismatch(object, again.resolve(data.relativize(object)))).isEqualTo(-1);
    }
  }

  @Test
  void refusesAStartOffTheHour() {
    assertThatThrownBy(() -> new SyntheticLoad.Plan(10, START.plusSeconds(90), 1, 512, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("on the hour");
  }

  private static SyntheticLoad.Result write(Path directory, SyntheticLoad.Plan plan)
      throws InterruptedException {
    return SyntheticLoad.write(
        plan, new LocalDirectoryObjectStore(directory), KEYS, TraceIndex.NONE, 2);
  }

  private static List<Path> objects(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory.resolve("spans"))) {
      return files.filter(path -> path.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  private static long totalSize(List<Path> files) throws IOException {
    long bytes = 0;
    for (Path file : files) {
      bytes += Files.size(file);
    }
    return bytes;
  }
}
