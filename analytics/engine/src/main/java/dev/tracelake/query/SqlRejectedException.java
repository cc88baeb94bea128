package dev.tracelake.query;

/**
 * A user's SQL that the {@link SqlSandbox} did not answer, for a reason that lies with the query:
 * it is not allowed, it ran out of time, or DuckDB refused it. The message is meant for the user
 * (an HTTP 400 body, a CLI error line).
 */
public final class SqlRejectedException extends Exception {
  /** Why the query got no result. */
  public enum Reason {
    /** The statement, a table, or a function it uses is not allowed in the sandbox. */
    NOT_ALLOWED,
    /** The query ran longer than the sandbox's statement timeout and was cancelled. */
    TIMED_OUT,
    /** DuckDB rejected the query: a syntax error, an unknown column, a type error, ... */
    INVALID_QUERY
  }

  private final Reason reason;

  public SqlRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public SqlRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
