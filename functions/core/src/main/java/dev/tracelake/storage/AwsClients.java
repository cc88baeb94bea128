package dev.tracelake.storage;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The AWS clients of tracelake, built the same way in the functions and the CLI: the small
 * url-connection HTTP client, the default credential chain, and an optional endpoint override for
 * LocalStack or the open-source emulators.
 */
public final class AwsClients {
  private AwsClients() {}

  /**
   * An S3 client.
   *
   * @param region the region, or empty for the SDK's default chain (AWS_REGION, profile)
   * @param endpoint an endpoint other than AWS's; it is then addressed path-style, as emulators
   *     expect
   */
  public static S3Client s3(Optional<String> region, Optional<URI> endpoint) {
    var builder =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            // Checksums only where S3 requires them: not every S3-compatible store takes the
            // trailing checksums the SDK sends on every upload by default.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    region.map(Region::of).ifPresent(builder::region);
    endpoint.ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
    return builder.build();
  }

  /** A DynamoDB client; the parameters mean what they mean for {@link #s3}. */
  public static DynamoDbClient dynamoDb(Optional<String> region, Optional<URI> endpoint) {
    var builder = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
    region.map(Region::of).ifPresent(builder::region);
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
