package dev.tracelake.functions.authorizer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The API keys a request may present, read from a secret and kept for a while.
 *
 * <p>The secret holds one key, or several separated by commas or whitespace, so that a key can be
 * rotated without refusing the exporters that still send the old one. It is read again once the
 * cached copy is older than the refresh interval; if that read fails, the keys read last go on
 * being used (a Secrets Manager hiccup should not lock every exporter out), and only when no keys
 * were ever read does the failure reach the caller.
 */
public final class ApiKeys {
  private final Supplier<String> secret;
  private final Duration refreshAfter;
  private final Clock clock;
  private List<byte[]> digests;
  private Instant readAt;

  /**
   * @param secret reads the secret's current value
   * @param refreshAfter how long a value read is used before it is read again
   * @param clock the time
   */
  public ApiKeys(Supplier<String> secret, Duration refreshAfter, Clock clock) {
    this.secret = secret;
    this.refreshAfter = refreshAfter;
    this.clock = clock;
  }

  /**
   * Whether {@code presented} is one of the keys. The comparison takes the same time whatever the
   * presented key and however much of it matches: digests of equal length are compared with {@link
   * MessageDigest#isEqual}, against every key without stopping at a match.
   */
  public synchronized boolean accepts(String presented) {
    byte[] candidate = sha256(presented);
    boolean match = false;
    for (byte[] key : current()) {
      match |= MessageDigest.isEqual(candidate, key);
    }
    return match;
  }

  private List<byte[]> current() {
    Instant now = clock.instant();
    if (digests == null || !now.isBefore(readAt.plus(refreshAfter))) {
      try {
        digests = parse(secret.get());
        readAt = now;
      } catch (RuntimeException e) {
        if (digests == null) {
          throw e;
        }
        System.err.println(
            "API key secret could not be read again, using the keys read last: " + e);
      }
    }
    return digests;
  }

  private static List<byte[]> parse(String value) {
    List<byte[]> keys =
        Arrays.stream(value.split("[,\\s]+"))
            .filter(key -> !key.isEmpty())
            .map(ApiKeys::sha256)
            .toList();
    if (keys.isEmpty()) {
      throw new IllegalStateException("the API key secret holds no key");
    }
    return keys;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
