package dev.tracelake.storage;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** Span objects in an S3 bucket (or anything speaking its API: LocalStack, s3proxy, MinIO). */
public final class S3ObjectStore implements ObjectStore {
  private static final String PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet";

  private final S3Client s3;
  private final String bucket;

  public S3ObjectStore(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  @Override
  public void put(String key, byte[] content) {
    try {
      s3.putObject(
          PutObjectRequest.builder()
              .bucket(bucket)
              .key(key)
              .contentType(PARQUET_MEDIA_TYPE)
              .build(),
          RequestBody.fromBytes(content));
    } catch (SdkException e) {
      // The SDK has already retried throttling and transient faults by now.
      throw new StorageUnavailableException(
          "cannot write s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String location() {
    return "s3://" + bucket;
  }
}
