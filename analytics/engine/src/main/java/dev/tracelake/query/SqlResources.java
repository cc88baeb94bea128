package dev.tracelake.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The SQL files of {@code sql/}, which the build packages under {@code /tracelake/sql/}. */
public final class SqlResources {
  private SqlResources() {}

  /** The text of a file, by its path under {@code sql/}, e.g. {@code views/spans.sql}. */
  public static String load(String path) {
    String resource = "/tracelake/sql/" + path;
    try (InputStream in = SqlResources.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
