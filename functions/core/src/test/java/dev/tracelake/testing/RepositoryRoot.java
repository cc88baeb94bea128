package dev.tracelake.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root directory, found from the working directory of the test. */
public final class RepositoryRoot {
  private RepositoryRoot() {}

  /** Walks up from the working directory to the directory holding {@code mvnw}. */
  public static Path find() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "not inside the tracelake repository: no mvnw above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
