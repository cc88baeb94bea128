package dev.tracelake.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.tracelake.query.QueryEngine;
import dev.tracelake.query.SqlResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tracelake services}: the services that reported spans. */
@Command(
    name = "services",
    mixinStandardHelpOptions = true,
    description = "List the services that reported spans.")
public final class ServicesCommand implements Callable<Integer> {
  @Mixin StorageOptions storage;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (QueryEngine engine = storage.queryEngine()) {
      List<String> services = engine.traces().services();
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        JsonArray names = new JsonArray();
        services.forEach(names::add);
        JsonObject body = new JsonObject();
        body.add("services", names);
        out.println(body);
      } else {
        out.print(
            output.format.render(
                new SqlResult(
                    List.of(new SqlResult.Column("service", "VARCHAR")),
                    services.stream().map(name -> List.<Object>of(name)).toList(),
                    false,
                    services.size())));
      }
      out.flush();
      return ExitCodes.OK;
    }
  }
}
