/**
 * tracelake's AWS CDK app: {@link dev.tracelake.infra.TracelakeStack} assembles the storage ({@link
 * dev.tracelake.infra.SpanStorage}), the functions ({@link dev.tracelake.infra.JavaFunction}), the
 * API in either shape ({@link dev.tracelake.infra.HttpApiFront}, {@link
 * dev.tracelake.infra.RestApiFront}) behind an API key ({@link dev.tracelake.infra.ApiKeyAuth}) or
 * IAM, the Athena table ({@link dev.tracelake.infra.AthenaTable}) and the {@link
 * dev.tracelake.infra.Alarms}; {@link dev.tracelake.infra.TracelakeApp} synthesizes it with
 * cdk-nag's AwsSolutions checks.
 */
package dev.tracelake.infra;
