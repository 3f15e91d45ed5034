package io.deltasync.failover;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.clone.TableCloner;
import io.deltasync.clone.TableRestorer;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.sync.Placement;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a group's keep-primary drill: puts each of its secondary tables back at the version it had
 * when the drill began ({@code RESTORE}, one commit per table the drill wrote; a table it did not
 * write is left as it is), then appends the drill's {@link SyncStatus#DRILL_ENDED} rows. The
 * receiver applies the group again from then on. Failover ends an open drill the same way before
 * it promotes the group.
 *
 * <p>Back to the drill's start, not to the last applied sync point: right after a failback the
 * secondary's tables hold what was carried back, newer than the last sync point applied forward.
 * One exception: when a sync point was applied after the drill began (a receiver run its cancel
 * did not stop in time), that sync point is re-applied from staging instead, so that the tables
 * hold what the ledger says.
 *
 * <p>Safe to run again: a table already back is not written again, and the rows are appended once
 * (an unknown outcome is resolved by reading the ledger back).
 */
final class DrillRestorer {

  private static final Logger LOG = LoggerFactory.getLogger(DrillRestorer.class);

  private final TableCloner cloner;
  private final TableRestorer restorer;
  private final Clock clock;
  private final String principal;

  DrillRestorer(TableCloner cloner, TableRestorer restorer, Clock clock, String principal) {
    this.cloner = Objects.requireNonNull(cloner, "cloner");
    this.restorer = Objects.requireNonNull(restorer, "restorer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.principal = Objects.requireNonNull(principal, "principal");
  }

  /** The secondary table of a ledger row, as the group maps it. */
  static TableLocation secondary(WorkspaceConfig ws, SyncGroup group, LedgerRow row) {
    TableName source = TableName.parse(row.tableName());
    TableName secondary = group.secondaryOf(source)
        .orElseGet(() -> TableName.parse(row.secondaryTable()));
    return Placement.of(ws).secondary(secondary);
  }

  /** The secondary table's newest version: what a drill beginning now puts it back to. */
  long versionNow(WorkspaceConfig ws, SyncGroup group, LedgerRow row) {
    return cloner.latestVersion(secondary(ws, group, row));
  }

  /**
   * Puts the group's tables back and ends the drill whose rows carry sync id {@code drillId}.
   *
   * @return why it could not, if it could not (the drill then stays open: the receiver keeps off
   *     the group, and running this again, or failover, finishes it)
   */
  Optional<String> end(WorkspaceConfig ws, SyncGroup group, SyncLedger ledger, String drillId,
      String command) {
    LedgerState state = ledger.current(ws.name());
    List<LedgerRow> ofDrill = state.rows().stream().filter(r -> r.syncId().equals(drillId)
        && r.workspace().equals(ws.name()) && r.groupName().equals(group.name())).toList();
    if (ofDrill.stream().anyMatch(r -> r.status() == SyncStatus.DRILL_ENDED)) {
      return Optional.empty();
    }
    List<LedgerRow> started = ofDrill.stream().filter(r -> r.status() == SyncStatus.DRILL)
        .toList();
    Optional<SyncPoint> applied = state.lastApplied(ws.name(), group.name());
    boolean appliedSince = started.isEmpty() || applied.isPresent()
        && applied.get().sequence() > started.get(0).sequence();
    List<LedgerRow> ended = new ArrayList<>();
    if (!appliedSince) {
      for (LedgerRow row : started) {
        TableLocation target = secondary(ws, group, row);
        if (row.targetVersion().isEmpty()) {
          return Optional.of("the DRILL row of table " + target + " (drill " + drillId
              + ") records no version to put it back to; re-apply the last sync point by hand");
        }
        long version = row.targetVersion().getAsLong();
        long after;
        try {
          after = restorer.restore(target, version);
        } catch (RuntimeException e) {
          String why = "putting " + target + " back to its version " + version + " failed: "
              + SyncErrors.describe(e);
          LOG.error("{} {}/{}: {}", command, ws.name(), group.name(), why);
          return Optional.of(why);
        }
        LOG.info("{} {}/{}: table {} back at its version {} (as version {})", command, ws.name(),
            group.name(), target, version, after);
        ended.add(ended(ws, group, drillId, row, OptionalLong.of(after), Optional.empty()));
      }
    } else if (applied.isEmpty()) {
      return Optional.of("the rows of drill " + drillId + " are gone from the ledger's current"
          + " view and no sync point of group " + group.name() + " is applied: put its tables"
          + " back by hand");
    } else {
      Optional<String> failed = reapply(ws, group, applied.get(), drillId, ended, command);
      if (failed.isPresent()) {
        return failed;
      }
    }
    return append(ws, group, ledger, drillId, ended, command);
  }

  /** Re-applies {@code point} from staging, one clone per table; why it failed, if it did. */
  private Optional<String> reapply(WorkspaceConfig ws, SyncGroup group, SyncPoint point,
      String drillId, List<LedgerRow> ended, String command) {
    LOG.warn("{} {}/{}: sync point {} was applied after drill {} began; re-applying it", command,
        ws.name(), group.name(), point.sequence(), drillId);
    Placement placement = Placement.of(ws);
    for (LedgerRow row : point.tables()) {
      if (row.stagingVersion().isEmpty()) {
        return Optional.of(SyncErrors.noStagingVersion(group.name(), row.tableName(),
            point.syncId()).getMessage());
      }
      long version = row.stagingVersion().getAsLong();
      TableLocation staging = placement.staging(group, TableName.parse(row.tableName()));
      TableLocation target = secondary(ws, group, row);
      try {
        CloneResult result = cloner.clone(staging, version, target, CloneOptions.defaults());
        long after = result.targetVersion().isPresent() ? result.targetVersion().getAsLong()
            : cloner.latestVersion(target);
        ended.add(ended(ws, group, drillId, row, OptionalLong.of(after), Optional.of(result)));
      } catch (RuntimeException e) {
        String why = "re-applying " + staging + " version " + version + " (sync point "
            + point.sequence() + ") to " + target + " failed: " + SyncErrors.describe(e);
        LOG.error("{} {}/{}: {}", command, ws.name(), group.name(), why);
        return Optional.of(why);
      }
    }
    return Optional.empty();
  }

  private LedgerRow ended(WorkspaceConfig ws, SyncGroup group, String drillId, LedgerRow row,
      OptionalLong targetVersion, Optional<CloneResult> clone) {
    return new LedgerRow(LedgerRow.CURRENT_FORMAT, drillId, row.sequence(), ws.name(),
        group.name(), row.tableName(), row.secondaryTable(), row.runId(), row.runEndTime(),
        row.sourceVersion(), row.stagingVersion(), targetVersion, SyncStatus.DRILL_ENDED,
        clone.map(CloneResult::numCopiedFiles).orElse(0L),
        clone.map(CloneResult::copiedFilesSize).orElse(0L),
        clone.map(CloneResult::numRemovedFiles).orElse(0L),
        clone.map(CloneResult::removedFilesSize).orElse(0L),
        clone.map(CloneResult::sourceTableSize).orElse(0L),
        clone.map(CloneResult::sourceNumOfFiles).orElse(0L),
        clone.map(c -> c.duration().toMillis()).orElse(0L), 1, Optional.empty(), clock.instant(),
        row.epoch(), row.sourceRegion(), row.sourceTableId(), Optional.of(principal));
  }

  private static Optional<String> append(WorkspaceConfig ws, SyncGroup group, SyncLedger ledger,
      String drillId, List<LedgerRow> rows, String command) {
    try {
      ledger.append(rows, Optional.empty());
    } catch (RuntimeException e) {
      // Unknown outcome: read back, never append blindly.
      try {
        if (ledger.current(ws.name()).openDrill(ws.name(), group.name()).isEmpty()) {
          return Optional.empty();
        }
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      String why = "the tables are back where the drill found them, but its end could not be"
          + " recorded in the ledger at " + ledger.location() + ": " + SyncErrors.describe(e);
      LOG.error("{} {}/{}: {}", command, ws.name(), group.name(), why);
      return Optional.of(why);
    }
    LOG.info("{} {}/{}: drill {} ended", command, ws.name(), group.name(), drillId);
    return Optional.empty();
  }
}
