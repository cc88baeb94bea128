package dev.tracelake.cli;

/** The exit codes scripts can rely on; the README lists them. */
final class ExitCodes {
  /** The command did what was asked (a search that finds nothing included). */
  static final int OK = 0;

  /** The command could not run: storage unreachable, the query failed. */
  static final int FAILED = 1;

  /** The command line is wrong: an unknown option, a bad value (picocli's own code). */
  static final int USAGE = 2;

  /** What was asked for does not exist, e.g. a trace ID that is not stored. */
  static final int NOT_FOUND = 3;

  /**
   * {@code tracelake compare} found a regression: an operation's candidate exceeds a threshold. A
   * CI step fails the deploy on it, and on any other non-zero code too.
   */
  static final int REGRESSION = 4;

  private ExitCodes() {}
}
