package dev.tracelake.compaction;

import dev.tracelake.index.TraceIndex;
import dev.tracelake.index.TraceIndexEntry;
import dev.tracelake.index.TraceIndexKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trace index in a map, for the tests of compaction's steps over a local directory. The DynamoDB
 * index itself runs against dynalite in {@link EmulatorCompactionTest}.
 */
final class InMemoryTraceIndex implements TraceIndex {
  private final Map<TraceIndexKey, TraceIndexEntry> entries = new ConcurrentHashMap<>();

  @Override
  public void write(List<TraceIndexEntry> written) {
    written.forEach(
        entry -> entries.put(new TraceIndexKey(entry.traceId(), entry.objectKey()), entry));
  }

  @Override
  public void delete(List<TraceIndexKey> keys) {
    keys.forEach(entries::remove);
  }

  Set<TraceIndexKey> keys() {
    return Set.copyOf(entries.keySet());
  }

  Map<TraceIndexKey, TraceIndexEntry> entries() {
    return Map.copyOf(entries);
  }

  InMemoryTraceIndex copy() {
    InMemoryTraceIndex copy = new InMemoryTraceIndex();
    copy.entries.putAll(entries);
    return copy;
  }
}
