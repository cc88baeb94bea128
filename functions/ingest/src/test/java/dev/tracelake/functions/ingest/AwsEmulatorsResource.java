package dev.tracelake.functions.ingest;

import dev.tracelake.testing.DynaliteServer;
import dev.tracelake.testing.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts s3proxy and dynalite on loopback for the function's tests and points the function at them.
 * With the init argument {@code s3=down}, S3 is a closed port instead.
 */
public class AwsEmulatorsResource implements QuarkusTestResourceLifecycleManager {
  static final String BUCKET = "tracelake-function-test";
  static final String TABLE = "tracelake-function-index";
  static final String REGION = "us-east-1";
  static final String CORS_ORIGIN = "https://ui.example.com";

  private boolean s3Down;
  private S3ProxyServer s3;
  private DynaliteServer dynamo;

  @Override
  public void init(Map<String, String> initArgs) {
    s3Down = "down".equals(initArgs.get("s3"));
  }

  @Override
  public Map<String, String> start() {
    // Starting an emulator installs its keys where the function's clients look for credentials.
    dynamo = DynaliteServer.start();
    dynamo.createTraceIndexTable(TABLE);
    String s3Endpoint = "http://127.0.0.1:9";
    if (!s3Down) {
      s3 = S3ProxyServer.start();
      s3.createBucket(BUCKET);
      s3Endpoint = s3.endpoint().toString();
    }
    return Map.of(
        "tracelake.bucket", BUCKET,
        "tracelake.index-table", TABLE,
        "tracelake.aws.region", REGION,
        "tracelake.aws.s3-endpoint", s3Endpoint,
        "tracelake.aws.dynamodb-endpoint", dynamo.endpoint().toString(),
        "quarkus.http.cors.enabled", "true",
        "quarkus.http.cors.origins", CORS_ORIGIN);
  }

  @Override
  public void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (dynamo != null) {
      dynamo.close();
    }
  }
}
