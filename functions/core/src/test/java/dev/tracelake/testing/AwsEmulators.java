package dev.tracelake.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * S3 and DynamoDB over their HTTP APIs for the tests of one class: s3proxy with a bucket and
 * dynalite with a trace index table, started before the class's first test and stopped after its
 * last. Register it on a static field: {@code @RegisterExtension static final AwsEmulators AWS =
 * new AwsEmulators("bucket", "table");}; it starts before the class's {@code @BeforeAll} methods
 * run.
 */
public final class AwsEmulators implements BeforeAllCallback, AfterAllCallback {
  private final String bucket;
  private final String table;
  private S3ProxyServer s3proxy;
  private DynaliteServer dynalite;

  public AwsEmulators(String bucket, String table) {
    this.bucket = bucket;
    this.table = table;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    s3proxy = S3ProxyServer.start();
    s3proxy.createBucket(bucket);
    dynalite = DynaliteServer.start();
    dynalite.createTraceIndexTable(table);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    s3proxy.close();
    dynalite.close();
  }

  /** The S3 emulator, holding the bucket. */
  public S3ProxyServer s3proxy() {
    return s3proxy;
  }

  /** The DynamoDB emulator, holding the table. */
  public DynaliteServer dynalite() {
    return dynalite;
  }
}
