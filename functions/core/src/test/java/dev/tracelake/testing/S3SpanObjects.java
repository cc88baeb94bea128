package dev.tracelake.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Span objects in a bucket, as a test sees them: their keys, and their rows read with DuckDB after
 * downloading (DuckDB's httpfs extension cannot be installed here).
 */
public final class S3SpanObjects {
  private S3SpanObjects() {}

  /** The keys under a prefix, sorted. */
  public static Set<String> keys(S3Client s3, String bucket, String prefix) {
    return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Downloads every object under a prefix into a directory and reads their rows. */
  public static List<ParquetSpanReader.Row> read(
      S3Client s3, String bucket, String prefix, Path dir) {
    return read(s3, bucket, keys(s3, bucket, prefix), dir);
  }

  /** Downloads the given objects into an empty directory and reads their rows. */
  public static List<ParquetSpanReader.Row> read(
      S3Client s3, String bucket, Set<String> keys, Path dir) {
    if (keys.isEmpty()) {
      return List.of();
    }
    for (String key : keys) {
      Path target = dir.resolve(key);
      try {
        Files.createDirectories(target.getParent());
        Files.write(target, s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ParquetSpanReader.readDirectory(dir);
  }
}
