package dev.tracelake.cli;

import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.TraceReader;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tracelake trace <id>}: one trace, every span of it. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = "Show a trace by its ID. Exits with 3 when no such trace is stored.")
public final class TraceCommand implements Callable<Integer> {
  @Parameters(paramLabel = "TRACE_ID", description = "The trace ID: 32 hex digits.")
  String traceId;

  @Mixin StorageOptions storage;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String id;
    try {
      id = TraceReader.normalizedTraceId(traceId);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try (QueryEngine engine = storage.queryEngine()) {
      Optional<TracesData> trace = engine.traces().trace(id);
      if (trace.isEmpty()) {
        spec.commandLine().getErr().println("no trace " + id + " in " + storage.location());
        return ExitCodes.NOT_FOUND;
      }
      TracesOutput.print(trace.get(), output, spec.commandLine().getOut());
      return ExitCodes.OK;
    }
  }
}
