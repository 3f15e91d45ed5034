package io.deltasync.ledger;

import java.util.Objects;

/**
 * The idempotency key of one ledger append: Delta's {@code txnAppId} and {@code txnVersion}. The
 * ledger records the newest version committed per application id; an append whose version is not
 * above it is skipped, and two appends racing with the same key cannot both commit.
 *
 * @param appId e.g. {@code deltasync-sender/<workspace>/<group>}
 * @param version strictly increasing per appId, e.g. the group's sync point sequence number
 */
public record LedgerTxn(String appId, long version) {

  public LedgerTxn {
    Objects.requireNonNull(appId, "appId");
    if (appId.isBlank()) {
      throw new IllegalArgumentException("appId must not be blank");
    }
    if (version < 0) {
      throw new IllegalArgumentException("txn version must not be negative, got " + version);
    }
  }

  public static LedgerTxn sender(String workspace, String group, long sequence) {
    return new LedgerTxn("deltasync-sender/" + workspace + "/" + group, sequence);
  }

  public static LedgerTxn receiver(String workspace, String group, long sequence) {
    return new LedgerTxn("deltasync-receiver/" + workspace + "/" + group, sequence);
  }

  /** An epoch record: at most one record per epoch number, however often a role change is retried. */
  public static LedgerTxn epoch(String workspace, long epoch) {
    return new LedgerTxn("deltasync-epoch/" + workspace, epoch);
  }
}
