package dev.tracelake.functions.compaction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.tracelake.compaction.Compactor;
import dev.tracelake.compaction.PartitionOutcome;
import dev.tracelake.index.DynamoDbTraceIndex;
import dev.tracelake.index.TraceIndex;
import dev.tracelake.query.TimeRange;
import dev.tracelake.storage.AwsClients;
import dev.tracelake.storage.S3ObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The scheduled compaction function: each run compacts the closed hours of the last {@code
 * TRACELAKE_COMPACTION_LOOKBACK} (48 hours by default), deletes the hours that passed the expiry
 * ({@code TRACELAKE_RETENTION_DAYS}) within as long, and applies retention to the hours that passed
 * the hot window within as long (when retention is on), oldest first; it stops starting new hours
 * when less than {@link #RESERVE} of its time is left; the next run carries on, since every hour is
 * left correct whenever a run stops. Invoked by an EventBridge schedule; the event is not read.
 * Handler: {@code dev.tracelake.functions.compaction.CompactionHandler::handleRequest}.
 */
public final class CompactionHandler implements RequestHandler<Map<String, Object>, String> {
  /** Time kept back to finish the hour in progress: compacting one hour takes well under this. */
  static final Duration RESERVE = Duration.ofMinutes(5);

  private final Compactor compactor;
  private final Duration lookback;
  private final Duration hot;
  private final Duration expireAfter;
  private final Clock clock;

  /** Lambda's: configured from the environment. */
  public CompactionHandler() {
    this(CompactionConfig.fromEnvironment(System.getenv()), Clock.systemUTC());
  }

  CompactionHandler(CompactionConfig config, Clock clock) {
    this.clock = clock;
    this.lookback = config.lookback();
    this.hot = config.compaction().retention().hot();
    this.expireAfter = config.compaction().expireAfter();
    TraceIndex index =
        config
            .indexTable()
            .<TraceIndex>map(
                table ->
                    new DynamoDbTraceIndex(
                        AwsClients.dynamoDb(config.region(), config.dynamoDbEndpoint()),
                        table,
                        config.compaction().expireAfter()))
            .orElse(TraceIndex.NONE);
    compactor =
        new Compactor(
            new S3ObjectStore(AwsClients.s3(config.region(), config.s3Endpoint()), config.bucket()),
            new SpanObjectKeys(config.spansPrefix()),
            index,
            config.compaction(),
            clock);
  }

  /** Compacts, then answers with one line per hour it touched, as the logs show too. */
  @Override
  public String handleRequest(Map<String, Object> event, Context context) {
    Instant now = clock.instant();
    List<TimeRange> ranges = new ArrayList<>();
    // The hours that passed the expiry or the hot window lately, which the lookback does not reach.
    for (Duration age : Stream.of(expireAfter, hot).filter(Objects::nonNull).toList()) {
      if (age.compareTo(lookback) > 0) {
        ranges.add(new TimeRange(now.minus(age).minus(lookback), now.minus(age)));
      }
    }
    ranges.add(new TimeRange(now.minus(lookback), now));
    List<PartitionOutcome> outcomes = new ArrayList<>();
    for (TimeRange range : ranges) {
      outcomes.addAll(
          compactor.compact(
              range,
              outcome -> context.getLogger().log(describe(outcome) + "\n"),
              () -> context.getRemainingTimeInMillis() > RESERVE.toMillis()));
    }
    long compacted =
        outcomes.stream().filter(o -> o.state() == PartitionOutcome.State.COMPACTED).count();
    return compacted + " of " + outcomes.size() + " hours compacted";
  }

  private static String describe(PartitionOutcome outcome) {
    return String.format(
        "%s %s: %d objects -> %d, %d spans, %d duplicates removed, %d dropped by retention,"
            + " %d bytes -> %d, %d retired, %d left for the next stage",
        outcome.partition().path(),
        outcome.state(),
        outcome.objectsIn(),
        outcome.objectsOut(),
        outcome.spansOut(),
        outcome.duplicatesRemoved(),
        outcome.spansDropped(),
        outcome.bytesIn(),
        outcome.bytesOut(),
        outcome.retired(),
        outcome.objectsLeft());
  }
}
