package io.deltasync.failover;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.RegionWalls;
import io.deltasync.sync.Sender;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Failback's two halves, each a job of one region. The reverse send runs in the secondary: it
 * stages the secondary's last completed state under {@code sync_location_primary}, fenced by the
 * forward ledger's epoch (the secondary must be the active region). The reverse receive runs in the
 * primary: it clones that staging into the primary tables (forced, since they are no clones of
 * it). Both take the forward config and confine it to their region before reversing the roles, so
 * neither can resolve the other region's tables.
 */
public final class ReverseSync {

  private final Sender.Builder sender;
  private final Receiver receiver;
  private final Function<WorkspaceConfig, SyncLedger> ledgers;

  /**
   * @param sender the sender's parts; its run sources are asked with the reversed workspace (whose
   *     "primary" is the secondary region)
   * @param receiver a receiver that replaces the target tables (forced clones)
   * @param ledgers the ledger under a workspace's {@code sync_location_secondary}
   */
  public ReverseSync(Sender.Builder sender, Receiver receiver,
      Function<WorkspaceConfig, SyncLedger> ledgers) {
    this.sender = Objects.requireNonNull(sender, "sender");
    this.receiver = Objects.requireNonNull(receiver, "receiver");
    this.ledgers = Objects.requireNonNull(ledgers, "ledgers");
  }

  /** The reverse send, in the secondary region, over every group of {@code forward}. */
  public CycleResult send(DeltaSyncConfig forward) {
    DeltaSyncConfig reverse = Roles.reversed(RegionWalls.confine(forward, Region.SECONDARY));
    return sender.region(Region.SECONDARY)
        // The epoch lives in the forward ledger: reversing the reversed workspace finds it.
        .epochs(reversed -> ledgers.apply(Roles.reversed(reversed)))
        .ledgers(ledgers)
        .build()
        .run(reverse, Sender.Request.all());
  }

  /** The reverse receive, in the primary region, over every group of {@code forward}. */
  public CycleResult receive(DeltaSyncConfig forward) {
    DeltaSyncConfig reverse = Roles.reversed(RegionWalls.confine(forward, Region.PRIMARY));
    return receiver.run(reverse, Optional.empty());
  }
}
