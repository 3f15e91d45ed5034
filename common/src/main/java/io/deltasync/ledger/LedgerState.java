package io.deltasync.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the ledger says about each group, derived from all its rows (read to the end first).
 * Engine-free: built from the rows {@link SyncLedger#read()} returned.
 */
public final class LedgerState {

  private final List<LedgerRow> rows;

  public LedgerState(List<LedgerRow> rows) {
    this.rows = List.copyOf(rows);
  }

  public List<LedgerRow> rows() {
    return rows;
  }

  /** The newest sync point the sender recorded for a group (highest sequence). */
  public Optional<SyncPoint> lastStaged(String workspace, String group) {
    return newest(workspace, group, SyncStatus.STAGED);
  }

  /** The newest sync point the receiver applied for a group (highest sequence). */
  public Optional<SyncPoint> lastApplied(String workspace, String group) {
    return newest(workspace, group, SyncStatus.APPLIED);
  }

  /** Every sync point of a status for a group, oldest sequence first. */
  public List<SyncPoint> syncPoints(String workspace, String group, SyncStatus status) {
    Map<String, List<LedgerRow>> bySyncId = new LinkedHashMap<>();
    for (LedgerRow row : rows) {
      if (row.status() == status && row.workspace().equals(workspace)
          && row.groupName().equals(group)) {
        bySyncId.computeIfAbsent(row.syncId(), id -> new ArrayList<>()).add(row);
      }
    }
    return bySyncId.values().stream()
        .map(SyncPoint::of)
        // Sequences are unique per group thanks to the append's transaction id; should two ever
        // share one, the earlier recorded wins, deterministically.
        .sorted(Comparator.comparingLong(SyncPoint::sequence)
            .thenComparing(SyncPoint::recordedAt, Comparator.reverseOrder())
            .thenComparing(SyncPoint::syncId, Comparator.reverseOrder()))
        .toList();
  }

  /** The newest row of a group with status FAILED, if any. */
  public Optional<LedgerRow> lastFailure(String workspace, String group) {
    return rows.stream()
        .filter(r -> r.status() == SyncStatus.FAILED && r.workspace().equals(workspace)
            && r.groupName().equals(group))
        .max(Comparator.comparing(LedgerRow::recordedAt));
  }

  /**
   * The {@code STAGING_DAMAGED} rows the receiver recorded for a sync point (one per damaged table),
   * or none once that sync point was applied after all.
   */
  public List<LedgerRow> stagingDamaged(SyncPoint point) {
    List<LedgerRow> ofPoint = rows.stream().filter(r -> r.syncId().equals(point.syncId())).toList();
    if (ofPoint.stream().anyMatch(r -> r.status() == SyncStatus.APPLIED)) {
      return List.of();
    }
    return ofPoint.stream().filter(r -> r.status() == SyncStatus.STAGING_DAMAGED).toList();
  }

  /** True when some row carries this sync id. */
  public boolean contains(String syncId) {
    return rows.stream().anyMatch(r -> r.syncId().equals(syncId));
  }

  private Optional<SyncPoint> newest(String workspace, String group, SyncStatus status) {
    List<SyncPoint> points = syncPoints(workspace, group, status);
    return points.isEmpty() ? Optional.empty() : Optional.of(points.get(points.size() - 1));
  }
}
