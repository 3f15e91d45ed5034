package io.deltasync.failover;

import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.SyncLedger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory ledger honouring the contract's transaction ids. */
final class FakeLedger implements SyncLedger {

  private final List<LedgerRow> rows = new ArrayList<>();
  private final Map<String, Long> txns = new HashMap<>();

  @Override
  public synchronized List<LedgerRow> read() {
    return List.copyOf(rows);
  }

  @Override
  public synchronized AppendOutcome append(List<LedgerRow> appended, Optional<LedgerTxn> txn) {
    if (txn.isPresent()) {
      Long done = txns.get(txn.get().appId());
      if (done != null && done >= txn.get().version()) {
        return AppendOutcome.ALREADY_COMMITTED;
      }
      txns.put(txn.get().appId(), txn.get().version());
    }
    rows.addAll(appended);
    return AppendOutcome.APPENDED;
  }

  @Override
  public String location() {
    return "memory:/ledger";
  }
}
