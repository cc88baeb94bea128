package dev.tracelake.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TerminalFetchProgressTest {
  private final StringWriter out = new StringWriter();
  private final AtomicLong now = new AtomicLong();
  private final FetchProgress progress =
      new TerminalFetchProgress(new PrintWriter(out), Duration.ofSeconds(1), now::get);

  @Test
  void aQuickFetchPrintsNothing() {
    progress.update(0, 2, 0);
    now.addAndGet(500_000_000);
    progress.update(1, 2, 1_000_000);
    progress.update(2, 2, 2_000_000);

    assertThat(out).hasToString("");
  }

  @Test
  void aSlowFetchShowsOneLineRewrittenInPlace() {
    progress.update(0, 3, 0);
    progress.update(1, 3, 1_500_000);
    now.addAndGet(1_200_000_000);
    progress.update(2, 3, 3_000_000);
    progress.update(3, 3, 4_500_000);
    // The next fetch starts over: quiet for its first second.
    progress.update(0, 1, 0);
    progress.update(1, 1, 10);

    assertThat(out)
        .hasToString(
            "\rFetching span objects from S3: 2/3 (3.0 MB)"
                + "\rFetching span objects from S3: 3/3 (4.5 MB)"
                + System.lineSeparator());
  }
}
