package dev.tracelake.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: one {@link TracelakeStack} from the context's {@link TracelakeSettings}, checked by
 * cdk-nag's AwsSolutions pack as it synthesizes (a finding not suppressed with a reason is an error
 * and stops synthesis).
 *
 * <p>Run by the cdk CLI through {@code cdk.json}, or on its own ({@code ./mvnw -B -pl infra -am
 * -Psynth package -DskipTests}), which writes {@code infra/cdk.out}. Needs no AWS credentials: the
 * stack is environment-agnostic.
 */
public final class TracelakeApp {
  private TracelakeApp() {}

  /**
   * Synthesizes the stack.
   *
   * @param args the repository's root directory, where the functions' packages are built (default
   *     {@code ..}, for a run from {@code infra/})
   */
  public static void main(String[] args) {
    Path root = Path.of(args.length > 0 ? args[0] : "..");
    // Under the CLI, CDK_OUTDIR says where to write; on its own, cdk.out as the CLI would.
    App app =
        System.getenv("CDK_OUTDIR") == null
            ? new App(AppProps.builder().outdir("cdk.out").build())
            : new App();
    stack(app, TracelakeSettings.fromContext(app.getNode()), FunctionArtifacts.inRepository(root));
    app.synth();
  }

  /** The stack in {@code app}, with the AwsSolutions checks applied to the whole app. */
  public static TracelakeStack stack(
      App app, TracelakeSettings settings, FunctionArtifacts artifacts) {
    TracelakeStack stack =
        new TracelakeStack(
            app,
            settings.stackName(),
            StackProps.builder()
                .description(
                    "tracelake: serverless OpenTelemetry trace analytics (OTLP/HTTP to Parquet on"
                        + " S3, queried with DuckDB and Athena)")
                .build(),
            settings,
            artifacts);
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    return stack;
  }
}
