package dev.tracelake.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** Span objects in an S3 bucket (or anything speaking its API: LocalStack, s3proxy, MinIO). */
public final class S3ObjectStore implements ObjectStore {
  private static final String PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet";

  /** The most keys one DeleteObjects request takes. */
  private static final int MAX_DELETE_KEYS = 1000;

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
              .contentType(key.endsWith(".parquet") ? PARQUET_MEDIA_TYPE : "application/json")
              .build(),
          RequestBody.fromBytes(content));
    } catch (SdkException e) {
      // The SDK has already retried throttling and transient faults by now.
      throw unavailable("write", key, e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) {
    try {
      return s3
          .listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix))
          .contents()
          .stream()
          .map(object -> new StoredObject(object.key(), object.size(), object.lastModified()))
          .toList();
    } catch (SdkException e) {
      throw unavailable("list", prefix, e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(
          s3.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw unavailable("read", key, e);
    }
  }

  @Override
  public boolean download(String key, Path file) {
    try {
      Files.deleteIfExists(file);
      s3.getObject(request -> request.bucket(bucket).key(key), ResponseTransformer.toFile(file));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (SdkException | IOException e) {
      throw unavailable("read", key, e);
    }
  }

  @Override
  public void delete(Collection<String> keys) {
    List<ObjectIdentifier> identifiers =
        keys.stream().map(key -> ObjectIdentifier.builder().key(key).build()).toList();
    for (int from = 0; from < identifiers.size(); from += MAX_DELETE_KEYS) {
      List<ObjectIdentifier> batch =
          identifiers.subList(from, Math.min(from + MAX_DELETE_KEYS, identifiers.size()));
      DeleteObjectsResponse response;
      try {
        response =
            s3.deleteObjects(
                request -> request.bucket(bucket).delete(Delete.builder().objects(batch).build()));
      } catch (SdkException e) {
        throw unavailable("delete", batch.get(0).key(), e);
      }
      List<String> failed = new ArrayList<>();
      response.errors().forEach(error -> failed.add(error.key() + " (" + error.code() + ")"));
      if (!failed.isEmpty()) {
        throw new StorageUnavailableException(
            "cannot delete from s3://" + bucket + ": " + String.join(", ", failed), null);
      }
    }
  }

  @Override
  public String location() {
    return "s3://" + bucket;
  }

  private StorageUnavailableException unavailable(String what, String key, Exception cause) {
    return new StorageUnavailableException(
        "cannot " + what + " s3://" + bucket + "/" + key + ": " + cause.getMessage(), cause);
  }
}
