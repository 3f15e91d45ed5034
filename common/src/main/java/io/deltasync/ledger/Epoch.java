package io.deltasync.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One epoch of a workspace, in the style of Kafka's leader epochs: from a role change on, one
 * region is active (its workflows run and its sender stages), and every sync point carries the
 * epoch it was staged under. Epoch 0 is the initial one (the primary active), implied when the
 * ledger holds no epoch record; each failover or failback appends the next number.
 *
 * <p>An epoch record is the EPOCH rows of one sync id, one per table of every group: the row's
 * {@code sequence} is the group's recovery point in the forward ledger (the newest sync point that
 * belongs to the epoch's history: the one applied, or for a group a failover could not promote
 * yet, the one it still has to roll forward; 0 when none), {@code source_version}/{@code
 * target_version} the primary's and the secondary's table versions at that moment, and
 * {@code source_region} the region made active. A sync point staged under an older epoch with a
 * higher sequence was staged late, by a region that had lost its role, and is never applied.
 *
 * @param number the epoch number (0 = initial)
 * @param active the region active in this epoch
 * @param changedAt when the role change was recorded (empty for the initial epoch)
 * @param changedBy who made it (empty for the initial epoch)
 * @param syncId the epoch record's id (empty for the initial epoch)
 * @param rows the record's EPOCH rows (empty for the initial epoch)
 */
public record Epoch(
    long number,
    Region active,
    Optional<Instant> changedAt,
    Optional<String> changedBy,
    Optional<String> syncId,
    List<LedgerRow> rows) {

  public Epoch {
    rows = List.copyOf(rows);
  }

  /** Epoch 0: the primary active, as deployed. */
  public static Epoch initial() {
    return new Epoch(0, Region.PRIMARY, Optional.empty(), Optional.empty(), Optional.empty(),
        List.of());
  }

  static Epoch of(List<LedgerRow> rows) {
    LedgerRow first = rows.get(0);
    return new Epoch(first.epoch(), first.sourceRegion(), Optional.of(first.recordedAt()),
        first.changedBy(), Optional.of(first.syncId()), rows);
  }

  /** True for epochs a failback started (the primary active again after a failover). */
  public boolean afterFailback() {
    return number > 0 && active == Region.PRIMARY;
  }

  /** A group's recovery point: the newest forward sync point sequence of the epoch's history. */
  public OptionalLong recoveryPoint(String group) {
    return rows.stream().filter(r -> r.groupName().equals(group)).findFirst()
        .map(r -> r.sequence() > 0 ? OptionalLong.of(r.sequence()) : OptionalLong.empty())
        .orElse(OptionalLong.empty());
  }

  /** A table's row of the record. */
  public Optional<LedgerRow> table(String group, String table) {
    return rows.stream()
        .filter(r -> r.groupName().equals(group) && r.tableName().equals(table))
        .findFirst();
  }

  /**
   * The version the active region's copy of a table had when the epoch began: the primary table's
   * ({@code source_version}) when the primary is active, the secondary table's
   * ({@code target_version}) when the secondary is.
   *
   * @param activeTable the table's name in the active region (the primary name when the primary
   *     is active, the registered secondary name when the secondary is)
   */
  public OptionalLong baseline(String group, String activeTable) {
    return rows.stream()
        .filter(r -> r.groupName().equals(group) && activeTable.equals(
            active == Region.PRIMARY ? r.tableName() : r.secondaryTable()))
        .findFirst()
        .map(r -> active == Region.PRIMARY ? r.sourceVersion() : r.targetVersion())
        .orElse(OptionalLong.empty());
  }

  /** "epoch 2 (PRIMARY active since 2026-... by alice)", for messages. */
  public String describe() {
    if (number == 0 && changedAt.isEmpty()) {
      return "epoch 0 (initial, " + active + " active)";
    }
    return "epoch " + number + " (" + active + " active since " + changedAt.map(Instant::toString)
        .orElse("?") + ", by " + changedBy.orElse("unknown") + ")";
  }
}
