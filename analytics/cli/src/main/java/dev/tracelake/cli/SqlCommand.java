package dev.tracelake.cli;

import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SqlRejectedException;
import dev.tracelake.query.SqlResult;
import dev.tracelake.query.SqlResultFormat;
import dev.tracelake.query.TimeRange;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tracelake sql "SELECT …"}: one read-only query over the spans view. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run one read-only SQL query (DuckDB) over the spans view.",
      "Example: sql \"SELECT service_name, count(*) FROM spans GROUP BY 1\""
    })
public final class SqlCommand implements Callable<Integer> {
  @Parameters(paramLabel = "QUERY", description = "SELECT, WITH, EXPLAIN, DESCRIBE or SUMMARIZE.")
  String query;

  @Option(
      names = "--from",
      converter = SearchCommand.InstantConverter.class,
      description =
          "Read only objects of spans from this time on, RFC 3339 (with S3, what is fetched).")
  Instant from;

  @Option(
      names = "--to",
      converter = SearchCommand.InstantConverter.class,
      description = "Read only objects of spans up to this time, RFC 3339.")
  Instant to;

  @Mixin StorageOptions storage;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    TimeRange range;
    try {
      range =
          new TimeRange(
              from != null ? from : TimeRange.ALL.from(), to != null ? to : TimeRange.ALL.to());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try (QueryEngine engine = storage.queryEngine()) {
      SqlResult result;
      try {
        result = engine.sql().execute(query, range);
      } catch (SqlRejectedException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(output.format.render(result));
      out.flush();
      if (result.truncated() && output.format != SqlResultFormat.TABLE) {
        spec.commandLine()
            .getErr()
            .printf("tracelake: the result was cut at %d rows%n", result.maxRows());
      }
      return ExitCodes.OK;
    }
  }
}
