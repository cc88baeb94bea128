package dev.tracelake.cli;

import dev.tracelake.load.SyntheticLoad;
import dev.tracelake.storage.ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import dev.tracelake.synthetic.SyntheticTraces;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tracelake generate}: synthetic microservice traffic stored as {@code serve} would store
 * it, for demos and benchmarks.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Store synthetic spans of a microservice shop, through the real ingest path.")
public final class GenerateCommand implements Callable<Integer> {
  @Option(
      names = "--spans",
      defaultValue = "100000",
      description = "Spans to write (default: ${DEFAULT-VALUE}).")
  long spans;

  @Option(
      names = "--start",
      description =
          "First hour, RFC 3339 on the hour, e.g. 2026-11-25T00:00:00Z (default: --hours before"
              + " the current hour).")
  Instant start;

  @Option(
      names = "--hours",
      defaultValue = "24",
      description = "Hours to spread the spans over (default: ${DEFAULT-VALUE}).")
  int hours;

  @Option(
      names = "--batch-spans",
      defaultValue = "" + SyntheticTraces.EXPORT_BATCH_SPANS,
      description =
          "Spans per request, so per object (default: ${DEFAULT-VALUE}, the SDK's export batch;"
              + " larger batches model compacted data).")
  int batchSpans;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed: the same options write the same objects (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin StorageOptions storage;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SyntheticLoad.Plan plan;
    try {
      plan =
          start == null
              ? SyntheticLoad.Plan.endingNow(spans, hours, batchSpans, seed)
              : new SyntheticLoad.Plan(spans, start, hours, batchSpans, seed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ObjectStore objects = storage.objectStore();
    SpanObjectKeys keys = new SpanObjectKeys(storage.spansPrefix);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "generating %,d spans from %s to %s in %s/%s/%n",
        plan.spans(), plan.start(), plan.end(), objects.location(), keys.prefix());
    out.flush();
    SyntheticLoad.Result result =
        SyntheticLoad.write(
            plan, objects, keys, storage.traceIndex(), Runtime.getRuntime().availableProcessors());
    out.printf(
        "%,d spans, %,d objects, %,d bytes (%.1f bytes/span) in %.1f s: %,.0f spans/s%n",
        result.spans(),
        result.objects(),
        result.bytes(),
        (double) result.bytes() / result.spans(),
        result.elapsed().toMillis() / 1000.0,
        result.spansPerSecond());
    return 0;
  }
}
