package io.deltasync.failover;

import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.SyncPoint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The state a group's secondary tables hold: the applied sync point, as the ledger recorded it.
 *
 * @param syncId the sync point's id
 * @param sequence the group's sync point sequence number
 * @param runId the primary workflow run whose end state this is; empty for standalone groups
 * @param runEnd when that run ended
 * @param appliedAt when the receiver recorded the sync point applied
 * @param tables each table's versions
 */
public record RecoveryPoint(
    String syncId, long sequence, OptionalLong runId, Optional<Instant> runEnd, Instant appliedAt,
    List<TableVersion> tables) {

  /**
   * @param table the primary table
   * @param secondaryTable the registered secondary table
   * @param sourceVersion the primary table's version the state comes from
   * @param stagingVersion the staging version that was applied
   * @param targetVersion the secondary table's version holding it
   * @param syncPoint the sequence of the sync point whose state the table holds: the group's, unless
   *     failover read the table and found it at another one (a group left half-applied)
   */
  public record TableVersion(
      String table, String secondaryTable, OptionalLong sourceVersion, OptionalLong stagingVersion,
      OptionalLong targetVersion, long syncPoint) {}

  /** True when every table holds this recovery point's sync point. */
  public boolean whole() {
    return tables.stream().allMatch(t -> t.syncPoint() == sequence);
  }

  public RecoveryPoint {
    tables = List.copyOf(tables);
  }

  /** The recovery point of an APPLIED sync point. */
  public static RecoveryPoint of(SyncPoint applied) {
    return new RecoveryPoint(applied.syncId(), applied.sequence(), applied.runId(),
        applied.runEndTime(), applied.recordedAt(),
        applied.tables().stream().map(row -> version(row, applied.sequence())).toList());
  }

  /** A table at the state {@code row} (of sync point {@code sequence}) recorded. */
  public static TableVersion version(LedgerRow row, long sequence) {
    return new TableVersion(row.tableName(), row.secondaryTable(), row.sourceVersion(),
        row.stagingVersion(), row.targetVersion(), sequence);
  }
}
