package io.deltasync.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row of the ledger (the metadata table): one table in one step of one group. Persisted, so it
 * carries {@link #formatVersion()}; a reader refuses rows newer than {@link #CURRENT_FORMAT}.
 *
 * @param formatVersion the row format, {@link #CURRENT_FORMAT} when written by this build
 * @param syncId the sync point (STAGED/APPLIED) or attempt (FAILED/SKIPPED) the row belongs to
 * @param sequence the group's sync point sequence number (1, 2, ...); APPLIED rows repeat the
 *     sequence of the sync point they applied
 * @param workspace {@code workspace_name}
 * @param groupName {@code group_name}
 * @param tableName the primary table, {@code catalog.schema.table}
 * @param secondaryTable the registered secondary table it maps to
 * @param runId the workflow run the state belongs to; empty for standalone groups
 * @param runEndTime when that run ended
 * @param sourceVersion the primary table's version
 * @param stagingVersion the staging table's version holding that state
 * @param targetVersion the secondary table's version after APPLIED
 * @param status what happened
 * @param numCopiedFiles files copied by the clone
 * @param copiedFilesSize bytes copied
 * @param numRemovedFiles files the clone's target dropped
 * @param removedFilesSize bytes the target dropped
 * @param sourceTableSize bytes of the cloned snapshot
 * @param sourceNumOfFiles files of the cloned snapshot
 * @param durationMs wall time of the step for this table
 * @param attempt the attempt that produced the row (1 = first try)
 * @param error why it failed (FAILED/SKIPPED); never a secret
 * @param recordedAt when the row was written
 */
public record LedgerRow(
    int formatVersion,
    String syncId,
    long sequence,
    String workspace,
    String groupName,
    String tableName,
    String secondaryTable,
    OptionalLong runId,
    Optional<Instant> runEndTime,
    OptionalLong sourceVersion,
    OptionalLong stagingVersion,
    OptionalLong targetVersion,
    SyncStatus status,
    long numCopiedFiles,
    long copiedFilesSize,
    long numRemovedFiles,
    long removedFilesSize,
    long sourceTableSize,
    long sourceNumOfFiles,
    long durationMs,
    int attempt,
    Optional<String> error,
    Instant recordedAt) {

  /** The row format this build writes and the newest it can read. */
  public static final int CURRENT_FORMAT = 1;

  /** Longest error text kept in a row. */
  public static final int MAX_ERROR_CHARS = 4000;

  public LedgerRow {
    Objects.requireNonNull(syncId, "syncId");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(groupName, "groupName");
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(secondaryTable, "secondaryTable");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(runEndTime, "runEndTime");
    Objects.requireNonNull(sourceVersion, "sourceVersion");
    Objects.requireNonNull(stagingVersion, "stagingVersion");
    Objects.requireNonNull(targetVersion, "targetVersion");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(recordedAt, "recordedAt");
    error = Objects.requireNonNull(error, "error")
        .map(text -> text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) : text);
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative, got " + sequence);
    }
  }
}
