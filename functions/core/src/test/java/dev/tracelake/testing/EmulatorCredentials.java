package dev.tracelake.testing;

/**
 * The keys the emulators accept (s3proxy checks SigV4 signatures with them; dynalite takes any),
 * published as the JVM system properties the AWS SDK's default credential chain reads, so that the
 * production clients of {@link dev.tracelake.storage.AwsClients} work against the emulators as they
 * are.
 */
public final class EmulatorCredentials {
  public static final String ACCESS_KEY = "tracelake-test";
  public static final String SECRET_KEY = "tracelake-test-secret";

  private EmulatorCredentials() {}

  /** Sets {@code aws.accessKeyId} and {@code aws.secretAccessKey} to the emulators' keys. */
  public static void install() {
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
  }
}
