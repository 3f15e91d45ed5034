package io.deltasync.cli;

/** The launcher's exit codes. */
public final class ExitCodes {

  /** The command did what it was asked. */
  public static final int DONE = 0;
  /** The operation failed (a sync, a check, a verification). */
  public static final int FAILED = 1;
  /** Bad usage or bad config; the reason is on stderr. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
