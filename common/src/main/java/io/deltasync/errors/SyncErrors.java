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

  public static SyncException notADeltaTable(String role, Object table) {
    return new SyncException(Kind.FATAL,
        "The clone " + role + " " + table + " is not a Delta table (it has no _delta_log with a"
            + " commit): check the name or path, and that this job can read it");
  }

  public static SyncException versionDoesNotExist(Object table, long version, long latest) {
    return new SyncException(Kind.FATAL,
        "Table " + table + " has no version " + version + ": its latest version is " + latest
            + "; clone a version between 0 and " + latest);
  }

  public static SyncException versionNoLongerInLog(
      Object table, long version, String logRetention, Throwable cause) {
    return new SyncException(Kind.FATAL,
        "Table " + table + " cannot be read as of version " + version + ": its log no longer"
            + " holds that version (delta.logRetentionDuration = " + logRetention + ")."
            + " Clone a newer version, and keep the log longer than the sync interval", cause);
  }

  public static SyncException versionVacuumed(
      Object table, long version, String missingFile, String deletedFileRetention,
      String logRetention) {
    return new SyncException(Kind.FATAL,
        "Table " + table + " version " + version + " cannot be cloned: its file " + missingFile
            + " is gone (vacuumed; delta.deletedFileRetentionDuration = " + deletedFileRetention
            + ", delta.logRetentionDuration = " + logRetention + "). Clone a newer version, and"
            + " set the retention longer than the sync interval");
  }

  public static SyncException targetNotACloneOf(Object target, Object source, String foundOrigin) {
    return new SyncException(Kind.FATAL,
        "Target " + target + " is a Delta table but not a clone of " + source + " (" + foundOrigin
            + "); nothing was changed. Choose another target, or pass --force to replace its"
            + " content with the clone");
  }

  public static SyncException cloneNeedsPath(Object table, String role) {
    return new SyncException(Kind.USAGE,
        "The portable cloner cannot locate the clone " + role + " " + table + ": it is not"
            + " registered in this Spark session's catalog. Give the table's storage path instead");
  }

  public static SyncException fileOutsideTable(Object table, long version, String file) {
    return new SyncException(Kind.FATAL,
        "Table " + table + " version " + version + " references " + file + ", which lies outside"
            + " the table's folder (a shallow clone?); deltasync only deep-clones tables whose files"
            + " are inside their folder. Deep-clone the table first, then sync the copy");
  }

  public static SyncException fileSystemUnreachable(Object table, Throwable cause) {
    return new SyncException(Kind.RETRYABLE,
        "Cannot reach the file system of " + table + " (" + cause + "): check the path, the"
            + " storage credentials of this job and the network", cause);
  }

  public static SyncException cloneCopyFailed(String from, String to, Throwable cause) {
    return new SyncException(Kind.RETRYABLE,
        "Copying " + from + " to " + to + " failed (" + cause + "); the target table is unchanged."
            + " Run the clone again: files already copied whole are not copied again", cause);
  }

  public static SyncException cloneCommitFailed(
      Object target, Object source, long version, Throwable cause) {
    return new SyncException(Kind.RETRYABLE,
        "Committing the clone of " + source + " version " + version + " to " + target
            + " failed (" + cause + ") and the target shows no such commit, so it is unchanged."
            + " Run the clone again", cause);
  }

  public static SyncException notANameOrAbsolutePath(String text) {
    return new SyncException(Kind.USAGE,
        "\"" + text + "\" is neither a catalog.schema.table name nor an absolute storage path"
            + " (/... or scheme://...): write the table's three-part name or its full path");
  }

  public static SyncException cloneSqlFailed(String statement, Throwable cause) {
    return new SyncException(Kind.RETRYABLE,
        "DEEP CLONE failed: " + statement + " (" + cause.getMessage() + "). Re-read the target"
            + " before retrying: it holds either its previous state or the whole clone", cause);
  }


  // ---------------------------------------------------------------------------------------------
  // Workflow runs, Jobs API and secrets


  // ---------------------------------------------------------------------------------------------
  // Ledger, sender and receiver


  // ---------------------------------------------------------------------------------------------
  // Failover and failback


  // ---------------------------------------------------------------------------------------------
  // Notifications (never thrown out of a Notifier: turned into a WARN and a FAILED delivery)

  public static SyncException webhookUrlInvalid(io.deltasync.config.SecretRef secret) {
    return new SyncException(Kind.FATAL,
        "The webhook URL held in secret " + secret + " is not an absolute http(s) URL: store the"
            + " full URL that Slack or Teams gave you (https://...) in that secret");
  }

  public static SyncException webhookRejected(String host, int status, String answer) {
    return new SyncException(Kind.RETRYABLE,
        "The webhook at " + host + " answered HTTP " + status
            + (answer.isBlank() ? "" : " (" + answer + ")")
            + ": check that the webhook still exists and accepts JSON posts;"
            + " the sync itself is not affected");
  }

  public static SyncException emailAddressInvalid(String address, String reason) {
    return new SyncException(Kind.USAGE,
        "Email address \"" + address + "\" is not valid (" + reason + "): fix group_owner_email,"
            + " sync_failure_notification or sync_success_notification in the config");
  }

}
