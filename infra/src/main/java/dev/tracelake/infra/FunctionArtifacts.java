package dev.tracelake.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The deployment packages of the four functions.
 *
 * @param ingest the ingest function's {@code function.zip}
 * @param query the query function's
 * @param authorizer the API key authorizer's
 * @param compaction the scheduled compaction function's
 */
public record FunctionArtifacts(Path ingest, Path query, Path authorizer, Path compaction) {

  /**
   * The packages the build leaves in a checkout: {@code functions/<name>/target/function.zip}.
   *
   * @throws IllegalStateException naming the missing package and the command that builds it
   */
  public static FunctionArtifacts inRepository(Path root) {
    return new FunctionArtifacts(
        built(root, "ingest"),
        built(root, "query"),
        built(root, "authorizer"),
        built(root, "compaction"));
  }

  private static Path built(Path root, String function) {
    Path zip = root.resolve("functions").resolve(function).resolve("target/function.zip");
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException(
          zip.toAbsolutePath().normalize()
              + " is missing: build the functions first with ./mvnw -B package -DskipTests -pl"
              + " functions/ingest,functions/query,functions/authorizer,functions/compaction -am");
    }
    return zip.toAbsolutePath().normalize();
  }
}
