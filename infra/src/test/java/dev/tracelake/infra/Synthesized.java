package dev.tracelake.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * A stack synthesized for the tests, once per settings: its template and cdk-nag's findings.
 *
 * <p>The functions' packages are placeholders (a zip holding one file): the tests check the
 * infrastructure, not the artifacts, which their own modules test; and they run without the
 * functions being built first (CI builds them in the same reactor, but a run of this module alone
 * with {@code -am} does not).
 *
 * @param stack the stack
 * @param template its CloudFormation template
 * @param errors annotations at error level (unsuppressed cdk-nag findings among them)
 * @param warnings annotations at warning level
 */
record Synthesized(
    TracelakeStack stack,
    Template template,
    List<SynthesisMessage> errors,
    List<SynthesisMessage> warnings) {

  private static final Map<TracelakeSettings, Synthesized> CACHE = new ConcurrentHashMap<>();
  private static final FunctionArtifacts PLACEHOLDERS = placeholders();

  static Synthesized of(TracelakeSettings settings) {
    return CACHE.computeIfAbsent(settings, Synthesized::synthesize);
  }

  private static Synthesized synthesize(TracelakeSettings settings) {
    TracelakeStack stack = TracelakeApp.stack(new App(), settings, PLACEHOLDERS);
    Template template = Template.fromStack(stack);
    Annotations annotations = Annotations.fromStack(stack);
    return new Synthesized(
        stack,
        template,
        annotations.findError("*", Match.anyValue()),
        annotations.findWarning("*", Match.anyValue()));
  }

  /** The template as JSON values (maps, lists, strings). */
  Map<String, Object> json() {
    return template.toJSON();
  }

  /** The resources of a type, by logical ID. */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> resources(String type) {
    return (Map<String, Map<String, Object>>) (Map<?, ?>) template.findResources(type);
  }

  private static FunctionArtifacts placeholders() {
    try {
      Path dir = Files.createTempDirectory("tracelake-infra-test");
      Path zip = dir.resolve("placeholder.zip");
      try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
        out.putNextEntry(new ZipEntry("placeholder.txt"));
        out.write("not a function: the template tests do not run it".getBytes());
        out.closeEntry();
      }
      return new FunctionArtifacts(zip, zip, zip, zip);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
