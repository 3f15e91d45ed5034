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

  /**
   * The newest sync point of a group that may still be applied: staged under the current epoch, or
   * under an older one but within the history the current epoch's record kept for the group (a
   * sequence not above the record's, see {@link Epoch#recoveryPoint}). Any other sync point of an
   * older epoch was staged late, by a region that had lost its role; it is never applied (see
   * {@link #fencedOff}).
   */
  public Optional<SyncPoint> lastApplicable(String workspace, String group) {
    Epoch current = currentEpoch(workspace);
    List<SyncPoint> points = syncPoints(workspace, group, SyncStatus.STAGED).stream()
        .filter(p -> applicable(current, group, p))
        .toList();
    return points.isEmpty() ? Optional.empty() : Optional.of(points.get(points.size() - 1));
  }

  private static boolean applicable(Epoch current, String group, SyncPoint point) {
    return point.epoch() >= current.number()
        || point.sequence() <= current.recoveryPoint(group).orElse(0L);
  }

  /**
   * The sync points of a group staged under an older epoch than the current one and above the
   * last applied: what a region that lost its role staged late. Oldest first.
   */
  public List<SyncPoint> fencedOff(String workspace, String group) {
    Epoch current = currentEpoch(workspace);
    long applied = lastApplied(workspace, group).map(SyncPoint::sequence).orElse(0L);
    return syncPoints(workspace, group, SyncStatus.STAGED).stream()
        .filter(p -> !applicable(current, group, p) && p.sequence() > applied)
        .toList();
  }

  /** Every epoch record of a workspace, oldest first; the initial epoch is not among them. */
  public List<Epoch> epochs(String workspace) {
    Map<String, List<LedgerRow>> bySyncId = new LinkedHashMap<>();
    for (LedgerRow row : rows) {
      if (row.status() == SyncStatus.EPOCH && row.workspace().equals(workspace)) {
        bySyncId.computeIfAbsent(row.syncId(), id -> new ArrayList<>()).add(row);
      }
    }
    // Epoch numbers are unique per workspace thanks to the append's transaction id.
    return bySyncId.values().stream().map(Epoch::of)
        .sorted(Comparator.comparingLong(Epoch::number)).toList();
  }

  /** The workspace's current epoch: the newest epoch record, or the initial epoch when none. */
  public Epoch currentEpoch(String workspace) {
    List<Epoch> epochs = epochs(workspace);
    return epochs.isEmpty() ? Epoch.initial() : epochs.get(epochs.size() - 1);
  }

  /** The newest row of a group with status FAILED or TIMED_OUT, if any. */
  public Optional<LedgerRow> lastFailure(String workspace, String group) {
    return rows.stream()
        .filter(r -> (r.status() == SyncStatus.FAILED || r.status() == SyncStatus.TIMED_OUT)
            && r.workspace().equals(workspace)
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

  /**
   * The group's open keep-primary drill: the {@link SyncStatus#DRILL} rows of the newest drill
   * without {@link SyncStatus#DRILL_ENDED} rows, as a point (its sequence is the sync point applied
   * when the drill began). Empty when no drill is open.
   */
  public Optional<SyncPoint> openDrill(String workspace, String group) {
    // Two drills may begin at the same sync point: the newest is the one recorded last.
    Optional<SyncPoint> started = syncPoints(workspace, group, SyncStatus.DRILL).stream()
        .max(Comparator.comparing(SyncPoint::recordedAt));
    if (started.isEmpty()) {
      return Optional.empty();
    }
    SyncPoint newest = started.get();
    boolean ended = rows.stream().anyMatch(r -> r.status() == SyncStatus.DRILL_ENDED
        && r.syncId().equals(newest.syncId()));
    return ended ? Optional.empty() : Optional.of(newest);
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
