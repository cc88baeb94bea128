package dev.tracelake.cli;

import dev.tracelake.compaction.CompactionSettings;
import dev.tracelake.compaction.Compactor;
import dev.tracelake.compaction.PartitionOutcome;
import dev.tracelake.compaction.RetentionPolicy;
import dev.tracelake.query.SpanDatabase;
import dev.tracelake.query.TimeRange;
import dev.tracelake.spans.HourPartition;
import dev.tracelake.storage.SpanObjectKeys;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tracelake compact}: few large sorted objects per closed hour, each span once. */
@Command(
    name = "compact",
    mixinStandardHelpOptions = true,
    description = {
      "Merge each closed hour partition's small span objects (one per OTLP request) into a few"
          + " large ones sorted by time and trace, each span once, and keep the trace index pointing at"
          + " them. Queries may run meanwhile; a run stopped anywhere is finished by the next.",
      "Example: compact --from 2026-11-25T00:00:00Z --to 2026-11-26T00:00:00Z"
    })
public final class CompactCommand implements Callable<Integer> {
  @Option(
      names = "--from",
      converter = SearchCommand.InstantConverter.class,
      description = "First hour to compact, RFC 3339 (default: the oldest).")
  Instant from;

  @Option(
      names = "--to",
      converter = SearchCommand.InstantConverter.class,
      description = "Last hour to compact, RFC 3339 (default: now).")
  Instant to;

  @Option(
      names = "--grace",
      defaultValue = "30m",
      converter = SearchCommand.DurationConverter.class,
      description =
          "How long after its hour ends a partition is left open for late spans"
              + " (default: ${DEFAULT-VALUE}).")
  long graceNanos;

  @Option(
      names = "--retire-after",
      defaultValue = "15m",
      converter = SearchCommand.DurationConverter.class,
      description =
          "How long replaced objects stay for queries still reading them; 0s when nothing reads"
              + " (default: ${DEFAULT-VALUE}).")
  long retireAfterNanos;

  @Option(
      names = "--spans-per-object",
      defaultValue = "1000000",
      description = "The most spans an object holds (default: ${DEFAULT-VALUE}).")
  long spansPerObject;

  @Option(
      names = "--objects-per-merge",
      defaultValue = "" + CompactionSettings.DEFAULT_OBJECTS_PER_MERGE,
      description =
          "The most objects one merge reads; an hour with more is compacted in stages"
              + " (default: ${DEFAULT-VALUE}).")
  int objectsPerMerge;

  @Option(
      names = "--hot",
      converter = SearchCommand.DurationConverter.class,
      description =
          "Tail-based retention: keep every trace this long after its hour (e.g. 168h); after it,"
              + " keep only traces with an error, a root slower than its latency objective (--slo),"
              + " a --keep-attribute, or in the --sample, and drop the rest after counting them in"
              + " the aggregates the reports read (default: keep every trace).")
  Long hotNanos;

  @Option(
      names = "--expire-after",
      converter = SearchCommand.DurationConverter.class,
      description =
          "Delete each hour partition this long after its hour (e.g. 720h for 30 days), however"
              + " recently retention or compaction rewrote it; longer than --hot (default: keep"
              + " everything).")
  Long expireAfterNanos;

  @Option(
      names = "--sample",
      defaultValue = "" + RetentionPolicy.DEFAULT_SAMPLE_RATE,
      description =
          "Share of the other traces retention keeps, 0 to 1 (default: ${DEFAULT-VALUE}).")
  double sampleRate;

  @Option(
      names = "--keep-attribute",
      paramLabel = "KEY=VALUE",
      description =
          "Retention keeps traces with a span (or resource) carrying this attribute; repeatable.")
  List<String> keepAttributes = List.of();

  @Mixin SloOptions slo;
  @Mixin StorageOptions storage;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    TimeRange range;
    CompactionSettings settings;
    Path work = Files.createTempDirectory("tracelake-compaction-");
    work.toFile().deleteOnExit();
    try {
      range =
          new TimeRange(
              from != null ? from : TimeRange.ALL.from(), to != null ? to : TimeRange.ALL.to());
      settings =
          new CompactionSettings(
              Duration.ofNanos(graceNanos),
              Duration.ofNanos(retireAfterNanos),
              spansPerObject,
              CompactionSettings.defaults(work).rowGroupSpans(),
              SpanDatabase.Settings.defaults(work),
              new RetentionPolicy(
                  hotNanos == null ? null : Duration.ofNanos(hotNanos),
                  slo.policy,
                  RetentionPolicy.attributes(keepAttributes),
                  sampleRate),
              expireAfterNanos == null ? null : Duration.ofNanos(expireAfterNanos),
              objectsPerMerge);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("compacting %s%n", storage.location());
    out.flush();
    Compactor compactor =
        new Compactor(
            storage.objectStore(),
            new SpanObjectKeys(storage.spansPrefix),
            storage.traceIndex(),
            settings,
            Clock.systemUTC());
    List<PartitionOutcome> outcomes =
        compactor.compact(
            range,
            outcome -> {
              out.println(line(outcome));
              out.flush();
            });
    out.println(summary(outcomes));
    out.flush();
    return ExitCodes.OK;
  }

  /** One line on what a run did with a partition. */
  static String line(PartitionOutcome outcome) {
    String partition = outcome.partition().path();
    String retired = outcome.retired() > 0 ? ", " + outcome.retired() + " old objects deleted" : "";
    String left =
        outcome.objectsLeft() > 0
            ? String.format(
                Locale.ROOT, ", %,d objects left for the next stage", outcome.objectsLeft())
            : "";
    return switch (outcome.state()) {
      case COMPACTED ->
          String.format(
              Locale.ROOT,
              "%s  %,d objects -> %,d, %,d spans (%,d duplicates removed%s), %s -> %s%s",
              partition,
              outcome.objectsIn(),
              outcome.objectsOut(),
              outcome.spansOut(),
              outcome.duplicatesRemoved(),
              outcome.spansDropped() > 0
                  ? String.format(Locale.ROOT, ", %,d dropped by retention", outcome.spansDropped())
                  : "",
              bytes(outcome.bytesIn()),
              bytes(outcome.bytesOut()),
              retired + left);
      case UP_TO_DATE -> partition + "  up to date" + retired;
      case OPEN -> partition + "  open (within its hour or grace period)" + retired;
      case EXPIRED -> partition + "  expired" + retired;
    };
  }

  /**
   * Totals over the hours; an hour compacted in stages counts once, from the objects its first
   * stage found to those its last stage wrote.
   */
  private static String summary(List<PartitionOutcome> outcomes) {
    Map<HourPartition, List<PartitionOutcome>> stages =
        outcomes.stream()
            .filter(o -> o.state() == PartitionOutcome.State.COMPACTED)
            .collect(
                Collectors.groupingBy(
                    PartitionOutcome::partition, LinkedHashMap::new, Collectors.toList()));
    long objectsIn = 0;
    long objectsOut = 0;
    for (List<PartitionOutcome> hour : stages.values()) {
      objectsIn += hour.get(0).objectsIn() + hour.get(0).objectsLeft();
      objectsOut += hour.get(hour.size() - 1).objectsOut();
    }
    List<PartitionOutcome> compacted = stages.values().stream().flatMap(List::stream).toList();
    return String.format(
        Locale.ROOT,
        "hour partitions compacted: %d of %d; objects: %,d -> %,d; duplicate spans removed: %,d;"
            + " size: %s -> %s",
        stages.size(),
        outcomes.stream().map(PartitionOutcome::partition).distinct().count(),
        objectsIn,
        objectsOut,
        compacted.stream().mapToLong(PartitionOutcome::duplicatesRemoved).sum(),
        bytes(compacted.stream().mapToLong(PartitionOutcome::bytesIn).sum()),
        bytes(compacted.stream().mapToLong(PartitionOutcome::bytesOut).sum()));
  }

  private static String bytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
