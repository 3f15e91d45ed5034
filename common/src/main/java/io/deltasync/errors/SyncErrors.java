package io.deltasync.errors;

import io.deltasync.errors.SyncException.Kind;

/**
 * Every user-facing error deltasync raises, in one place (as Delta Kernel's {@code DeltaErrors}).
 * Each message names the values involved (key, table, version, path), says why, and says what to
 * do. Secrets are never passed in.
 *
 * <p>Sections follow the packages; add a factory method to the section of the code that raises it.
 */
public final class SyncErrors {

  private SyncErrors() {}

  // ---------------------------------------------------------------------------------------------
  // Usage and config

  public static SyncException usage(String message) {
    return new SyncException(Kind.USAGE, message);
  }

  public static SyncException invalidConfig(String source, java.util.List<String> problems) {
    StringBuilder text = new StringBuilder();
    text.append("Config ").append(source).append(" has ").append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems").append(':');
    for (String problem : problems) {
      text.append(System.lineSeparator()).append("  ").append(problem);
    }
    return new SyncException(Kind.USAGE, text.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Tables and cloning


  // ---------------------------------------------------------------------------------------------
  // Workflow runs, Jobs API and secrets


  // ---------------------------------------------------------------------------------------------
  // Ledger, sender and receiver

  public static SyncException ledgerFormatTooNew(String location, int found, int supported) {
    return new SyncException(Kind.FATAL,
        "The ledger at " + location + " holds rows of format version " + found
            + ", but this deltasync reads format " + supported + " at most: a newer deltasync wrote"
            + " it. Upgrade deltasync (sender, receiver and launcher) to the version that wrote the"
            + " ledger; nothing was changed.");
  }

  public static SyncException notALedger(String location, String why) {
    return new SyncException(Kind.FATAL,
        "The Delta table at " + location + " is not a deltasync ledger: " + why
            + ". Point sync_location_secondary at a folder deltasync owns, or move that table away.");
  }

  public static SyncException ledgerUnreadable(String location, Throwable cause) {
    return new SyncException(Kind.RETRYABLE,
        "Cannot read the ledger at " + location + ": " + describe(cause)
            + ". Check that the storage is reachable and readable by this job's identity.", cause);
  }

  public static SyncException ledgerAppendFailed(
      String location, String group, String syncId, Throwable cause) {
    return new SyncException(Kind.RETRYABLE,
        "Could not record sync " + syncId + " of group " + group + " in the ledger at " + location
            + ": " + describe(cause) + ". The ledger was re-read and does not hold it; the next"
            + " cycle records it again (staging is only ever read at recorded versions).", cause);
  }

  public static SyncException unknownGroup(String group, java.util.Collection<String> known) {
    return usage("--group " + group + " names no sync group of the config; the groups are: "
        + String.join(", ", known));
  }

  public static SyncException groupsFailed(String step, java.util.List<String> failures) {
    StringBuilder text = new StringBuilder();
    text.append(step).append(" failed for ").append(failures.size())
        .append(failures.size() == 1 ? " group" : " groups")
        .append(" (their previous sync point stays the latest; the other groups went on):");
    for (String failure : failures) {
      text.append(System.lineSeparator()).append("  ").append(failure);
    }
    return new SyncException(Kind.FATAL, text.toString());
  }

  public static SyncException noStagingVersion(String group, String table, String syncId) {
    return new SyncException(Kind.FATAL,
        "Sync point " + syncId + " of group " + group + " has no staging version for table " + table
            + ": the ledger row is damaged. Run the sender again to record a new sync point.");
  }

  /** What an engine exception says, once, without its stack: class and message. */
  public static String describe(Throwable cause) {
    if (cause == null) {
      return "unknown error";
    }
    if (cause instanceof SyncException) {
      return cause.getMessage();
    }
    String message = cause.getMessage();
    String firstLine = message == null ? "" : message.lines().findFirst().orElse("");
    return cause.getClass().getSimpleName() + (firstLine.isEmpty() ? "" : ": " + firstLine);
  }


  // ---------------------------------------------------------------------------------------------
  // Failover and failback


  // ---------------------------------------------------------------------------------------------
  // Notifications

}
