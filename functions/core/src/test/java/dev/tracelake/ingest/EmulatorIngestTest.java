package dev.tracelake.ingest;

import dev.tracelake.testing.DynaliteServer;
import dev.tracelake.testing.EmulatorCredentials;
import dev.tracelake.testing.S3ProxyServer;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The AWS ingest contract against the open-source emulators on loopback: s3proxy and dynalite. */
class EmulatorIngestTest extends AwsIngestContract {
  private static S3ProxyServer s3;
  private static DynaliteServer dynamo;

  @BeforeAll
  static void startEmulators() {
    s3 = S3ProxyServer.start();
    dynamo = DynaliteServer.start();
  }

  @AfterAll
  static void stopEmulators() {
    s3.close();
    dynamo.close();
  }

  @Override
  URI s3Endpoint() {
    return s3.endpoint();
  }

  @Override
  URI dynamoDbEndpoint() {
    return dynamo.endpoint();
  }

  @Override
  String[] credentials() {
    return new String[] {EmulatorCredentials.ACCESS_KEY, EmulatorCredentials.SECRET_KEY};
  }
}
