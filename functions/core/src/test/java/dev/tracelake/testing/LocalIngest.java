package dev.tracelake.testing;

import dev.tracelake.index.TraceIndex;
import dev.tracelake.ingest.IngestLimits;
import dev.tracelake.ingest.OtlpHttpEndpoint;
import dev.tracelake.ingest.TraceIngester;
import dev.tracelake.storage.LocalDirectoryObjectStore;
import dev.tracelake.storage.SpanObjectKeys;
import java.nio.file.Path;

/** The embedded default for tests: the ingest endpoint over a local directory, with no index. */
public final class LocalIngest {
  private LocalIngest() {}

  /** An endpoint writing span objects under {@code data/spans/}. */
  public static OtlpHttpEndpoint endpoint(Path data, IngestLimits limits) {
    return new OtlpHttpEndpoint(
        new TraceIngester(
            new LocalDirectoryObjectStore(data),
            new SpanObjectKeys(SpanObjectKeys.DEFAULT_PREFIX),
            TraceIndex.NONE),
        limits);
  }
}
