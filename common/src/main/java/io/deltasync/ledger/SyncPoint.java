package io.deltasync.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A group's state recorded in one ledger commit: the STAGED rows of one sync id (what the sender
 * staged) or the APPLIED rows of one sync id (what the receiver applied).
 *
 * @param syncId the sync id shared by the rows
 * @param sequence the group's sync point sequence number
 * @param workspace the workspace
 * @param group the group
 * @param runId the workflow run; empty for standalone groups
 * @param runEndTime when the run ended
 * @param recordedAt when the rows were written
 * @param tables one row per table, in the order they were written
 */
public record SyncPoint(
    String syncId,
    long sequence,
    String workspace,
    String group,
    OptionalLong runId,
    Optional<Instant> runEndTime,
    Instant recordedAt,
    List<LedgerRow> tables) {

  public SyncPoint {
    tables = List.copyOf(tables);
  }

  /** The row of a table, by its primary name. */
  public Optional<LedgerRow> table(String tableName) {
    return tables.stream().filter(r -> r.tableName().equals(tableName)).findFirst();
  }

  /** The epoch the sync point was staged (or applied) under; 0 for format 1 rows. */
  public long epoch() {
    return tables.isEmpty() ? 0 : tables.get(0).epoch();
  }

  /** The region the sync point was staged from. */
  public Region sourceRegion() {
    return tables.isEmpty() ? Region.PRIMARY : tables.get(0).sourceRegion();
  }

  static SyncPoint of(List<LedgerRow> rows) {
    LedgerRow first = rows.get(0);
    Instant recorded = rows.stream().map(LedgerRow::recordedAt).max(Instant::compareTo).orElseThrow();
    return new SyncPoint(first.syncId(), first.sequence(), first.workspace(), first.groupName(),
        first.runId(), first.runEndTime(), recorded, rows);
  }
}
