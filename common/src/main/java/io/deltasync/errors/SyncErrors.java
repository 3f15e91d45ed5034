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
  // Sample workflows (module samples)

  public static SyncException landingFolderMissing(String landingDir) {
    return new SyncException(Kind.FATAL,
        "Landing folder " + landingDir + " does not exist: create it and drop the batch files"
            + " (batch_0001.csv, ...) there, or pass the right folder with --landing");
  }

  public static SyncException sampleTableRoleMissing(String workflow, String role, Object tables) {
    return usage("Sync group of workflow " + workflow + " has no table, or more than one, whose name ends"
        + " with \"" + role + "\" (tables: " + tables + "): list exactly one " + role + " table in the"
        + " group's tables");
  }

  public static SyncException sampleWorkflowUnknown(String workflow) {
    return usage("No sample workflow is named " + workflow
        + ": use sample_workflow_1 or sample_workflow_2");
  }

  public static SyncException sampleOptionOutOfRange(String option, long value, String allowed) {
    return usage("Option " + option + " is " + value + ", which is out of range: use " + allowed);
  }

  /** The test hook of a sample workflow stopped the run on purpose (a drill's killed run). */
  public static SyncException sampleRunStoppedOnPurpose(String workflow, int commit, int of) {
    return new SyncException(Kind.FATAL,
        "Workflow " + workflow + " stopped on purpose after silver commit " + commit + " of " + of
            + " (--fail-after-silver-commit " + commit + "): the run is left half done; run it"
            + " again without the option to complete it");
  }

  /** The local demo (launcher-only) found checks that did not hold. */
  public static SyncException demoChecksFailed(java.util.List<String> failed) {
    StringBuilder text = new StringBuilder("demo: ").append(failed.size())
        .append(failed.size() == 1 ? " check" : " checks")
        .append(" did not hold (the drill's folder keeps every table, the ledger and the run logs"
            + " for a look; the progress lines above say what each step did):");
    for (String f : failed) {
      text.append(System.lineSeparator()).append("  ").append(f);
    }
    return new SyncException(Kind.FATAL, text.toString());
  }

  /** A launcher benchmark missed its target. */
  public static SyncException benchTargetMissed(String bench, String verdict) {
    return new SyncException(Kind.FATAL, "bench " + bench + " missed its target: " + verdict
        + ". The figures are above; a loaded machine (other JVMs on its cores) slows every"
        + " timing, so check `uptime` and run it again on an idle machine before investigating.");
  }

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

  /**
   * Whether the error says the table is not there (no Delta table at the path, or Databricks says
   * it is missing), as opposed to unreadable for another reason (permission, throttling ...). Only
   * such an error may be read as "the table was deleted".
   */
  public static boolean isTableMissing(Throwable error) {
    return error instanceof TableMissing;
  }

  /** A table that is not there: still a plain {@link SyncException} to everyone else. */
  private static final class TableMissing extends SyncException {
    TableMissing(String message, Throwable cause) {
      super(Kind.FATAL, message, cause);
    }
  }

  public static SyncException notADeltaTable(String role, Object table) {
    return new TableMissing(
        "The clone " + role + " " + table + " is not a Delta table (it has no _delta_log with a"
            + " commit): check the name or path, and that this job can read it", null);
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

  /** Databricks refused for lack of a privilege (PERMISSION_DENIED, INSUFFICIENT_PERMISSIONS). */
  public static SyncException databricksPermissionDenied(
      String action, String reason, Throwable cause) {
    return new SyncException(Kind.FATAL,
        "Databricks refused to " + action + " for lack of permission: " + reason + ". Nothing"
            + " was changed; grant the principal this job runs as what it needs (USE CATALOG and"
            + " USE SCHEMA, SELECT on the source, CREATE TABLE and MODIFY on the target's schema,"
            + " READ FILES and WRITE FILES on the external locations) and run it again", cause);
  }

  /** Databricks says the table is missing (TABLE_OR_VIEW_NOT_FOUND, DELTA_MISSING_DELTA_TABLE). */
  public static SyncException databricksTableNotFound(
      String role, Object table, String reason, Throwable cause) {
    return new TableMissing(
        "The " + role + " " + table + " does not exist or is not a Delta table on Databricks: "
            + reason + ". Check the name, and whether the table was dropped", cause);
  }

  /** Databricks cannot read the version any more: its files were vacuumed or its log is gone. */
  public static SyncException databricksVersionGone(
      Object table, long version, String reason, Throwable cause) {
    return new SyncException(Kind.FATAL,
        "Table " + table + " version " + version + " cannot be cloned: Databricks no longer holds"
            + " all of it (vacuumed, or its log cleaned up): " + reason + ". Clone a newer"
            + " version, and set delta.deletedFileRetentionDuration and delta.logRetentionDuration"
            + " longer than the sync interval", cause);
  }

  /** Throttling (HTTP 429, REQUEST_LIMIT_EXCEEDED, TEMPORARILY_UNAVAILABLE) or a server error. */
  public static SyncException databricksUnavailable(
      String action, String reason, Throwable cause) {
    return new SyncException(Kind.RETRYABLE,
        "Databricks is throttling or temporarily unavailable, so it could not " + action + ": "
            + reason + ". A clone either holds its previous state or the whole version: retry"
            + " with backoff (re-read the target first)", cause);
  }

  /** Reading a table's history or details failed for a reason not recognised above. */
  public static SyncException databricksReadFailed(
      String what, Object table, String reason, Throwable cause) {
    return new SyncException(Kind.RETRYABLE,
        "Could not " + what + " " + table + " on Databricks: " + reason + ". Retry; if it"
            + " persists, check the table and this job's access to it", cause);
  }

  /** Delta itself refused the clone commit: the same commit fails the same way every time. */
  public static SyncException cloneCommitRefused(
      Object target, Object source, long version, String deltaError, Throwable cause) {
    return new SyncException(Kind.FATAL,
        "Delta refused the commit of the clone of " + source + " version " + version + " to "
            + target + ": " + firstLine(deltaError) + ". The target holds no such commit, and"
            + " running the clone again fails the same way: make the target writable by this"
            + " deltasync (its table features, protocol and properties), or clone into a new"
            + " target", cause);
  }

  /** The source uses table features this Delta can read but not write. */
  public static SyncException cloneFeatureUnsupported(
      Object source, long version, java.util.List<String> features) {
    return new SyncException(Kind.FATAL,
        "Table " + source + " version " + version + " uses the table feature"
            + (features.size() == 1 ? " " : "s ") + String.join(", ", features) + ", which the"
            + " open-source Delta Lake of this deltasync cannot write: the portable cloner cannot"
            + " clone it, and nothing was copied. Drop the feature from the source (ALTER TABLE"
            + " ... DROP FEATURE), or clone it with the Databricks cloner (DEEP CLONE on"
            + " Databricks Runtime)");
  }

  private static String firstLine(String message) {
    String line = message == null ? "" : message.lines().findFirst().orElse("").trim();
    while (line.endsWith(".")) {
      line = line.substring(0, line.length() - 1);
    }
    return line.isEmpty() ? "unknown error" : line;
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

  public static SyncException secretNotInEnvironment(String scope, String key, String envVar) {
    return new SyncException(Kind.USAGE, "Secret " + key + " of scope " + scope
        + " is not set: locally deltasync reads it from the environment variable " + envVar
        + "; export " + envVar + " (or run on Databricks, where it is read from the secret scope)");
  }

  public static SyncException secretNotReadable(
      String scope, String key, String why, Throwable cause) {
    return new SyncException(Kind.FATAL, "Secret " + key + " of scope " + scope
        + " could not be read through dbutils secrets: " + why + "; check that the scope and key"
        + " exist (databricks secrets list-secrets " + scope + ") and that the job's"
        + " principal has READ on the scope", cause);
  }

  public static SyncException secretsUnavailable(String why) {
    return new SyncException(Kind.FATAL, "Databricks secrets are not available: " + why
        + "; run on a Databricks cluster, or locally unset DATABRICKS_RUNTIME_VERSION and set the"
        + " DELTASYNC_SECRET_<SCOPE>_<KEY> environment variables");
  }

  public static SyncException localRunAlreadyActive(String workflow, String activeWorkflow) {
    return new SyncException(Kind.USAGE, "Cannot record a run of workflow " + workflow
        + ": a run of workflow " + activeWorkflow + " is being recorded in the same Spark session,"
        + " and the commit stamp (the session's userMetadata) can name only one run; run the"
        + " workflows one after the other, or in separate launcher processes");
  }

  public static SyncException runLogIo(String path, String action, Throwable cause) {
    return new SyncException(Kind.RETRYABLE, "Could not " + action + " in the local run log "
        + path + ": " + cause + "; check that the folder exists and is writable", cause);
  }

  public static SyncException runLogEntryInvalid(String path, String why) {
    return new SyncException(Kind.FATAL, "Run log entry " + path + " cannot be read: " + why
        + "; the file was changed by hand or by another tool: restore it or delete it together"
        + " with its .id marker (the run is then forgotten)");
  }

  public static SyncException jobNotFound(String workflow, String host) {
    return new SyncException(Kind.FATAL, "No job named '" + workflow + "' in workspace " + host
        + ": check the sync group's workflow name (it must equal the job's name exactly) and that"
        + " the principal has CAN_VIEW on the job (jobs it cannot see are not listed)");
  }

  public static SyncException ambiguousJob(
      String workflow, String host, java.util.List<Long> jobIds) {
    return new SyncException(Kind.FATAL, "Several jobs are named '" + workflow + "' in workspace "
        + host + " (job ids " + jobIds + "): deltasync cannot tell which one writes the group's"
        + " tables; rename or delete all but one of them");
  }

  public static SyncException jobsApiUnauthenticated(
      String host, String credentials, String action, Throwable cause) {
    return new SyncException(Kind.FATAL, "The Jobs API of " + host + " refused the credentials"
        + " (HTTP 401) while trying to " + action + ": the token or service principal secret is"
        + " wrong or expired; check the secret " + credentials + " (scope and key) holds a valid"
        + " token for this workspace", cause);
  }

  public static SyncException jobsApiForbidden(
      String host, String workflow, String action, Throwable cause) {
    return new SyncException(Kind.FATAL, "The Jobs API of " + host + " denied access (HTTP 403)"
        + " while trying to " + action + ": grant the principal of the configured token CAN_VIEW"
        + " permission on job '" + workflow + "' (Job > Permissions)", cause);
  }

  public static SyncException jobsApiNotFound(
      String host, String workflow, String action, Throwable cause) {
    return new SyncException(Kind.FATAL, "The Jobs API of " + host + " answered HTTP 404 while"
        + " trying to " + action + " of workflow '" + workflow + "': the job was deleted, or the"
        + " workspace URL is wrong; check workspace_instance_url and the job", cause);
  }

  public static SyncException jobsApiUnavailable(
      String host, String action, String status, Throwable cause) {
    return new SyncException(Kind.RETRYABLE, "The Jobs API of " + host + " did not answer while"
        + " trying to " + action + " (" + status + ", after the SDK's retries): the workspace is"
        + " throttling or unavailable; the next cycle retries", cause);
  }

  public static SyncException jobsApiFailed(
      String host, String action, String status, Throwable cause) {
    return new SyncException(Kind.FATAL, "The Jobs API of " + host + " refused to " + action
        + " (" + status + "); check the workspace URL and the job", cause);
  }

  // ---------------------------------------------------------------------------------------------
  // Table history and version pinning

  public static SyncException tableHistoryUnreadable(String table, Throwable cause) {
    return new SyncException(Kind.FATAL, "Could not read the history of table " + table + ": "
        + cause.getMessage() + "; check that the table exists, is a Delta table, and that the"
        + " principal can read it", cause);
  }

  public static SyncException noVersionAtRunEnd(
      String table, long runId, java.time.Instant runEnd, String earliest) {
    return new SyncException(Kind.FATAL, "Table " + table + " has no commit made by run " + runId
        + " or before its end at " + runEnd + " (" + earliest + "): the table did not exist when"
        + " the run ended, or its history before then was cleaned up (delta.logRetentionDuration);"
        + " remove the table from the group or wait for a run after its creation");
  }

  public static SyncException runCommitsInterleaved(
      String table, long runId, long runVersion, long laterRunId, long laterVersion) {
    return new SyncException(Kind.FATAL, "Table " + table + ": run " + runId + " committed"
        + " version " + runVersion + " after version " + laterVersion + " of the later run "
        + laterRunId + ", so no version holds exactly the state at the end of run " + runId
        + " (the runs overlapped); the group is not synced to this run: set the job's max"
        + " concurrent runs to 1, a later run will be synced");
  }


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

  /**
   * A group ran longer than {@code group_timeout_mins} in one sender or receiver cycle and was
   * stopped. Retryable: the next cycle takes the group up again, where this one stopped.
   */
  public static SyncException groupTimedOut(String step, String workspace, String group,
      java.time.Duration limit) {
    return new SyncException(Kind.RETRYABLE,
        step + " of group " + group + " (workspace " + workspace + ") ran longer than"
            + " group_timeout_mins (" + limit.toMinutes() + " min"
            + (limit.toMinutes() == 0 ? ", " + limit.toMillis() + " ms" : "") + ") and was stopped:"
            + " nothing of it was recorded as synced, and the other groups went on. The next cycle"
            + " takes the group up again (files already copied are not copied again). If its first"
            + " clone needs longer, raise group_timeout_mins for workspace " + workspace + ".");
  }

  /** A recorded sync point's staging table is gone or behind (deleted or replaced by hand). */
  public static SyncException stagingGone(String group, long sequence, String table,
      Object staging, long stagingVersion, String why) {
    return new SyncException(Kind.FATAL,
        "Sync point " + sequence + " of group " + group + " cannot be applied: its staging copy of "
            + table + " at " + staging + " no longer holds version " + stagingVersion + " (" + why
            + "). Nothing was applied; the next sender cycle stages the group again, and the"
            + " receiver then applies that new sync point.");
  }

  /**
   * The receiver found files of a staging version missing (deleted or cut short outside deltasync)
   * before applying anything. Not a vacuum: deltasync reads staging only at recorded versions.
   */
  public static SyncException stagingDamaged(String group, long sequence, String table,
      Object staging, long stagingVersion, long sourceVersion, String damage) {
    return new SyncException(Kind.FATAL,
        "Sync point " + sequence + " of group " + group + " was not applied: the staging copy of "
            + table + " at " + staging + " is damaged at version " + stagingVersion + " (" + damage
            + "). These files were removed or altered in staging outside deltasync; no table of"
            + " the group was applied. The next sender cycle re-stages " + table + " at source"
            + " version " + sourceVersion + " (the same run), and the next receiver cycle applies"
            + " it; nothing to do unless staging keeps losing files.");
  }

  public static SyncException ledgerAppendFailed(
      String location, String group, String syncId, Throwable cause) {
    return new SyncException(Kind.RETRYABLE,
        "Could not record sync " + syncId + " of group " + group + " in the ledger at " + location
            + ": " + describe(cause) + ". The ledger was re-read and does not hold it; the next"
            + " cycle records it again (staging is only ever read at recorded versions).", cause);
  }

  /**
   * A sender whose region is not the active one (a "late" or "zombie" sender after a role change)
   * refuses to stage: its sync point would come from a region that lost its role.
   */
  public static SyncException senderFenced(String workspace, io.deltasync.ledger.Region own,
      String ledger, io.deltasync.ledger.Epoch epoch) {
    return new SyncException(Kind.FATAL,
        "Sender of workspace " + workspace + " in the " + own + " region refused to stage: the"
            + " ledger at " + ledger + " is at epoch " + epoch.number() + ", in which the "
            + epoch.active() + " region is active (made active at "
            + epoch.changedAt().map(java.time.Instant::toString).orElse("deployment") + " by "
            + epoch.changedBy().orElse("deployment") + "). Nothing was staged. Pause this sender"
            + " (job deltasync_sender in the " + own + " region); run deltasync failback (or"
            + " failover) to make the " + own + " region active again.");
  }

  /** A failover or failback could not append its epoch record: nothing was promoted. */
  public static SyncException epochRecordFailed(String location, String workspace, long epoch,
      io.deltasync.ledger.Region active, String command, Throwable cause) {
    return new SyncException(Kind.RETRYABLE, "Could not record epoch " + epoch + " (the " + active
        + " region active) of workspace " + workspace + " in the ledger at " + location + ": "
        + describe(cause) + ". The ledger was re-read and does not hold it, so no job was"
        + " promoted; run " + command + " again (it is idempotent).", cause);
  }

  /** A table's Delta id could not be read. */
  public static SyncException tableIdUnreadable(String table, Throwable cause) {
    return new SyncException(Kind.FATAL, "Could not read the Delta table id of table " + table
        + " (its latest metadata): " + describe(cause) + "; check that the table exists, is a Delta"
        + " table, and that the principal can read it", cause);
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
  // Status and verify

  public static SyncException primaryRunLogMissing(String location) {
    return new SyncException(Kind.RETRYABLE,
        "The primary's run log " + location + " does not exist: the primary region's folder is"
            + " unreachable, or no workflow has run there through the launcher yet. Check"
            + " local.primary_dir and that the folder is mounted.");
  }

  public static SyncException verifyTableUnreadable(
      String location, String version, Throwable cause) {
    return new SyncException(Kind.FATAL,
        "Cannot read the Delta table " + location + " at version " + version + ": "
            + describe(cause) + ". Check that the table exists, that this version was not vacuumed"
            + " (VACUUM retention must exceed the sync interval) and that this job may read it.",
        cause);
  }

  public static SyncException lagAlertStateTooNew(String location, int found, int supported) {
    return new SyncException(Kind.FATAL,
        "The lag alert state " + location + " has format version " + found + ", but this"
            + " deltasync reads format " + supported + " at most: a newer deltasync wrote it."
            + " Upgrade the status job and the launcher to that version; the file was left as it"
            + " is and no lag alert was sent for this workspace.");
  }

  public static SyncException lagAlertStateInvalid(String location, String why) {
    return new SyncException(Kind.FATAL,
        "The lag alert state " + location + " cannot be read: " + why + ". It was changed by"
            + " hand or by another tool: delete it (open LAG alerts are then sent again once)");
  }

  public static SyncException lagAlertStateIo(String location, String action, Throwable cause) {
    return new SyncException(Kind.RETRYABLE,
        "Could not " + action + " the lag alert state " + location + ": " + describe(cause)
            + "; check that the sync location is reachable and that this job may write to it",
        cause);
  }

  public static SyncException verifyFailed(java.util.List<String> problems) {
    StringBuilder text = new StringBuilder();
    text.append("verify found ").append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems")
        .append(" (the secondary does not hold exactly what the ledger says was applied: find who"
            + " wrote to the table, restore it to the version the receiver applied with RESTORE"
            + " TABLE ... TO VERSION AS OF, or let the next sync point overwrite it):");
    for (String problem : problems) {
      text.append(System.lineSeparator()).append("  ").append(problem);
    }
    return new SyncException(Kind.FATAL, text.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Failover and failback

  public static SyncException pausableJobNotFound(String workspace, String job) {
    return new SyncException(Kind.FATAL, "No job named '" + job + "' in workspace " + workspace
        + ": deploy it there (deltasync deploy) or fix the job name in the config.");
  }

  public static SyncException pausableJobAmbiguous(String workspace, String job, java.util.List<String> ids) {
    return new SyncException(Kind.FATAL, ids.size() + " jobs are named '" + job + "' in workspace "
        + workspace + " (job ids " + String.join(", ", ids) + "): rename or delete all but one,"
        + " so that deltasync acts on the right one.");
  }

  public static SyncException jobsUnreachable(String workspace, String action, String job, String why) {
    return new SyncException(Kind.RETRYABLE, "Could not " + action + " job '" + job + "' in workspace "
        + workspace + ": the Jobs API did not answer (" + why + "). deltasync tries again;"
        + " check the workspace's status and network path.");
  }

  public static SyncException jobsRefused(
      String workspace, String action, String job, int status, String why) {
    return new SyncException(Kind.FATAL, "The Jobs API of workspace " + workspace + " refused to "
        + action + " job '" + job + "' (HTTP " + status + ": " + why + "). Give the service principal"
        + " CAN_MANAGE on the job, or check its token.");
  }

  /** The preflight job's run fails when a check failed; its output has the lines. */
  public static SyncException preflightFailed() {
    return new SyncException(Kind.FATAL, "preflight: at least one check failed; the FAIL lines"
        + " above say what to fix");
  }

  /** Preflight's read of a workspace's jobs or identity got an answer that was no. */
  public static SyncException workspaceRefused(String workspace, String action, int status,
      String why) {
    return new SyncException(Kind.FATAL, "workspace " + workspace + " refused to " + action
        + " (HTTP " + status + ": " + why + ")");
  }

  /** Preflight's read of a workspace's jobs or identity got no answer. */
  public static SyncException workspaceUnreachable(String workspace, String action, String why) {
    return new SyncException(Kind.RETRYABLE, "workspace " + workspace + " did not answer when"
        + " asked to " + action + " (" + why + ")");
  }

  public static SyncException jobRunFailed(String workspace, String job, String outcome) {
    return new SyncException(Kind.FATAL, "Workspace " + workspace + ": job " + job + " "
        + outcome + "; see the run's output in that workspace, fix the cause and run again"
        + " (every step resumes where it stopped)");
  }

  /**
   * A job asked for a table of the region it does not run in. On Databricks the other region's
   * tables live in another metastore: they are reached only through the sync locations.
   */
  public static SyncException tableInOtherRegion(String workspace, Object table, String folder) {
    return new SyncException(SyncException.Kind.USAGE, "workspace " + workspace + ": table "
        + table + " lives in the other region (" + folder + "): a job resolves table names only in"
        + " the region it runs in, and reaches the other region only through the sync locations"
        + " and that workspace's Jobs API; run this step in that region (--region)");
  }

  public static SyncException secondaryUrlMissing(String workspace, String command) {
    return new SyncException(Kind.USAGE, "Workspace " + workspace + " has no"
        + " secondary_workspace_instance_url: " + command + " switches jobs in the secondary"
        + " workspace, so set it in the config.");
  }

  /**
   * An embedded workspace without the secondary's Jobs API: failover and failback switch jobs
   * through each workspace's Jobs API in embedded mode too (the local workspaces serve it).
   */
  public static SyncException embeddedJobsApiMissing(String workspace, String command) {
    return new SyncException(Kind.USAGE, "Workspace " + workspace + " has no"
        + " secondary_workspace_instance_url: " + command + " switches jobs through each"
        + " workspace's Jobs API, in embedded mode too. Start the secondary's local workspace"
        + " (./deltasync workspace --region secondary --spec FILE) and set"
        + " secondary_workspace_instance_url to the URL it prints.");
  }

  public static SyncException failbackShutdownUnconfirmed(java.util.List<String> jobs) {
    return new SyncException(Kind.RETRYABLE, "Failback stopped before syncing anything: these jobs"
        + " could not be confirmed paused: " + String.join("; ", jobs) + ". Nothing was synced and"
        + " no region was promoted; fix the cause and run failback again.");
  }

  public static SyncException failbackSyncFailed(String step, java.util.List<String> failures) {
    return new SyncException(Kind.FATAL, "Failback stopped: the " + step + " from secondary to"
        + " primary failed for " + String.join("; ", failures) + ". The primary's workflows stay"
        + " paused (its tables may not hold the secondary's state) and the secondary's workflows stay"
        + " paused; fix the cause and run failback again (it resumes where it stopped), or unpause"
        + " the secondary's workflows to keep running there.");
  }

  public static SyncException failoverIncomplete(java.util.List<String> problems) {
    return new SyncException(Kind.FATAL, "Failover finished with problems: "
        + String.join("; ", problems) + ". Groups not promoted stay paused in the secondary; fix the"
        + " cause and run failover again (it is idempotent).");
  }

  public static SyncException restoreFailed(Object table, long version, boolean retryable,
      Throwable cause) {
    return new SyncException(retryable ? Kind.RETRYABLE : Kind.FATAL,
        "Could not restore table " + table + " to its version " + version + ": "
            + describe(cause) + (retryable ? "; the table is unchanged, try again"
                : "; the table may have been dropped or the version's files vacuumed: put it back"
                    + " by hand (deltasync clone of the last sync point's staging version) or"
                    + " fail over"), cause);
  }

  public static SyncException restoreVersionMissing(Object table, long version, long latest) {
    return new SyncException(Kind.FATAL,
        "Table " + table + " has no version " + version + " to restore to: its latest version is "
            + latest + "; it was replaced since that version was recorded: put it back by hand"
            + " (deltasync clone of the last sync point's staging version) or fail over");
  }

  public static SyncException drillIncomplete(java.util.List<String> problems) {
    return new SyncException(Kind.FATAL, "The keep-primary drill finished with problems: "
        + String.join("; ", problems) + ". The report lists them with their actions; a group whose"
        + " drill is still open is ended by running the drill again or by failover.");
  }

  public static SyncException failbackIncomplete(java.util.List<String> problems) {
    return new SyncException(Kind.FATAL, "Failback synced every group but finished with problems: "
        + String.join("; ", problems) + ". Run failback again (it is idempotent) or switch the"
        + " named jobs by hand.");
  }

  // ---------------------------------------------------------------------------------------------
  // Notifications (never thrown out of a Notifier: turned into a WARN and a FAILED delivery)

  /** @param secret the secret holding the URL, as {@code scope/key} */
  public static SyncException webhookUrlInvalid(String secret) {
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
