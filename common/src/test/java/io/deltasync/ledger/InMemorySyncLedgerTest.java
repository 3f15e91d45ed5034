package io.deltasync.ledger;

class InMemorySyncLedgerTest extends SyncLedgerContract {
  @Override
  protected SyncLedger newLedger() {
    return new InMemorySyncLedger();
  }
}
