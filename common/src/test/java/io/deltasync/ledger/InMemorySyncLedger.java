package io.deltasync.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ledger in memory, with the contract's transaction semantics and failure injection: {@link
 * #failNextAppend(boolean)} makes the next append throw after (or instead of) landing, the
 * "unknown outcome" of a commit.
 */
public final class InMemorySyncLedger implements SyncLedger {

  private final List<LedgerRow> rows = new ArrayList<>();
  private final Map<String, Long> txns = new HashMap<>();
  private Boolean failNextAppendLanded;
  private int appends;

  @Override
  public synchronized List<LedgerRow> read() {
    for (LedgerRow row : rows) {
      if (row.formatVersion() > LedgerRow.CURRENT_FORMAT) {
        throw io.deltasync.errors.SyncErrors.ledgerFormatTooNew(
            location(), row.formatVersion(), LedgerRow.CURRENT_FORMAT);
      }
    }
    return List.copyOf(rows);
  }

  @Override
  public synchronized AppendOutcome append(List<LedgerRow> newRows, Optional<LedgerTxn> txn) {
    Boolean fail = failNextAppendLanded;
    failNextAppendLanded = null;
    if (Boolean.FALSE.equals(fail)) {
      throw new IllegalStateException("injected: append failed before landing");
    }
    if (txn.isPresent()) {
      Long committed = txns.get(txn.get().appId());
      if (committed != null && committed >= txn.get().version()) {
        return AppendOutcome.ALREADY_COMMITTED;
      }
      txns.put(txn.get().appId(), txn.get().version());
    }
    rows.addAll(newRows);
    appends++;
    if (Boolean.TRUE.equals(fail)) {
      throw new IllegalStateException("injected: append landed but the caller never heard back");
    }
    return AppendOutcome.APPENDED;
  }

  /** The next append throws: after landing ({@code landed}) or without landing. */
  public synchronized InMemorySyncLedger failNextAppend(boolean landed) {
    this.failNextAppendLanded = landed;
    return this;
  }

  /** How many appends landed. */
  public synchronized int appends() {
    return appends;
  }

  @Override
  public String location() {
    return "memory:ledger";
  }
}
