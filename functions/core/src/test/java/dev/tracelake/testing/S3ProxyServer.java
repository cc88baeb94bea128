package dev.tracelake.testing;

import dev.tracelake.storage.AwsClients;
import java.net.URI;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 emulator for tests: s3proxy with its in-memory ({@code transient}) blob store, embedded in
 * the test JVM and listening on a free loopback port. Requests must be signed with the {@link
 * EmulatorCredentials}.
 *
 * <p>For fault tests, {@link #makeUnavailable()} closes the port (connections are refused) and
 * {@link #makeAvailable()} listens again on the same port with the same content.
 *
 * <p>A module that uses this class from core's test-jar must declare {@code org.gaul:s3proxy} as a
 * test dependency itself: test-scoped dependencies are not transitive.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final Region REGION = Region.US_EAST_1;

  private final BlobStore blobStore;
  private final int port;
  private S3Proxy proxy;
  private S3Client client;

  private S3ProxyServer(BlobStore blobStore, S3Proxy proxy) {
    this.blobStore = blobStore;
    this.proxy = proxy;
    this.port = proxy.getPort();
  }

  /**
   * Starts an empty emulator on a free loopback port, and {@linkplain EmulatorCredentials#install()
   * installs} the keys it checks.
   */
  public static S3ProxyServer start() {
    EmulatorCredentials.install();
    BlobStore blobStore = BlobStores.create("transient", new Properties());
    try {
      return new S3ProxyServer(blobStore, listen(blobStore, 0));
    } catch (RuntimeException e) {
      blobStore.close();
      throw e;
    }
  }

  private static S3Proxy listen(BlobStore blobStore, int port) {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobStore)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4,
                EmulatorCredentials.ACCESS_KEY,
                EmulatorCredentials.SECRET_KEY)
            // No graceful drain on stop: it would wait for the clients' idle keep-alive
            // connections.
            .stopTimeout(0)
            .build();
    try {
      proxy.start();
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not start on port " + port, e);
    }
    return proxy;
  }

  /** The base URI, {@code http://127.0.0.1:<port>}; use it with path-style addressing. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * A client of this emulator, shared and closed by {@link #close()}: the production client ({@link
   * AwsClients}), which finds the emulator's keys where {@link #start()} put them.
   */
  public synchronized S3Client client() {
    if (client == null) {
      client = AwsClients.s3(Optional.of(REGION.id()), Optional.of(endpoint()));
    }
    return client;
  }

  /** Creates a bucket. */
  public void createBucket(String name) {
    client().createBucket(b -> b.bucket(name));
  }

  /** Stops listening: connections to {@link #endpoint()} are refused. The content is kept. */
  public synchronized void makeUnavailable() {
    if (proxy != null) {
      stopProxy();
    }
  }

  /** Listens again on the same port, with the content it had. */
  public synchronized void makeAvailable() {
    if (proxy == null) {
      proxy = listen(blobStore, port);
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
    if (proxy != null) {
      stopProxy();
    }
    blobStore.close();
  }

  private void stopProxy() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not stop", e);
    } finally {
      proxy = null;
    }
  }
}
