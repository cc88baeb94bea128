package dev.tracelake.functions.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

  private final Deque<Object> values = new ArrayDeque<>();
  private int reads;
  private Instant now = START;

  private final Supplier<String> secret =
      () -> {
        reads++;
        Object next = values.size() > 1 ? values.poll() : values.peek();
        if (next instanceof RuntimeException e) {
          throw e;
        }
        return (String) next;
      };

  private final ApiKeys keys =
      new ApiKeys(
          secret,
          Duration.ofMinutes(5),
          new Clock() {
            @Override
            public Instant instant() {
              return now;
            }

            @Override
            public ZoneOffset getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }
          });

  @Test
  void everyKeyOfTheSecretIsAcceptedWhileRotating() {
    values.add(" old-key,\nnew-key ");

    assertThat(keys.accepts("old-key")).isTrue();
    assertThat(keys.accepts("new-key")).isTrue();
    assertThat(keys.accepts("old-key,new-key")).isFalse();
    assertThat(keys.accepts("new")).isFalse();
    assertThat(keys.accepts("")).isFalse();
  }

  @Test
  void theSecretIsReadOnceEveryRefreshInterval() {
    values.addAll(List.of("first", "second"));

    assertThat(keys.accepts("first")).isTrue();
    now = START.plus(Duration.ofMinutes(4));
    assertThat(keys.accepts("first")).isTrue();
    assertThat(reads).isEqualTo(1);

    now = START.plus(Duration.ofMinutes(5));
    assertThat(keys.accepts("first")).isFalse();
    assertThat(keys.accepts("second")).isTrue();
    assertThat(reads).isEqualTo(2);
  }

  @Test
  void aFailedRefreshKeepsTheKeysReadLast() {
    values.addAll(List.of("first", new IllegalStateException("throttled")));

    assertThat(keys.accepts("first")).isTrue();
    now = START.plus(Duration.ofMinutes(6));
    assertThat(keys.accepts("first")).isTrue();
    assertThat(reads).isEqualTo(2);
  }

  @Test
  void withoutAnyKeyReadTheFailureReachesTheCaller() {
    values.add(new IllegalStateException("AccessDenied"));
    assertThatThrownBy(() -> keys.accepts("x")).hasMessage("AccessDenied");

    ApiKeys empty = new ApiKeys(() -> " , ", Duration.ofMinutes(5), Clock.systemUTC());
    assertThatThrownBy(() -> empty.accepts("x")).hasMessageContaining("holds no key");
  }
}
