package io.deltasync.ledger;

/** What a ledger row says happened to one table in one step. */
public enum SyncStatus {
  /** The sender cloned the table into staging and the row belongs to a recorded sync point. */
  STAGED,
  /** The receiver cloned the staged version into the registered secondary table. */
  APPLIED,
  /** The step failed for this table; the row's error says why. No sync point was recorded or applied. */
  FAILED,
  /**
   * The table was cloned fine, but another table of its group failed, so the group's step was not
   * recorded; kept for visibility (its staging version is not part of any sync point).
   */
  SKIPPED,
  /**
   * The receiver found this table's staging copy damaged (a file of the recorded staging version
   * missing or cut short, or the version unreadable) before applying anything; the row's error
   * names the files. Nothing of the sync point was applied. The sender's next cycle re-stages the
   * sync point (same run, same source versions) as a new sync point, which the receiver applies.
   */
  STAGING_DAMAGED,
  /**
   * The group's step (sender or receiver) ran longer than {@code group_timeout_mins} and was
   * stopped; one row per table, the error says so. Like FAILED, never a sync point and never an
   * applied one: the sender's tables staged so far stay unrecorded, the receiver records no
   * APPLIED row, and the next cycle takes the group up again.
   */
  TIMED_OUT,
  /**
   * One table of an epoch record: a role change (failover, failback) made {@code source_region}
   * the active region from epoch {@code epoch} on; the row's sequence is the group's recovery
   * point, its versions the table's state when the epoch began. Never a sync point.
   */
  EPOCH,
  /**
   * One table of a keep-primary drill's start ({@code drill --keep-primary}): from now on the
   * group's workflow runs in the secondary against its tables, so the receiver applies nothing to
   * them until the drill ends. The row's sequence, source and staging versions are the sync point
   * applied when the drill began, its target version the secondary table's version then (what the
   * drill puts it back to); its epoch is unchanged (the primary stays active). Never a sync point.
   */
  DRILL,
  /**
   * One table of a keep-primary drill's end, same sync id as its {@link #DRILL} rows: the table
   * is back at its version when the drill began (its target version is the table's version after
   * that), the drill's writes undone. The receiver applies again from then on.
   */
  DRILL_ENDED
}
