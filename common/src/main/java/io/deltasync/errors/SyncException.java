package io.deltasync.errors;

/**
 * The one exception type deltasync raises to its users. Its message says what failed, with the
 * values involved, why, and what to do; it never carries a secret.
 *
 * <p>{@link Kind} decides the launcher's exit code and whether a retry may help.
 */
public class SyncException extends RuntimeException {

  /** What kind of failure this is; decides the exit code and whether to retry. */
  public enum Kind {
    /** Bad command line or bad config: exit code 2, never retried. */
    USAGE(2, false),
    /** A validation or permission failure: fails at once, exit code 1. */
    FATAL(1, false),
    /** Throttling, 5xx, I/O: worth retrying with backoff, exit code 1 when retries run out. */
    RETRYABLE(1, true);

    private final int exitCode;
    private final boolean retryable;

    Kind(int exitCode, boolean retryable) {
      this.exitCode = exitCode;
      this.retryable = retryable;
    }

    public int exitCode() {
      return exitCode;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;

  public SyncException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SyncException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isRetryable() {
    return kind.retryable();
  }
}
