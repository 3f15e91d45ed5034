package io.deltasync.ledger;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The rows of the ledger that decide each group's current state: from its last applied sync point
 * on (that sync point's rows included), and every epoch record. Engine-free; {@code
 * DeltaSyncLedger} runs the same rule in Spark over the whole history.
 *
 * <p>Over these rows, {@link LedgerState} answers {@code lastStaged}, {@code lastApplied}, {@code
 * lastApplicable}, {@code fencedOff}, {@code stagingDamaged} of those sync points, the failures
 * after the last staged one and {@code currentEpoch} exactly as over the whole history:
 *
 * <ul>
 *   <li>every sync point the receiver may still apply has a sequence above the last applied one
 *       (the receiver never moves a table backward), and a role change records a recovery point
 *       at or above it;
 *   <li>APPLIED, STAGING_DAMAGED and the receiver's FAILED rows repeat the sequence of the sync
 *       point they concern; the sender's FAILED rows carry the next sequence;
 *   <li>epoch records are few (one per role change) and always kept;
 *   <li>a keep-primary drill's DRILL and DRILL_ENDED rows carry the sequence applied when it
 *       began, and the receiver applies nothing to the group while it is open, so an open drill
 *       stays among the current rows until it ends.
 * </ul>
 *
 * <p>The rule is closed under appends: {@code of(of(rows) + newer) == of(rows + newer)}, because the
 * last applied sequence of a group only grows. So a reduced copy taken at one ledger version,
 * plus the rows appended since, gives the current rows of any later version.
 */
public final class CurrentRows {

  private CurrentRows() {}

  /** The current rows among {@code rows}, each once, in their order. */
  public static List<LedgerRow> of(Collection<LedgerRow> rows) {
    Map<String, Long> floors = new HashMap<>();
    for (LedgerRow row : rows) {
      if (row.status() == SyncStatus.APPLIED) {
        floors.merge(key(row), row.sequence(), Math::max);
      }
    }
    LinkedHashSet<LedgerRow> kept = new LinkedHashSet<>();
    for (LedgerRow row : rows) {
      if (row.status() == SyncStatus.EPOCH || row.sequence() >= floors.getOrDefault(key(row), 0L)) {
        kept.add(row);
      }
    }
    return List.copyOf(kept);
  }

  private static String key(LedgerRow row) {
    return row.workspace() + '\u0000' + row.groupName();
  }
}
