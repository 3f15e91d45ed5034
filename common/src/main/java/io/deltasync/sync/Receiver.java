package io.deltasync.sync;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.clone.StagingCheck;
import io.deltasync.clone.TableCloner;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.faults.FailurePoint;
import io.deltasync.faults.Faults;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver: for every group, applies the newest staged sync point not yet applied, cloning each
 * staging table AS OF the staging version the sync point recorded into the registered secondary
 * table, then records the APPLIED rows in one ledger commit.
 *
 * <ul>
 *   <li>It reads the ledger to its end before deciding anything.
 *   <li>It never applies a sync point older than (or equal to) the one applied, so no table moves
 *       backward, nor one staged under an older epoch than the ledger's current one: a region
 *       that lost its role may have staged it late ({@link LedgerState#fencedOff}).
 *   <li>It reads staging only at recorded versions: anything written to staging afterwards is
 *       ignored.
 *   <li>Before applying any table it checks every table's staging version ({@link StagingCheck}:
 *       the log holds it and its files are present, a listing). When staging is damaged it applies
 *       nothing and records one {@code STAGING_DAMAGED} row per damaged table; the sender's next
 *       cycle re-stages the sync point, and the receiver applies that one.
 *   <li>When a table fails, no APPLIED rows are written (FAILED rows are); the next cycle applies
 *       the same sync point again (roll forward), and tables already applied copy nothing (the
 *       cloner is idempotent). A table that failed because its staging lost a file after the check
 *       is recorded {@code STAGING_DAMAGED}, so the sender re-stages it. A group is thus
 *       half-applied only while a cycle runs, or until the next cycle after a crash.
 * </ul>
 */
public final class Receiver {

  private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);

  private final Function<WorkspaceConfig, SyncLedger> ledgers;
  private final TableCloner cloner;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Random random;
  private final Duration retryBase;
  private final CloneOptions cloneOptions;
  private final GroupListener listener;
  private final Faults faults;
  private final StagingCheck stagingCheck;
  private final GroupTimer groupTimer;

  public Receiver(Function<WorkspaceConfig, SyncLedger> ledgers, TableCloner cloner, Clock clock,
      Sleeper sleeper, Random random, Duration retryBase, CloneOptions cloneOptions,
      GroupListener listener) {
    this(ledgers, cloner, clock, sleeper, random, retryBase, cloneOptions, listener, Faults.NONE);
  }

  /** A receiver that reaches the {@code RECEIVER_*} {@link FailurePoint}s through {@code faults}. */
  public Receiver(Function<WorkspaceConfig, SyncLedger> ledgers, TableCloner cloner, Clock clock,
      Sleeper sleeper, Random random, Duration retryBase, CloneOptions cloneOptions,
      GroupListener listener, Faults faults) {
    this(ledgers, cloner, clock, sleeper, random, retryBase, cloneOptions, listener, faults,
        StagingCheck.LOG_ONLY);
  }

  /** A receiver that checks staging files with {@code stagingCheck} before applying anything. */
  public Receiver(Function<WorkspaceConfig, SyncLedger> ledgers, TableCloner cloner, Clock clock,
      Sleeper sleeper, Random random, Duration retryBase, CloneOptions cloneOptions,
      GroupListener listener, Faults faults, StagingCheck stagingCheck) {
    this(ledgers, cloner, clock, sleeper, random, retryBase, cloneOptions, listener, faults,
        stagingCheck, GroupTimer.system());
  }

  private Receiver(Function<WorkspaceConfig, SyncLedger> ledgers, TableCloner cloner, Clock clock,
      Sleeper sleeper, Random random, Duration retryBase, CloneOptions cloneOptions,
      GroupListener listener, Faults faults, StagingCheck stagingCheck, GroupTimer groupTimer) {
    this.groupTimer = Objects.requireNonNull(groupTimer, "groupTimer");
    this.stagingCheck = Objects.requireNonNull(stagingCheck, "stagingCheck");
    this.ledgers = Objects.requireNonNull(ledgers, "ledgers");
    this.cloner = Objects.requireNonNull(cloner, "cloner");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
    this.retryBase = Objects.requireNonNull(retryBase, "retryBase");
    this.cloneOptions = Objects.requireNonNull(cloneOptions, "cloneOptions");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.faults = Objects.requireNonNull(faults, "faults");
  }

  /** This receiver with {@code timer} starting each group's time limit (tests expire it by hand). */
  public Receiver withGroupTimer(GroupTimer timer) {
    return new Receiver(ledgers, cloner, clock, sleeper, random, retryBase, cloneOptions, listener,
        faults, stagingCheck, timer);
  }

  /** A receiver with the production clock, sleeper and retry timing. */
  public static Receiver create(Function<WorkspaceConfig, SyncLedger> ledgers, TableCloner cloner,
      StagingCheck stagingCheck, GroupListener listener) {
    return new Receiver(ledgers, cloner, Clock.systemUTC(), Sleeper.system(), new Random(),
        Duration.ofSeconds(2), CloneOptions.defaults(), listener, Faults.NONE, stagingCheck);
  }

  /** Runs one cycle over every workspace and the selected groups. Never throws for a failed group. */
  public CycleResult run(DeltaSyncConfig config, Optional<String> group) {
    Selection.requireKnown(config, group);
    List<GroupOutcome> outcomes = new ArrayList<>();
    for (WorkspaceConfig workspace : config.workspaces()) {
      List<SyncGroup> groups = Selection.groups(workspace, group);
      if (!groups.isEmpty()) {
        outcomes.addAll(runWorkspace(workspace, groups));
      }
    }
    return new CycleResult(GroupOutcome.Step.RECEIVE, false, outcomes);
  }

  private List<GroupOutcome> runWorkspace(WorkspaceConfig workspace, List<SyncGroup> groups) {
    SyncLedger ledger;
    LedgerState state;
    try {
      ledger = ledgers.apply(workspace);
      state = ledger.current(workspace.name());
    } catch (RuntimeException e) {
      String why = SyncErrors.describe(e);
      LOG.error("Workspace {}: cannot read the ledger: {}", workspace.name(), why);
      return groups.stream()
          .map(g -> tell(outcome(workspace, g, GroupStatus.FAILED, Optional.empty(), List.of(),
              Optional.of(why)).timed(clock.instant(), clock.instant())))
          .toList();
    }
    Placement placement = Placement.of(workspace);
    Retrier retrier = new Retrier(workspace.maxRetries(), retryBase, Duration.ofMinutes(2), sleeper,
        random);
    GroupPool pool = new GroupPool(GroupOutcome.Step.RECEIVE, workspace.name(),
        workspace.parallelism(), groupTimer);
    return pool.run(groups, (group, deadline) -> runGroup(workspace, group,
        new GroupWork(deadline, pool), ledger, state, placement, retrier));
  }

  /** The group's time limit and the pool its tables run on. */
  private record GroupWork(GroupDeadline deadline, GroupPool pool) {}

  /** One group's step, on one of the pool's threads; never throws for a failed group. */
  private GroupOutcome runGroup(WorkspaceConfig workspace, SyncGroup group, GroupWork work,
      SyncLedger ledger, LedgerState state, Placement placement, Retrier retrier) {
    Instant started = clock.instant();
    GroupOutcome outcome;
    try {
      outcome = applyGroup(workspace, group, work, ledger, state, placement, retrier);
    } catch (RuntimeException e) {
      if (!work.deadline().commitUnlessTimedOut()) {
        outcome = timedOut(workspace, group, work.deadline(), ledger, state);
      } else {
        String why = SyncErrors.describe(e);
        LOG.error("Group {}/{}: failed: {}", workspace.name(), group.name(), why);
        outcome = outcome(workspace, group, GroupStatus.FAILED, Optional.empty(), List.of(),
            Optional.of(why));
      }
    }
    return tell(outcome.timed(started, clock.instant()));
  }

  /**
   * A group its time limit stopped: one TIMED_OUT row per table of the sync point it was applying,
   * no APPLIED row. The next cycle applies the same sync point again (tables already applied copy
   * nothing).
   */
  private GroupOutcome timedOut(WorkspaceConfig workspace, SyncGroup group,
      GroupDeadline deadline, SyncLedger ledger, LedgerState state) {
    Thread.interrupted(); // the limit's interrupt is spent; the ledger append must not see it
    String why = deadline.describe();
    LOG.error("Group {}/{}: {}", workspace.name(), group.name(), why);
    Optional<SyncPoint> point = state.lastApplicable(workspace.name(), group.name());
    if (point.isPresent()) {
      List<LedgerRow> rows = point.get().tables().stream()
          .map(row -> new LedgerRow(LedgerRow.CURRENT_FORMAT, point.get().syncId(),
              point.get().sequence(), workspace.name(), group.name(), row.tableName(),
              row.secondaryTable(), point.get().runId(), point.get().runEndTime(),
              row.sourceVersion(), row.stagingVersion(), OptionalLong.empty(),
              SyncStatus.TIMED_OUT, 0, 0, 0, 0, 0, 0, 0, 1, Optional.of(why), clock.instant())
              .under(row.epoch(), row.sourceRegion(), row.sourceTableId()))
          .toList();
      try {
        ledger.append(rows, Optional.empty());
      } catch (RuntimeException e) {
        LOG.warn("Group {}/{}: could not record the time-out in the ledger at {}: {}",
            workspace.name(), group.name(), ledger.location(), SyncErrors.describe(e));
      }
    }
    return outcome(workspace, group, GroupStatus.TIMED_OUT, point, List.of(), Optional.of(why));
  }

  private GroupOutcome applyGroup(WorkspaceConfig workspace, SyncGroup group, GroupWork work,
      SyncLedger ledger, LedgerState state, Placement placement, Retrier retrier) {
    Optional<SyncPoint> staged = state.lastApplicable(workspace.name(), group.name());
    Optional<SyncPoint> applied = state.lastApplied(workspace.name(), group.name());
    for (SyncPoint late : state.fencedOff(workspace.name(), group.name())) {
      LOG.warn("Group {}/{}: sync point {} (sync {}) was staged from the {} region under epoch {},"
              + " older than the ledger's {}; it is never applied", workspace.name(), group.name(),
          late.sequence(), late.syncId(), late.sourceRegion(), late.epoch(),
          state.currentEpoch(workspace.name()).describe());
    }
    Optional<SyncPoint> drill = state.openDrill(workspace.name(), group.name());
    if (drill.isPresent()) {
      String why = "drill " + drill.get().syncId() + " began " + drill.get().recordedAt()
          + " at sync point " + drill.get().sequence() + "; it puts the tables back when it ends";
      LOG.warn("Group {}/{}: not applied: {}", workspace.name(), group.name(), why);
      return outcome(workspace, group, GroupStatus.IN_DRILL, Optional.empty(), List.of(),
          Optional.of(why));
    }
    if (staged.isEmpty()) {
      LOG.info("Group {}/{}: no sync point staged yet", workspace.name(), group.name());
      return outcome(workspace, group, GroupStatus.NO_RUN, Optional.empty(), List.of(),
          Optional.empty());
    }
    SyncPoint point = staged.get();
    if (applied.isPresent() && applied.get().sequence() >= point.sequence()) {
      LOG.info("Group {}/{}: sync point {} is applied; nothing newer staged", workspace.name(),
          group.name(), applied.get().sequence());
      return new GroupOutcome(GroupOutcome.Step.RECEIVE, workspace.name(), group.name(),
          GroupStatus.UP_TO_DATE, Optional.empty(), OptionalLong.of(applied.get().sequence()),
          Optional.of(applied.get().syncId()), List.of(), Optional.empty());
    }
    LOG.info("Group {}/{}: applying sync point {} (sync {}, run {}), last applied {}",
        workspace.name(), group.name(), point.sequence(), point.syncId(),
        point.runId().isPresent() ? Long.toString(point.runId().getAsLong()) : "standalone",
        applied.map(a -> Long.toString(a.sequence())).orElse("none"));

    // Apply nothing unless every staging table still holds its recorded version, whole.
    Set<TableName> damaged = new java.util.HashSet<>();
    List<TableOutcome> tables = checkStaging(group, point, placement, damaged);
    faults.reach(FailurePoint.RECEIVER_STAGING_CHECKED);
    if (tables.stream().noneMatch(TableOutcome::failed)) {
      List<java.util.concurrent.Callable<TableOutcome>> tasks = new ArrayList<>();
      for (LedgerRow row : point.tables()) {
        boolean first = tasks.isEmpty();
        tasks.add(() -> {
          if (!first) {
            faults.reach(FailurePoint.RECEIVER_BETWEEN_TABLES);
          }
          return applyTable(workspace, group, point, row, applied, placement, retrier);
        });
      }
      tables = work.pool().eachTable(work.deadline(), tasks);
      work.deadline().check(); // stopped while applying: no APPLIED row
      tables = recheckFailed(group, point, placement, tables, damaged);
    }
    List<TableOutcome> failed = tables.stream().filter(TableOutcome::failed).toList();
    if (!failed.isEmpty()) {
      work.deadline().beginCommit();
      String why = failed.stream()
          .map(t -> t.table() + " (staging version " + t.sourceVersion() + " into " + t.secondary()
              + "): " + t.error().orElseThrow())
          .reduce((a, b) -> a + "; " + b).orElseThrow();
      try {
        ledger.append(rows(workspace, group, point, tables, true, damaged), Optional.empty());
      } catch (RuntimeException e) {
        LOG.warn("Group {}/{}: could not record the failure in the ledger at {}: {}",
            workspace.name(), group.name(), ledger.location(), SyncErrors.describe(e));
      }
      return outcome(workspace, group, GroupStatus.FAILED, Optional.of(point), tables,
          Optional.of("sync point " + point.sequence() + " not applied: " + why));
    }

    faults.reach(FailurePoint.RECEIVER_BEFORE_APPLIED);
    List<LedgerRow> rows = rows(workspace, group, point, tables, false, Set.of());
    work.deadline().beginCommit(); // the APPLIED rows are one atomic commit: never interrupted
    SyncLedger.AppendOutcome appended;
    try {
      appended = ledger.append(rows,
          Optional.of(LedgerTxn.receiver(workspace.name(), group.name(), point.sequence())));
    } catch (RuntimeException e) {
      // Unknown outcome: re-read and decide. The tables hold the sync point either way, and a
      // later cycle re-applying it copies nothing.
      LedgerState reread = new LedgerState(ledger.read());
      Optional<SyncPoint> nowApplied = reread.lastApplied(workspace.name(), group.name());
      if (nowApplied.isEmpty() || nowApplied.get().sequence() < point.sequence()) {
        throw SyncErrors.ledgerAppendFailed(ledger.location(), group.name(), point.syncId(), e);
      }
      appended = SyncLedger.AppendOutcome.APPENDED;
    }
    GroupStatus status = appended == SyncLedger.AppendOutcome.APPENDED
        ? GroupStatus.SYNCED : GroupStatus.ALREADY_RECORDED;
    LOG.info("Group {}/{}: sync point {} applied ({} tables, {} bytes copied){}", workspace.name(),
        group.name(), point.sequence(), tables.size(),
        tables.stream().mapToLong(TableOutcome::copiedBytes).sum(),
        status == GroupStatus.ALREADY_RECORDED ? "; another receiver recorded it first" : "");
    return outcome(workspace, group, status, Optional.of(point), tables, Optional.empty());
  }

  /**
   * A failed outcome for each table whose staging copy is gone (deleted by hand), older than the
   * sync point recorded, or damaged (a file of its version missing: added to {@code damaged}), a
   * plain one for the others. Unreachable storage is thrown, not reported as gone.
   */
  private List<TableOutcome> checkStaging(SyncGroup group, SyncPoint point, Placement placement,
      Set<TableName> damaged) {
    List<TableOutcome> checked = new ArrayList<>();
    for (LedgerRow row : point.tables()) {
      TableName source = TableName.parse(row.tableName());
      TableLocation staging = placement.staging(group, source);
      long recorded = row.stagingVersion().orElse(-1);
      String why = null;
      try {
        long latest = cloner.latestVersion(staging);
        if (latest < recorded) {
          why = "its latest version is " + latest + ": it was replaced";
        }
      } catch (io.deltasync.errors.SyncException e) {
        if (!SyncErrors.isTableMissing(e)) {
          throw e; // unreachable, throttled, no permission ...: not "deleted"
        }
        why = "it is not a Delta table any more: it was deleted";
      }
      Optional<String> error = Optional.ofNullable(why).map(w -> SyncErrors.stagingGone(
          group.name(), point.sequence(), row.tableName(), staging, recorded, w).getMessage());
      if (error.isEmpty()) {
        error = damage(group, point, row, staging, recorded);
        if (error.isPresent()) {
          damaged.add(source);
        }
      }
      error.ifPresent(e -> LOG.error("Group {}: {}", group.name(), e));
      checked.add(new TableOutcome(source, TableName.parse(row.secondaryTable()), recorded,
          OptionalLong.empty(), row.stagingVersion(), OptionalLong.empty(), OptionalLong.empty(),
          Optional.empty(), 0, Duration.ZERO, error));
    }
    return checked;
  }

  /** The stagingDamaged message when the staging version is not whole, checked by a listing. */
  private Optional<String> damage(SyncGroup group, SyncPoint point, LedgerRow row,
      TableLocation staging, long recorded) {
    return stagingCheck.check(staging, recorded).map(d -> SyncErrors.stagingDamaged(group.name(),
        point.sequence(), row.tableName(), staging, recorded, row.sourceVersion().orElse(-1),
        d.describe()).getMessage());
  }

  /**
   * Checks again the staging of each table that failed to apply: when it lost a file since the
   * check (the cloner then reports a missing source file), the table is recorded damaged, with
   * what is really missing, so that the sender re-stages it.
   */
  private List<TableOutcome> recheckFailed(SyncGroup group, SyncPoint point, Placement placement,
      List<TableOutcome> tables, Set<TableName> damaged) {
    List<TableOutcome> checked = new ArrayList<>();
    for (TableOutcome t : tables) {
      Optional<String> damage = Optional.empty();
      if (t.failed() && t.stagingVersion().isPresent()) {
        LedgerRow row = point.table(t.table().toString()).orElseThrow();
        try {
          damage = damage(group, point, row, placement.staging(group, t.table()),
              t.stagingVersion().getAsLong());
        } catch (RuntimeException e) {
          LOG.warn("Group {}: cannot check the staging of {} again: {}", group.name(), t.table(),
              SyncErrors.describe(e));
        }
      }
      if (damage.isPresent()) {
        damaged.add(t.table());
        LOG.error("Group {}: {}", group.name(), damage.get());
        checked.add(new TableOutcome(t.table(), t.secondary(), t.sourceVersion(),
            t.previousVersion(), t.stagingVersion(), t.targetVersion(), t.bytesToCopy(),
            t.cloneResult(), t.attempts(), t.duration(), damage));
      } else {
        checked.add(t);
      }
    }
    return checked;
  }

  private TableOutcome applyTable(WorkspaceConfig workspace, SyncGroup group, SyncPoint point,
      LedgerRow row, Optional<SyncPoint> applied, Placement placement, Retrier retrier) {
    TableName source = TableName.parse(row.tableName());
    TableName secondary = group.secondaryOf(source)
        .orElseGet(() -> TableName.parse(row.secondaryTable()));
    OptionalLong previous = applied.flatMap(a -> a.table(row.tableName()))
        .map(LedgerRow::stagingVersion).orElse(OptionalLong.empty());
    if (row.stagingVersion().isEmpty()) {
      String why = SyncErrors.noStagingVersion(group.name(), row.tableName(), point.syncId())
          .getMessage();
      return new TableOutcome(source, secondary, -1, previous, OptionalLong.empty(),
          OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), 0, Duration.ZERO,
          Optional.of(why));
    }
    long stagingVersion = row.stagingVersion().getAsLong();
    TableLocation staging = placement.staging(group, source);
    TableLocation target = placement.secondary(secondary);
    long started = System.nanoTime();
    try {
      Retrier.Attempted<CloneResult> done = retrier.call(
          "Clone of " + staging + " version " + stagingVersion + " into " + target,
          () -> cloner.clone(staging, stagingVersion, target, cloneOptions));
      CloneResult result = done.value();
      long targetVersion = result.targetVersion().isPresent()
          ? result.targetVersion().getAsLong() : cloner.latestVersion(target);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      LOG.info("Group {}/{}: table {} staging version {} applied to {} as version {} (attempt {}/{},"
              + " {} files, {} bytes copied, {} ms)", workspace.name(), group.name(), source,
          stagingVersion, secondary, targetVersion, done.attempts(), workspace.maxRetries() + 1,
          result.numCopiedFiles(), result.copiedFilesSize(), took.toMillis());
      return new TableOutcome(source, secondary, stagingVersion, previous,
          OptionalLong.of(stagingVersion), OptionalLong.of(targetVersion), OptionalLong.empty(),
          Optional.of(result), done.attempts(), took, Optional.empty());
    } catch (Retrier.Exhausted e) {
      String why = SyncErrors.describe(e.getCause());
      LOG.error("Group {}/{}: table {} staging version {} into {} failed after {} attempt(s): {}",
          workspace.name(), group.name(), source, stagingVersion, secondary, e.attempts(), why);
      return new TableOutcome(source, secondary, stagingVersion, previous,
          OptionalLong.of(stagingVersion), OptionalLong.empty(), OptionalLong.empty(),
          Optional.empty(), e.attempts(), Duration.ofNanos(System.nanoTime() - started),
          Optional.of(why));
    }
  }

  private List<LedgerRow> rows(WorkspaceConfig workspace, SyncGroup group, SyncPoint point,
      List<TableOutcome> tables, boolean failure, Set<TableName> damaged) {
    List<LedgerRow> rows = new ArrayList<>();
    for (TableOutcome t : tables) {
      SyncStatus status = !failure ? SyncStatus.APPLIED
          : damaged.contains(t.table()) ? SyncStatus.STAGING_DAMAGED
          : t.failed() ? SyncStatus.FAILED : SyncStatus.SKIPPED;
      Optional<String> error = !failure ? Optional.empty()
          : t.failed() ? t.error() : Optional.of("not applied: another table of the group failed");
      Optional<CloneResult> clone = t.cloneResult();
      LedgerRow recorded = point.table(t.table().toString()).orElseThrow();
      rows.add(new LedgerRow(LedgerRow.CURRENT_FORMAT, point.syncId(), point.sequence(),
          workspace.name(), group.name(), t.table().toString(), t.secondary().toString(),
          point.runId(), point.runEndTime(), recorded.sourceVersion(), t.stagingVersion(),
          t.targetVersion(), status,
          clone.map(CloneResult::numCopiedFiles).orElse(0L),
          clone.map(CloneResult::copiedFilesSize).orElse(0L),
          clone.map(CloneResult::numRemovedFiles).orElse(0L),
          clone.map(CloneResult::removedFilesSize).orElse(0L),
          clone.map(CloneResult::sourceTableSize).orElse(0L),
          clone.map(CloneResult::sourceNumOfFiles).orElse(0L),
          t.duration().toMillis(), Math.max(1, t.attempts()), error, clock.instant())
          .under(recorded.epoch(), recorded.sourceRegion(), recorded.sourceTableId()));
    }
    return rows;
  }

  private GroupOutcome outcome(WorkspaceConfig workspace, SyncGroup group, GroupStatus status,
      Optional<SyncPoint> point, List<TableOutcome> tables, Optional<String> error) {
    Optional<WorkflowRun> run = point.flatMap(p -> p.runId().isPresent() && p.runEndTime().isPresent()
        ? Optional.of(new WorkflowRun(p.runId().getAsLong(), group.workflow().orElse(""),
            p.runEndTime().get(), p.runEndTime(), WorkflowRun.Result.SUCCESS))
        : Optional.empty());
    return new GroupOutcome(GroupOutcome.Step.RECEIVE, workspace.name(), group.name(), status, run,
        point.map(p -> OptionalLong.of(p.sequence())).orElse(OptionalLong.empty()),
        point.map(SyncPoint::syncId), tables, error);
  }

  /** Groups finish on several threads: the listener hears of one at a time. */
  private synchronized GroupOutcome tell(GroupOutcome outcome) {
    try {
      listener.groupFinished(outcome);
    } catch (RuntimeException e) {
      LOG.warn("Group {}/{}: the outcome listener failed: {}", outcome.workspace(), outcome.group(),
          SyncErrors.describe(e));
    }
    return outcome;
  }
}
