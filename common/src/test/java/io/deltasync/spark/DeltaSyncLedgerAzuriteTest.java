package io.deltasync.spark;

import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncLedgerContract;
import io.deltasync.testing.Azurite;
import io.deltasync.testing.SharedSpark;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ledger contract on Azurite through {@code wasb://}, in the secondary region's container. */
@ExtendWith(Azurite.class)
class DeltaSyncLedgerAzuriteTest extends SyncLedgerContract {

  private String root;
  private int ledgers;

  @BeforeEach
  void secondaryRegion(Azurite.Server azurite) {
    azurite.configure(SharedSpark.spark().sparkContext().hadoopConfiguration());
    root = azurite.newRoot(Azurite.SECONDARY);
  }

  @Override
  protected SyncLedger newLedger() {
    return new DeltaSyncLedger(SharedSpark.spark(), root + "/_deltasync/ledger" + ledgers++);
  }
}
