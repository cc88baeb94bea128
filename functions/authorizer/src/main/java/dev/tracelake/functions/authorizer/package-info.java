/**
 * The API Gateway Lambda authorizer in front of every tracelake route: {@link
 * dev.tracelake.functions.authorizer.ApiKeyAuthorizer} checks the request's API key against the
 * keys held in a Secrets Manager secret ({@link dev.tracelake.functions.authorizer.ApiKeys}) and
 * answers with an IAM policy, the answer REST APIs and HTTP APIs (authorizer payload format 1.0)
 * both take.
 */
package dev.tracelake.functions.authorizer;
