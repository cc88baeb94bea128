package dev.tracelake.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One Java function of tracelake: java21 on arm64, with a role of its own that may write only to
 * its own log group (each function's grants are added by what it uses), a log group with a set
 * retention, and, with SnapStart, a {@code live} alias on the published version that callers invoke
 * (SnapStart restores only published versions).
 *
 * <p>This is where another function joins the stack (the scheduled compaction function of issue 6
 * will be one more {@code JavaFunction}, granted through {@link SpanStorage} and watched by {@link
 * Alarms}).
 */
public final class JavaFunction extends Construct {
  /** Quarkus' handler, the one entry point of every Quarkus Lambda artifact. */
  public static final String QUARKUS_HANDLER =
      "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

  /** How long the functions' own logs are kept. */
  static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;

  /**
   * What a function is.
   *
   * @param description what it does, shown in the console
   * @param artifact its deployment package
   * @param handler its entry point
   * @param memoryMb its memory (which also sets its CPU share)
   * @param timeout how long one invocation may run
   * @param ephemeralStorageMb its {@code /tmp}
   * @param snapStart whether it starts from a snapshot (not allowed with more than 512 MB of {@code
   *     /tmp})
   * @param environment its environment variables
   */
  public record Spec(
      String description,
      Path artifact,
      String handler,
      int memoryMb,
      Duration timeout,
      int ephemeralStorageMb,
      boolean snapStart,
      Map<String, String> environment) {}

  private final Function function;
  private final IFunction invoked;
  private final Role role;

  /** A function from its spec; {@code tracing} turns on X-Ray for it. */
  public JavaFunction(Construct scope, String id, Spec spec, boolean tracing) {
    super(scope, id);
    LogGroup logs =
        LogGroup.Builder.create(this, "Logs")
            .retention(LOG_RETENTION)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .description(spec.description() + ": its own logs and what it is granted")
            .build();
    logs.grantWrite(role);
    if (tracing) {
      NagSuppressions.addResourceSuppressions(
          role,
          List.of(
              NagPackSuppression.builder()
                  .id("AwsSolutions-IAM5")
                  .reason(
                      "X-Ray's PutTraceSegments and PutTelemetryRecords take no resource ARN: AWS"
                          + " requires the resource *.")
                  .appliesTo(List.of("Resource::*"))
                  .build()),
          true);
    }
    function =
        Function.Builder.create(this, "Function")
            .description(spec.description())
            .runtime(Runtime.JAVA_21)
            .architecture(Architecture.ARM_64)
            .code(Code.fromAsset(spec.artifact().toString()))
            .handler(spec.handler())
            .memorySize(spec.memoryMb())
            .timeout(spec.timeout())
            .ephemeralStorageSize(Size.mebibytes(spec.ephemeralStorageMb()))
            .snapStart(spec.snapStart() ? SnapStartConf.ON_PUBLISHED_VERSIONS : null)
            .environment(spec.environment())
            .role(role)
            .logGroup(logs)
            .loggingFormat(LoggingFormat.TEXT)
            .tracing(tracing ? Tracing.ACTIVE : Tracing.DISABLED)
            .build();
    if (spec.snapStart()) {
      invoked =
          Alias.Builder.create(this, "Live")
              .aliasName("live")
              .version(function.getCurrentVersion())
              .build();
      Annotations.of(function)
          .acknowledgeWarning(
              "@aws-cdk/aws-lambda:snapStartRequirePublish",
              "Callers invoke the live alias of the version published on every change.");
    } else {
      invoked = function;
    }
  }

  /** The function itself, for its metrics. */
  public Function function() {
    return function;
  }

  /** What callers invoke: the {@code live} alias with SnapStart, else the function. */
  public IFunction invoked() {
    return invoked;
  }

  /** The function's role, to grant it what it uses. */
  public IRole role() {
    return role;
  }
}
