package io.deltasync.failover;

import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.faults.FailurePoint;
import io.deltasync.faults.Faults;
import io.deltasync.ledger.Epoch;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends the epoch record of a role change to a workspace's (forward) ledger: the next epoch
 * number, the region made active, when, by whom, and per table of every group its recovery point
 * and versions. Idempotent: the append carries {@link LedgerTxn#epoch} with the new number, so a
 * retried or concurrent failover records one epoch; a region already active records none.
 * On an unknown outcome it re-reads the ledger and decides, never appends blindly.
 */
final class EpochRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EpochRecorder.class);

  private final Clock clock;
  private final String principal;
  private final Faults faults;

  EpochRecorder(Clock clock, String principal, Faults faults) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.principal = Objects.requireNonNull(principal, "principal");
    this.faults = Objects.requireNonNull(faults, "faults");
  }

  /** The name recorded as {@code changed_by} when none is configured: the OS user running it. */
  static String defaultPrincipal() {
    return Optional.ofNullable(System.getProperty("user.name")).filter(n -> !n.isBlank())
        .orElse("unknown");
  }

  /** One table's state when the role changes, in forward names (primary table, secondary table). */
  record TablePoint(String group, String table, String secondaryTable, long recoverySequence,
      OptionalLong runId, Optional<java.time.Instant> runEndTime, OptionalLong primaryVersion,
      OptionalLong stagingVersion, OptionalLong secondaryVersion) {}

  /**
   * Makes {@code active} the active region of {@code ws}: appends the next epoch unless the ledger's
   * current epoch already has it active.
   *
   * @return the epoch in force afterwards
   * @throws io.deltasync.errors.SyncException when the record cannot be appended (nothing may be
   *     promoted then; the command is to be run again)
   */
  Epoch makeActive(WorkspaceConfig ws, SyncLedger ledger, Region active, List<TablePoint> tables,
      String command) {
    Epoch current = ledger.current(ws.name()).currentEpoch(ws.name());
    if (current.active() == active) {
      LOG.info("Workspace {}: {} already in force; no epoch recorded", ws.name(),
          current.describe());
      return current;
    }
    long number = current.number() + 1;
    String syncId = "epoch-" + number + "-" + UUID.randomUUID();
    java.time.Instant now = clock.instant();
    List<LedgerRow> rows = new ArrayList<>();
    for (TablePoint t : tables) {
      rows.add(new LedgerRow(LedgerRow.CURRENT_FORMAT, syncId, t.recoverySequence(), ws.name(),
          t.group(), t.table(), t.secondaryTable(), t.runId(), t.runEndTime(), t.primaryVersion(),
          t.stagingVersion(), t.secondaryVersion(), SyncStatus.EPOCH, 0, 0, 0, 0, 0, 0, 0, 1,
          Optional.empty(), now, number, active, Optional.empty(), Optional.of(principal)));
    }
    if (rows.isEmpty()) {
      // A workspace without tables still changes roles: one row stands for the record.
      rows.add(new LedgerRow(LedgerRow.CURRENT_FORMAT, syncId, 0, ws.name(), "", "", "",
          OptionalLong.empty(), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(),
          OptionalLong.empty(), SyncStatus.EPOCH, 0, 0, 0, 0, 0, 0, 0, 1, Optional.empty(), now,
          number, active, Optional.empty(), Optional.of(principal)));
    }
    faults.reach(FailurePoint.EPOCH_BEFORE_RECORD);
    try {
      ledger.append(rows, Optional.of(LedgerTxn.epoch(ws.name(), number)));
    } catch (RuntimeException e) {
      // Unknown outcome: re-read and decide.
      Epoch after;
      try {
        after = ledger.current(ws.name()).currentEpoch(ws.name());
      } catch (RuntimeException again) {
        e.addSuppressed(again);
        throw SyncErrors.epochRecordFailed(ledger.location(), ws.name(), number, active, command,
            e);
      }
      if (after.number() < number || after.active() != active) {
        throw SyncErrors.epochRecordFailed(ledger.location(), ws.name(), number, active, command,
            e);
      }
    }
    Epoch recorded = ledger.current(ws.name()).currentEpoch(ws.name());
    LOG.info("Workspace {}: {} recorded in the ledger at {}", ws.name(), recorded.describe(),
        ledger.location());
    faults.reach(FailurePoint.EPOCH_AFTER_RECORD);
    return recorded;
  }
}
