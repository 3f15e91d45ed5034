package io.deltasync.sync;

/** How one group fared in one sender or receiver cycle. */
public enum GroupStatus {
  /** Sender: a new sync point was recorded. Receiver: a sync point was applied. */
  SYNCED,
  /** Nothing changed since the last sync point (sender) or the newest one is applied (receiver). */
  UP_TO_DATE,
  /** The workflow has no successful run yet (or none newer than the one synced). */
  NO_RUN,
  /** A standalone group synced less than {@code sync_interval_mins} ago. */
  NOT_DUE,
  /** Another cycle recorded the same sync point first; this one recorded nothing. */
  ALREADY_RECORDED,
  /** Dry run: the plan was printed, nothing changed. */
  PLANNED,
  /** A table failed; nothing was recorded or applied for the group. */
  FAILED,
  /**
   * The group ran longer than {@code group_timeout_mins} and was stopped; nothing was recorded or
   * applied for it, and the other groups went on. A failure of the cycle.
   */
  TIMED_OUT,
  /**
   * Receiver: a keep-primary drill is running the group's workflow in the secondary (an open
   * {@code DRILL} record in the ledger); nothing is applied until the drill puts the tables back
   * and ends. Not a failure: the sync point waits.
   */
  IN_DRILL;

  public boolean failed() {
    return this == FAILED || this == TIMED_OUT;
  }
}
