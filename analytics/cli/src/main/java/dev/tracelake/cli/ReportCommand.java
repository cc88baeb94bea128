package dev.tracelake.cli;

import com.google.gson.JsonObject;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SqlResultFormat;
import dev.tracelake.query.TimeRange;
import dev.tracelake.query.api.QueryApi;
import dev.tracelake.query.report.DependencyGraphText;
import dev.tracelake.query.report.DependencyReport;
import dev.tracelake.query.report.HtmlReport;
import dev.tracelake.query.report.IncidentReport;
import dev.tracelake.query.report.ReportJson;
import dev.tracelake.query.report.ReportTables;
import dev.tracelake.query.report.Reports;
import dev.tracelake.query.report.SlaReport;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tracelake report}: the dependency graph, SLA compliance and incidents of a window. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "The service dependency graph, SLA/SLO compliance, or incidents with MTTD/MTTR, of a time"
          + " window; 'all' gives the three (e.g. as one HTML page).",
      "Example: report incidents --from 2026-11-25T00:00:00Z --to 2026-11-26T00:00:00Z --slo"
          + " slo.yaml"
    })
public final class ReportCommand implements Callable<Integer> {
  /** Which report. */
  enum Kind {
    DEPENDENCIES,
    SLA,
    INCIDENTS,
    ALL
  }

  /** How a report is printed. */
  enum Format {
    JSON,
    TABLE,
    MD,
    CSV,
    /** The dependency graph as a Mermaid flowchart. */
    MERMAID,
    /** The dependency graph as a Graphviz digraph. */
    DOT,
    /** One self-contained page of the reports asked for. */
    HTML
  }

  @Parameters(
      index = "0",
      paramLabel = "REPORT",
      converter = KindConverter.class,
      description = "dependencies, sla, incidents or all.")
  Kind kind;

  @Option(
      names = "--from",
      converter = SearchCommand.InstantConverter.class,
      description = "Window start, RFC 3339 (default: a day before --to).")
  Instant from;

  @Option(
      names = "--to",
      converter = SearchCommand.InstantConverter.class,
      description = "Window end, RFC 3339 (default: now).")
  Instant to;

  @Option(
      names = "--format",
      defaultValue = "table",
      converter = FormatConverter.class,
      description =
          "json, table, md, csv, html (one self-contained page), or mermaid or dot (the"
              + " dependency graph) (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE rather than to standard output.")
  Path outputFile;

  @Mixin StorageOptions storage;
  @Mixin SloOptions slo;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    TimeRange window;
    try {
      Instant end = to != null ? to : Instant.now();
      window =
          new TimeRange(from != null ? from : end.minus(QueryApi.DEFAULT_REPORT_LOOKBACK), end);
      if ((format == Format.MERMAID || format == Format.DOT) && kind != Kind.DEPENDENCIES) {
        throw new IllegalArgumentException(
            "--format "
                + format.name().toLowerCase(Locale.ROOT)
                + " draws the dependency graph:"
                + " use it with 'report dependencies'");
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    String text;
    try (QueryEngine engine = storage.queryEngine()) {
      Reports reports = engine.reports();
      DependencyReport dependencies =
          wants(Kind.DEPENDENCIES) ? reports.dependencies(window) : null;
      SlaReport sla = wants(Kind.SLA) ? reports.sla(window, slo.policy) : null;
      IncidentReport incidents =
          wants(Kind.INCIDENTS) ? reports.incidents(window, slo.policy) : null;
      text = render(dependencies, sla, incidents);
    }
    if (outputFile != null) {
      Files.writeString(outputFile, text, StandardCharsets.UTF_8);
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(text);
      out.flush();
    }
    return ExitCodes.OK;
  }

  private boolean wants(Kind report) {
    return kind == report || kind == Kind.ALL;
  }

  /** The reports asked for (the others are null) in the format asked for. */
  private String render(DependencyReport dependencies, SlaReport sla, IncidentReport incidents) {
    if (format == Format.MERMAID) {
      return DependencyGraphText.mermaid(dependencies);
    }
    if (format == Format.DOT) {
      return DependencyGraphText.dot(dependencies);
    }
    if (format == Format.HTML) {
      return HtmlReport.render(dependencies, sla, incidents);
    }
    if (format == Format.JSON) {
      if (kind != Kind.ALL) {
        return ReportJson.text(dependencies != null ? dependencies : sla != null ? sla : incidents)
            + "\n";
      }
      JsonObject all = new JsonObject();
      all.addProperty("from", dependencies.from().toString());
      all.addProperty("to", dependencies.to().toString());
      all.add("dependencies", ReportJson.tree(dependencies));
      all.add("sla", ReportJson.tree(sla));
      all.add("incidents", ReportJson.tree(incidents));
      return ReportJson.text(all) + "\n";
    }
    List<ReportTables.Table> tables = new ArrayList<>();
    if (dependencies != null) {
      tables.addAll(ReportTables.of(dependencies));
    }
    if (sla != null) {
      tables.addAll(ReportTables.of(sla));
    }
    if (incidents != null) {
      tables.addAll(ReportTables.of(incidents));
    }
    SqlResultFormat tableFormat = SqlResultFormat.of(format.name());
    StringBuilder out = new StringBuilder();
    for (ReportTables.Table table : tables) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      if (format == Format.MD) {
        out.append("## ").append(table.title()).append("\n\n");
      } else if (format == Format.TABLE) {
        out.append(table.title()).append('\n');
      }
      out.append(tableFormat.render(table.rows()));
    }
    return out.toString();
  }

  static final class KindConverter implements CommandLine.ITypeConverter<Kind> {
    @Override
    public Kind convert(String name) {
      try {
        return Kind.valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "unknown report '" + name + "': use dependencies, sla, incidents or all");
      }
    }
  }

  static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String name) {
      try {
        return Format.valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "unknown report format '" + name + "': use json, table, md, csv, html, mermaid or dot");
      }
    }
  }
}
