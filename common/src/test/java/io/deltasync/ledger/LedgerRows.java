package io.deltasync.ledger;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** Ledger rows for tests. */
public final class LedgerRows {

  private LedgerRows() {}

  public static LedgerRow staged(String syncId, long sequence, String group, String table,
      long sourceVersion, long stagingVersion, Instant at) {
    return row(LedgerRow.CURRENT_FORMAT, syncId, sequence, group, table, sourceVersion,
        stagingVersion, SyncStatus.STAGED, at);
  }

  public static LedgerRow row(int format, String syncId, long sequence, String group, String table,
      long sourceVersion, long stagingVersion, SyncStatus status, Instant at) {
    return new LedgerRow(format, syncId, sequence, "ws", group, table, table,
        OptionalLong.of(100 + sequence), Optional.of(at.minusSeconds(60)),
        OptionalLong.of(sourceVersion), OptionalLong.of(stagingVersion), OptionalLong.empty(),
        status, 3, 3000, 1, 1000, 9000, 9, 1234, 1,
        status == SyncStatus.FAILED ? Optional.of("boom") : Optional.empty(), at);
  }
}
