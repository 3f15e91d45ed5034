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
 * @param epoch the epoch the row was written under; for EPOCH rows the epoch they start (format 1
 *     rows: 0, the initial epoch)
 * @param sourceRegion the region the sync point was staged from; for EPOCH rows the region the
 *     epoch makes active (format 1 rows: PRIMARY)
 * @param sourceTableId the source table's Delta table id (metadata id) the row's state comes from;
 *     empty when unknown (format 1 rows, failures before the table was read)
 * @param changedBy EPOCH rows: the principal that made the role change (a user or service
 *     principal name, never a secret); empty otherwise
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
    Instant recordedAt,
    long epoch,
    Region sourceRegion,
    Optional<String> sourceTableId,
    Optional<String> changedBy) {

  /**
   * The row format this build writes and the newest it can read. 2 added {@code epoch},
   * {@code source_region}, {@code source_table_id}, {@code changed_by} and EPOCH rows; format 1
   * rows are read as epoch 0, staged from the primary, table id unknown.
   */
  public static final int CURRENT_FORMAT = 2;

  /** The first format, without epochs and table ids. */
  public static final int FORMAT_1 = 1;

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
    Objects.requireNonNull(sourceRegion, "sourceRegion");
    Objects.requireNonNull(sourceTableId, "sourceTableId");
    Objects.requireNonNull(changedBy, "changedBy");
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
    }
    error = Objects.requireNonNull(error, "error")
        .map(text -> text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) : text);
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative, got " + sequence);
    }
  }

  /** A row of the initial epoch (0), staged from the primary, table id unknown. */
  public LedgerRow(int formatVersion, String syncId, long sequence, String workspace,
      String groupName, String tableName, String secondaryTable, OptionalLong runId,
      Optional<Instant> runEndTime, OptionalLong sourceVersion, OptionalLong stagingVersion,
      OptionalLong targetVersion, SyncStatus status, long numCopiedFiles, long copiedFilesSize,
      long numRemovedFiles, long removedFilesSize, long sourceTableSize, long sourceNumOfFiles,
      long durationMs, int attempt, Optional<String> error, Instant recordedAt) {
    this(formatVersion, syncId, sequence, workspace, groupName, tableName, secondaryTable, runId,
        runEndTime, sourceVersion, stagingVersion, targetVersion, status, numCopiedFiles,
        copiedFilesSize, numRemovedFiles, removedFilesSize, sourceTableSize, sourceNumOfFiles,
        durationMs, attempt, error, recordedAt, 0, Region.PRIMARY, Optional.empty(),
        Optional.empty());
  }

  /** This row, written under {@code epoch} from {@code region}, with the source's table id. */
  public LedgerRow under(long epoch, Region region, Optional<String> tableId) {
    return new LedgerRow(formatVersion, syncId, sequence, workspace, groupName, tableName,
        secondaryTable, runId, runEndTime, sourceVersion, stagingVersion, targetVersion, status,
        numCopiedFiles, copiedFilesSize, numRemovedFiles, removedFilesSize, sourceTableSize,
        sourceNumOfFiles, durationMs, attempt, error, recordedAt, epoch, region, tableId,
        changedBy);
  }
}
