package io.deltasync.failover;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.clone.TableCloner;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
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
 * Ends a group's keep-primary drill: clones the staging version of each table of the group's last
 * applied sync point into its secondary table again (undoing whatever the drill's workflow runs
 * wrote, in one commit per table; a table the drill did not write is left as it is), then appends
 * the drill's {@link SyncStatus#DRILL_ENDED} rows. The receiver applies the group again from then
 * on. Failover ends an open drill the same way before it promotes the group.
 *
 * <p>Safe to run again: a table already re-applied is not written again, and the rows are
 * appended once (an unknown outcome is resolved by reading the ledger back).
 */
final class DrillRestorer {

  private static final Logger LOG = LoggerFactory.getLogger(DrillRestorer.class);

  private final TableCloner cloner;
  private final Clock clock;
  private final String principal;

  DrillRestorer(TableCloner cloner, Clock clock, String principal) {
    this.cloner = Objects.requireNonNull(cloner, "cloner");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.principal = Objects.requireNonNull(principal, "principal");
  }

  /**
   * Re-applies the group's last applied sync point and ends the drill whose rows carry sync id
   * {@code drillId}.
   *
   * @return why it could not, if it could not (the drill then stays open: the receiver keeps off
   *     the group, and running this again, or failover, finishes it)
   */
  Optional<String> end(WorkspaceConfig ws, SyncGroup group, SyncLedger ledger, String drillId,
      String command) {
    LedgerState state = ledger.current(ws.name());
    if (state.rows().stream().anyMatch(r -> r.status() == SyncStatus.DRILL_ENDED
        && r.syncId().equals(drillId) && r.groupName().equals(group.name()))) {
      return Optional.empty();
    }
    Optional<SyncPoint> applied = state.lastApplied(ws.name(), group.name());
    if (applied.isEmpty()) {
      return Optional.of("no sync point of group " + group.name() + " is applied: there is nothing"
          + " to re-apply after drill " + drillId);
    }
    SyncPoint point = applied.get();
    Placement placement = Placement.of(ws);
    List<LedgerRow> ended = new ArrayList<>();
    for (LedgerRow row : point.tables()) {
      TableName source = TableName.parse(row.tableName());
      TableName secondary = group.tables().stream().filter(m -> m.source().equals(source))
          .map(TableMapping::secondary).findFirst()
          .orElseGet(() -> TableName.parse(row.secondaryTable()));
      if (row.stagingVersion().isEmpty()) {
        return Optional.of(SyncErrors.noStagingVersion(group.name(), row.tableName(),
            point.syncId()).getMessage());
      }
      long version = row.stagingVersion().getAsLong();
      TableLocation staging = placement.staging(group, source);
      TableLocation target = placement.secondary(secondary);
      CloneResult result;
      long targetVersion;
      try {
        result = cloner.clone(staging, version, target, CloneOptions.defaults());
        targetVersion = result.targetVersion().isPresent() ? result.targetVersion().getAsLong()
            : cloner.latestVersion(target);
      } catch (RuntimeException e) {
        String why = "re-applying " + staging + " version " + version + " (sync point "
            + point.sequence() + ") to " + target + " failed: " + SyncErrors.describe(e);
        LOG.error("{} {}/{}: {}", command, ws.name(), group.name(), why);
        return Optional.of(why);
      }
      LOG.info("{} {}/{}: table {} back at sync point {} (staging version {}) as version {}:"
              + " {} files copied, {} removed", command, ws.name(), group.name(), secondary,
          point.sequence(), version, targetVersion, result.numCopiedFiles(),
          result.numRemovedFiles());
      ended.add(new LedgerRow(LedgerRow.CURRENT_FORMAT, drillId, point.sequence(),
          ws.name(), group.name(), row.tableName(), secondary.toString(), point.runId(),
          point.runEndTime(), row.sourceVersion(), row.stagingVersion(),
          OptionalLong.of(targetVersion), SyncStatus.DRILL_ENDED, result.numCopiedFiles(),
          result.copiedFilesSize(), result.numRemovedFiles(), result.removedFilesSize(),
          result.sourceTableSize(), result.sourceNumOfFiles(), result.duration().toMillis(), 1,
          Optional.empty(), clock.instant(), row.epoch(), row.sourceRegion(),
          row.sourceTableId(), Optional.of(principal)));
    }
    return append(ws, group, ledger, drillId, ended, command);
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
      String why = "the tables are back at the sync point, but the drill's end could not be"
          + " recorded in the ledger at " + ledger.location() + ": " + SyncErrors.describe(e);
      LOG.error("{} {}/{}: {}", command, ws.name(), group.name(), why);
      return Optional.of(why);
    }
    LOG.info("{} {}/{}: drill {} ended", command, ws.name(), group.name(), drillId);
    return Optional.empty();
  }
}
