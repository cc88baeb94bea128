package dev.tracelake.bench;

import dev.tracelake.query.SpanSource;
import dev.tracelake.query.TimeRange;
import dev.tracelake.synthetic.SyntheticTraces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Spans stored the way the OpenTelemetry Collector's {@code awss3exporter} stores them, for the
 * compaction benchmark to compare with: one gzipped object per export request, as OTLP protobuf
 * ({@code marshaler: otlp_proto}) or OTLP/JSON ({@code marshaler: otlp_json}), under its default
 * partitioning {@code year=/month=/day=/hour=/minute=}. DuckDB reads the JSON ones as they are,
 * through {@code otlp-json-spans.sql}; it cannot read protobuf.
 */
final class OtlpArchive {
  /** The exporter's two marshalers. */
  enum Format {
    PROTOBUF(".binpb.gz"),
    JSON(".json.gz");

    final String extension;

    Format(String extension) {
      this.extension = extension;
    }
  }

  private final Path root;
  private final Format format;
  private final AtomicLong sequence = new AtomicLong();

  OtlpArchive(Path root, Format format) {
    this.root = root;
    this.format = format;
  }

  /** Stores one export request as one object. */
  void write(ExportTraceServiceRequest request) {
    long startNanos =
        request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getStartTimeUnixNano();
    ZonedDateTime start = Instant.ofEpochSecond(0, startNanos).atZone(ZoneOffset.UTC);
    Path file =
        root.resolve(
            String.format(
                "year=%d/month=%02d/day=%02d/hour=%02d/minute=%02d/traces_%08d%s",
                start.getYear(),
                start.getMonthValue(),
                start.getDayOfMonth(),
                start.getHour(),
                start.getMinute(),
                sequence.incrementAndGet(),
                format.extension));
    byte[] body =
        format == Format.PROTOBUF ? request.toByteArray() : SyntheticTraces.toOtlpJson(request);
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, gzip(body));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Every object stored, as local files. */
  List<Path> objects() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(file -> file.toString().endsWith(format.extension)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  /** The JSON objects as a span source (every object whatever the range: the view filters). */
  SpanSource source() {
    List<String> files = objects().stream().map(Path::toString).toList();
    return new SpanSource() {
      @Override
      public List<Path> readableDirectories() {
        return List.of(root.toAbsolutePath());
      }

      @Override
      public List<String> files(TimeRange range) {
        return files;
      }

      @Override
      public List<String> summaryFiles(TimeRange range) {
        return files;
      }

      @Override
      public Optional<List<String>> filesOfTrace(String traceId) {
        return Optional.empty();
      }

      @Override
      public String location() {
        return root.toString();
      }
    };
  }

  /** The view over the JSON objects with the columns the reports read. */
  static String jsonSpansView() {
    try (InputStream in = OtlpArchive.class.getResourceAsStream("otlp-json-spans.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    }
    return out.toByteArray();
  }
}
