package io.deltasync.ledger;

import java.util.List;
import java.util.Optional;

/**
 * The ledger of sync points: an append-only table of {@link LedgerRow}s, and at the same time the
 * metadata table users query to see the DR posture.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li><b>Append-only.</b> Rows are never updated or deleted by deltasync; the state of a group is
 *       derived from all its rows ({@link LedgerState}).
 *   <li><b>Atomic appends.</b> Each {@link #append} is one commit: after it, readers see every row
 *       of it or none.
 *   <li><b>Idempotent through a transaction id.</b> An append with a {@link LedgerTxn} is skipped
 *       when an append with the same {@code appId} and the same or a higher version has committed,
 *       and two appends racing with the same key cannot both commit. A sender cycle uses its group's
 *       next sync point sequence, so two cycles started at once record that sync point once.
 *   <li><b>Unknown outcome.</b> When {@code append} throws, the rows may or may not have landed.
 *       Callers never blindly re-append: they {@link #read} again and look for their sync id.
 *   <li><b>Read to the end before deciding.</b> {@link #read} returns every committed row as of the
 *       newest commit; callers decide nothing before they have it.
 *   <li><b>Epochs.</b> Role changes are rows too (status EPOCH, one record per epoch number,
 *       appended with {@link LedgerTxn#epoch} so that a retried failover records one epoch); a
 *       workspace's current epoch is the newest record ({@link LedgerState#currentEpoch}).
 *   <li><b>Versioned rows.</b> {@link #read} refuses rows whose format is newer than {@link
 *       LedgerRow#CURRENT_FORMAT} with an error telling the user to upgrade deltasync.
 * </ul>
 */
public interface SyncLedger {

  /** Every row, as of the newest commit. Empty when the ledger does not exist yet. */
  List<LedgerRow> read();

  /**
   * The current state of {@code workspace}'s groups, as of the newest commit: a {@link LedgerState}
   * over the workspace's {@link CurrentRows} (each group's rows from its last applied sync point
   * on, and every epoch record). It decides what the whole history decides for the sender, the
   * receiver and failover; history-wide questions (every failure, bytes per day) need {@link
   * #read}. Read to the end like {@link #read}, and refused the same way for a newer format.
   * Implementations make it cost what the current rows cost, not what the history costs; the
   * default filters the whole history.
   */
  default LedgerState current(String workspace) {
    return new LedgerState(CurrentRows.of(
        read().stream().filter(r -> r.workspace().equals(workspace)).toList()));
  }

  /**
   * Appends {@code rows} in one commit, skipped when {@code txn} is present and already committed.
   *
   * @return {@link AppendOutcome#APPENDED} or {@link AppendOutcome#ALREADY_COMMITTED} when the
   *     implementation can tell the append was skipped
   */
  AppendOutcome append(List<LedgerRow> rows, Optional<LedgerTxn> txn);

  /** Where the ledger lives, for messages. */
  String location();

  /** What an append did. */
  enum AppendOutcome {
    APPENDED,
    ALREADY_COMMITTED
  }
}
