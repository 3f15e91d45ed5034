package io.deltasync.faults;

/**
 * The named points where a sync step can be interrupted: the places between which a crash leaves a
 * different on-disk state. Production code reaches each with one call to {@link Faults#reach};
 * tests make a point throw or halt the JVM there, then check that nothing is lost or half-synced.
 */
public enum FailurePoint {
  /** The cloner copied one more data or deletion-vector file (reached once per file copied). */
  CLONE_AFTER_FILE_COPIED,
  /** Every file of a clone is in place; the target's commit is next. */
  CLONE_BEFORE_COMMIT,
  /** The target's clone commit landed; a throw here stands for a lost acknowledgement. */
  CLONE_AFTER_COMMIT,
  /** A ledger append is about to commit. */
  LEDGER_BEFORE_COMMIT,
  /** A ledger append committed; a throw here stands for a lost acknowledgement. */
  LEDGER_AFTER_COMMIT,
  /** The sender staged one table of a group and has more to stage. */
  SENDER_BETWEEN_TABLES,
  /** The sender staged every table of a group; the sync point is not recorded yet. */
  SENDER_BEFORE_SYNC_POINT,
  /**
   * The receiver checked the staging of every table of a sync point (whole or damaged) and has
   * applied nothing yet; when damaged, its {@code STAGING_DAMAGED} rows are not recorded yet.
   */
  RECEIVER_STAGING_CHECKED,
  /** The receiver applied one table of a sync point and has more to apply (mid-apply). */
  RECEIVER_BETWEEN_TABLES,
  /** The receiver applied every table of a sync point; the APPLIED rows are not recorded yet. */
  RECEIVER_BEFORE_APPLIED,
  /** A failover or failback brought every group to its point; the epoch record is next. */
  EPOCH_BEFORE_RECORD,
  /** The epoch record committed; nothing was promoted yet (a throw: a lost acknowledgement). */
  EPOCH_AFTER_RECORD
}
