package io.deltasync.verify;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.ledger.Epoch;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.sync.Placement;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import io.deltasync.verify.VerifyReport.Aspect;
import io.deltasync.verify.VerifyReport.Comparison;
import io.deltasync.verify.VerifyReport.Difference;
import io.deltasync.verify.VerifyReport.GroupResult;
import io.deltasync.verify.VerifyReport.Result;
import io.deltasync.verify.VerifyReport.Side;
import io.deltasync.verify.VerifyReport.TableResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code deltasync verify}: for each table of each group's last APPLIED sync point, compares the
 * secondary table (its newest version) with staging at the staging version the sync point
 * recorded, and with the primary at the recorded source version when the primary is reachable:
 * schema (names, types, nullability), row count and content checksum ({@link Fingerprint}).
 *
 * <p>Read-only; reads the ledger to its end before deciding anything. Every difference is
 * reported, never only the first. A group never applied is reported as such and is not a failure.
 * The primary is reachable in embedded mode (its folder); on Databricks the primary's tables live in
 * the primary workspace's metastore, which a job in the secondary region cannot read by name, so
 * the comparison there is with staging only (staging holds exactly the primary's recorded version).
 * So it is in embedded mode when verify runs confined to the secondary region
 * ({@code --region secondary}); without {@code --region} it reads both regions' folders, as an
 * observer, which only the local simulation can.
 */
public final class Verify {

  private static final Logger LOG = LoggerFactory.getLogger(Verify.class);

  static final String PRIMARY_NOT_REACHABLE_ON_DATABRICKS = "the primary's tables are registered"
      + " in the primary workspace's metastore, which verify (run in the secondary region) cannot"
      + " read by name; compared with staging only, which holds the recorded source version";

  static final String PRIMARY_NOT_IN_THIS_REGION = "verify runs in the secondary region"
      + " (--region secondary), which resolves only its own tables; compared with staging only,"
      + " which holds the recorded source version";

  private final Function<WorkspaceConfig, SyncLedger> ledgers;
  private final TableFingerprinter fingerprints;

  public Verify(Function<WorkspaceConfig, SyncLedger> ledgers, TableFingerprinter fingerprints) {
    this.ledgers = Objects.requireNonNull(ledgers, "ledgers");
    this.fingerprints = Objects.requireNonNull(fingerprints, "fingerprints");
  }

  /** Verifies every group (or only {@code group}). Throws only for an unknown group name. */
  public VerifyReport verify(DeltaSyncConfig config, Optional<String> group) {
    if (group.isPresent()
        && config.allGroups().stream().noneMatch(g -> g.name().equals(group.get()))) {
      throw SyncErrors.unknownGroup(group.get(),
          config.allGroups().stream().map(SyncGroup::name).toList());
    }
    List<GroupResult> results = new ArrayList<>();
    for (WorkspaceConfig workspace : config.workspaces()) {
      List<SyncGroup> groups = workspace.groups().stream()
          .filter(g -> group.isEmpty() || g.name().equals(group.get()))
          .toList();
      if (groups.isEmpty()) {
        continue;
      }
      LedgerState state;
      try {
        state = new LedgerState(ledgers.apply(workspace).read());
      } catch (RuntimeException e) {
        String why = "ledger unreadable: " + SyncErrors.describe(e);
        LOG.error("Workspace {}: {}", workspace.name(), why);
        for (SyncGroup g : groups) {
          results.add(new GroupResult(workspace.name(), g.name(), OptionalLong.empty(),
              Optional.empty(), OptionalLong.empty(), List.of(), Optional.of(why),
              Optional.empty()));
        }
        continue;
      }
      for (SyncGroup g : groups) {
        results.add(verifyGroup(workspace, g, state));
      }
    }
    return new VerifyReport(results);
  }

  private GroupResult verifyGroup(WorkspaceConfig workspace, SyncGroup group, LedgerState state) {
    Optional<SyncPoint> applied = state.lastApplied(workspace.name(), group.name());
    Epoch epoch = state.currentEpoch(workspace.name());
    Optional<String> epochText = Optional.of(epoch.describe());
    if (applied.isEmpty()) {
      LOG.info("Group {}/{}: nothing applied yet, nothing to verify", workspace.name(),
          group.name());
      return new GroupResult(workspace.name(), group.name(), OptionalLong.empty(), Optional.empty(),
          OptionalLong.empty(), List.of(), Optional.empty(), epochText);
    }
    SyncPoint point = applied.get();
    Placement placement = Placement.of(workspace);
    List<TableResult> tables = new ArrayList<>();
    for (LedgerRow row : point.tables()) {
      tables.add(verifyTable(workspace, group, row, placement, epoch));
    }
    GroupResult result = new GroupResult(workspace.name(), group.name(),
        OptionalLong.of(point.sequence()), Optional.of(point.syncId()), point.runId(), tables,
        Optional.empty(), epochText);
    LOG.info("Group {}/{}: sync point {} {}", workspace.name(), group.name(), point.sequence(),
        result.failed() ? "has mismatches" : "verified");
    return result;
  }

  private TableResult verifyTable(WorkspaceConfig workspace, SyncGroup group, LedgerRow row,
      Placement placement, Epoch epoch) {
    TableName source = TableName.parse(row.tableName());
    TableName secondary = group.secondaryOf(source)
        .orElseGet(() -> TableName.parse(row.secondaryTable()));
    TableLocation secondaryAt = placement.secondary(secondary);

    long secondaryVersion;
    Fingerprint actual;
    try {
      secondaryVersion = fingerprints.latestVersion(secondaryAt);
      actual = fingerprints.fingerprint(secondaryAt, secondaryVersion);
    } catch (RuntimeException e) {
      String why = SyncErrors.describe(e);
      LOG.error("Group {}/{}: secondary table {} unreadable: {}", workspace.name(), group.name(),
          secondaryAt, why);
      return new TableResult(source.toString(), secondary.toString(), secondaryAt.toString(),
          OptionalLong.empty(), row.targetVersion(), List.of(), Optional.of(why));
    }

    List<Comparison> comparisons = new ArrayList<>();
    TableLocation staging = placement.staging(group, source);
    if (row.stagingVersion().isEmpty()) {
      comparisons.add(notCompared(Side.STAGING, staging, -1,
          "the ledger row records no staging version"));
    } else {
      comparisons.add(compare(Side.STAGING, staging, row.stagingVersion().getAsLong(), actual));
    }
    long sourceVersion = row.sourceVersion().orElse(-1);
    // Since a failback the primary holds at least the state it received (the epoch's baseline):
    // a sync point below it would have rolled the secondary back, so it is compared with that.
    OptionalLong baseline = epoch.afterFailback()
        ? epoch.baseline(group.name(), row.tableName()) : OptionalLong.empty();
    if (baseline.isPresent() && row.sourceVersion().isPresent()
        && baseline.getAsLong() > sourceVersion) {
      LOG.warn("Group {}/{}: sync point {} holds version {} of {}, older than version {} the"
              + " primary received at {}; comparing with that", workspace.name(), group.name(),
          row.sequence(), sourceVersion, source, baseline.getAsLong(), epoch.describe());
      sourceVersion = baseline.getAsLong();
    }
    if (!workspace.embedded()) {
      comparisons.add(notCompared(Side.PRIMARY, TableLocation.named(source), sourceVersion,
          PRIMARY_NOT_REACHABLE_ON_DATABRICKS));
    } else if (!workspace.local().get().primaryReachable()) {
      comparisons.add(notCompared(Side.PRIMARY, TableLocation.named(source), sourceVersion,
          PRIMARY_NOT_IN_THIS_REGION));
    } else if (row.sourceVersion().isEmpty()) {
      comparisons.add(notCompared(Side.PRIMARY, placement.primary(source), -1,
          "the ledger row records no source version"));
    } else {
      comparisons.add(compare(Side.PRIMARY, placement.primary(source), sourceVersion, actual));
    }
    for (Comparison c : comparisons) {
      if (c.result() == Result.MISMATCH) {
        LOG.warn("Group {}/{}: table {} (version {}) differs from {} {} version {}: {}",
            workspace.name(), group.name(), secondary, secondaryVersion, c.side().label(),
            c.location(), c.version(),
            c.differences().stream().map(d -> d.describe(c.side())).toList());
      }
    }
    return new TableResult(source.toString(), secondary.toString(), secondaryAt.toString(),
        OptionalLong.of(secondaryVersion), row.targetVersion(), comparisons, Optional.empty());
  }

  private Comparison compare(Side side, TableLocation location, long version, Fingerprint actual) {
    Fingerprint expected;
    try {
      expected = fingerprints.fingerprint(location, version);
    } catch (RuntimeException e) {
      return notCompared(side, location, version, SyncErrors.describe(e));
    }
    List<Difference> differences = differences(actual, expected);
    return new Comparison(side, location.toString(), version,
        differences.isEmpty() ? Result.MATCH : Result.MISMATCH, differences, Optional.empty());
  }

  private static Comparison notCompared(Side side, TableLocation location, long version,
      String why) {
    return new Comparison(side, location.toString(), version, Result.NOT_COMPARED, List.of(),
        Optional.of(why));
  }

  /** Every difference between the secondary's fingerprint and the other side's. */
  static List<Difference> differences(Fingerprint secondary, Fingerprint other) {
    List<Difference> out = new ArrayList<>();
    Map<String, Fingerprint.Column> mine = byName(secondary.columns());
    Map<String, Fingerprint.Column> theirs = byName(other.columns());
    java.util.SortedSet<String> names = new java.util.TreeSet<>(mine.keySet());
    names.addAll(theirs.keySet());
    for (String name : names) {
      Fingerprint.Column a = mine.get(name);
      Fingerprint.Column b = theirs.get(name);
      if (a == null || b == null) {
        out.add(new Difference(Aspect.SCHEMA, Optional.of(name),
            a == null ? "absent" : a.type() + (a.nullable() ? "" : " not null"),
            b == null ? "absent" : b.type() + (b.nullable() ? "" : " not null")));
      } else if (!a.type().equals(b.type())) {
        out.add(new Difference(Aspect.SCHEMA, Optional.of(name), "type " + a.type(),
            "type " + b.type()));
      } else if (a.nullable() != b.nullable()) {
        out.add(new Difference(Aspect.SCHEMA, Optional.of(name), nullability(a), nullability(b)));
      }
    }
    if (secondary.rowCount() != other.rowCount()) {
      out.add(new Difference(Aspect.ROW_COUNT, Optional.empty(),
          Long.toString(secondary.rowCount()), Long.toString(other.rowCount())));
    }
    if (!secondary.checksum().equals(other.checksum())) {
      out.add(new Difference(Aspect.CHECKSUM, Optional.empty(), secondary.checksum().toString(),
          other.checksum().toString()));
    }
    return out;
  }

  private static String nullability(Fingerprint.Column column) {
    return column.nullable() ? "nullable" : "not null";
  }

  private static Map<String, Fingerprint.Column> byName(List<Fingerprint.Column> columns) {
    Map<String, Fingerprint.Column> map = new LinkedHashMap<>();
    columns.forEach(c -> map.put(c.name(), c));
    return map;
  }
}
