package dev.tracelake.cli;

import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.TimeRange;
import dev.tracelake.query.TraceQuery;
import dev.tracelake.query.api.GoDuration;
import dev.tracelake.query.api.Rfc3339;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tracelake search}: traces by service, operation, attributes, duration and time. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Find traces with a span that matches every filter given (Jaeger's search), newest first.",
      "Example: search --service checkout --attribute http.response.status_code=500 --from"
          + " 2026-11-26T10:00:00Z --min-duration 1.5s"
    })
public final class SearchCommand implements Callable<Integer> {
  @Option(names = "--service", description = "The span's service.")
  String service;

  @Option(names = "--operation", description = "The span's name.")
  String operation;

  @Option(
      names = "--attribute",
      paramLabel = "KEY=VALUE",
      description =
          "An attribute the span carries (on itself, its events, links, resource or scope);"
              + " repeat for more. Numbers and booleans match typed values too.")
  Map<String, String> attributes = new LinkedHashMap<>();

  @Option(
      names = "--from",
      converter = InstantConverter.class,
      description = "Earliest span start, RFC 3339 (default: an hour before --to).")
  Instant from;

  @Option(
      names = "--to",
      converter = InstantConverter.class,
      description = "Latest span start, RFC 3339 (default: now).")
  Instant to;

  @Option(
      names = "--min-duration",
      converter = DurationConverter.class,
      description = "Shortest span duration, e.g. 250ms, 1.5s.")
  Long minDurationNanos;

  @Option(
      names = "--max-duration",
      converter = DurationConverter.class,
      description = "Longest span duration, e.g. 2s.")
  Long maxDurationNanos;

  @Option(
      names = "--limit",
      defaultValue = "" + TraceQuery.DEFAULT_LIMIT,
      description = "The most traces to show (default: ${DEFAULT-VALUE}).")
  int limit;

  @Mixin StorageOptions storage;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    TraceQuery query;
    try {
      Instant end = to != null ? to : Instant.now();
      Instant start = from != null ? from : end.minus(TraceQuery.DEFAULT_LOOKBACK);
      query =
          new TraceQuery(
              new TimeRange(start, end),
              Optional.ofNullable(service),
              Optional.ofNullable(operation),
              OptionalInt.empty(),
              minDurationNanos == null ? OptionalLong.empty() : OptionalLong.of(minDurationNanos),
              maxDurationNanos == null ? OptionalLong.empty() : OptionalLong.of(maxDurationNanos),
              attributes,
              limit);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try (QueryEngine engine = storage.queryEngine()) {
      TracesOutput.print(engine.traces().search(query), output, spec.commandLine().getOut());
      return ExitCodes.OK;
    }
  }

  /** RFC 3339 times, as the query API takes them. */
  static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String text) {
      try {
        return Rfc3339.parse(text);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Go durations (250ms, 1.5s), as the query API takes them, in nanoseconds. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
      try {
        return GoDuration.parseNanos(text);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
