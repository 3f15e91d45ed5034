package io.deltasync.ledger;

/** The two regions of a DR setup, as the ledger names them. */
public enum Region {
  /** The region of {@code workspace_instance_url}: active when nothing failed over. */
  PRIMARY,
  /** The region of {@code secondary_workspace_instance_url}: active after a failover. */
  SECONDARY;

  public Region other() {
    return this == PRIMARY ? SECONDARY : PRIMARY;
  }
}
