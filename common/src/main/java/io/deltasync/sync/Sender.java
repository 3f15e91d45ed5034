package io.deltasync.sync;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.clone.TableCloner;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.faults.FailurePoint;
import io.deltasync.faults.Faults;
import io.deltasync.ledger.Epoch;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender: for every group of every workspace, pins each table to the end of the workflow's last
 * successful run, clones every table of the group AS OF its version into staging, and records the
 * group's sync point in the ledger in one commit.
 *
 * <p>A group is all or nothing: when any table fails, no sync point is recorded (FAILED rows are
 * appended instead), so the previous sync point stays the latest; the other groups go on, and
 * {@link CycleResult#throwIfFailed()} names every failed group at the end.
 *
 * <p>Epochs: the sender reads the current epoch first and stages nothing unless its own region is
 * the active one (a sender left running in a region that lost its role is refused with
 * {@link SyncErrors#senderFenced}). Every row carries the epoch and region it was staged under and
 * the source table's Delta id. A group's first sync point of an epoch starts from the epoch's
 * baseline (each table's version when the role changed): a run that ended before the role change
 * is never staged below it.
 */
public final class Sender {

  private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

  private final Function<WorkspaceConfig, RunSource> runSources;
  private final Function<WorkspaceConfig, SyncLedger> ledgers;
  private final TableVersions versions;
  private final TableCloner cloner;
  private final RunChooser runChooser;
  private final CopyEstimator estimator;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Random random;
  private final Duration retryBase;
  private final CloneOptions cloneOptions;
  private final GroupListener listener;
  private final Faults faults;
  private final Region region;
  private final Function<WorkspaceConfig, SyncLedger> epochs;
  private final TableIds tableIds;
  private final GroupTimer groupTimer;
  private final Doorbell doorbell;

  private Sender(Builder b) {
    this.runSources = Objects.requireNonNull(b.runSources, "runSources");
    this.ledgers = Objects.requireNonNull(b.ledgers, "ledgers");
    this.versions = Objects.requireNonNull(b.versions, "versions");
    this.cloner = Objects.requireNonNull(b.cloner, "cloner");
    this.runChooser = b.runChooser;
    this.estimator = b.estimator;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.random = b.random;
    this.retryBase = b.retryBase;
    this.cloneOptions = b.cloneOptions;
    this.listener = b.listener;
    this.faults = b.faults;
    this.region = b.region;
    this.epochs = b.epochs;
    this.tableIds = b.tableIds;
    this.groupTimer = b.groupTimer;
    this.doorbell = b.doorbell;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What one cycle should do. */
  public record Request(Optional<String> group, boolean dryRun) {
    public static Request all() {
      return new Request(Optional.empty(), false);
    }

    public static Request group(String group) {
      return new Request(Optional.of(group), false);
    }

    public Request asDryRun() {
      return new Request(group, true);
    }
  }

  /** Runs one cycle: every workspace, every selected group. Never throws for a failed group. */
  public CycleResult run(DeltaSyncConfig config, Request request) {
    Selection.requireKnown(config, request.group());
    List<GroupOutcome> outcomes = new ArrayList<>();
    for (WorkspaceConfig workspace : config.workspaces()) {
      List<SyncGroup> groups = Selection.groups(workspace, request.group());
      if (!groups.isEmpty()) {
        outcomes.addAll(new WorkspaceCycle(workspace, request.dryRun()).run(groups));
      }
    }
    return new CycleResult(GroupOutcome.Step.SEND, request.dryRun(), outcomes);
  }

  /** One workspace's cycle: its ledger, run source and placement. */
  private final class WorkspaceCycle {
    private final WorkspaceConfig workspace;
    private final boolean dryRun;
    private final Placement placement;
    private final Retrier retrier;
    private Epoch epoch = Epoch.initial();
    /** Each source table's Delta id, read once per cycle (groups run on several threads). */
    private final Map<String, Optional<String>> ids = new ConcurrentHashMap<>();
    private final GroupPool pool;

    WorkspaceCycle(WorkspaceConfig workspace, boolean dryRun) {
      this.workspace = workspace;
      this.dryRun = dryRun;
      this.placement = Placement.of(workspace);
      this.retrier = new Retrier(workspace.maxRetries(), retryBase, Duration.ofMinutes(2), sleeper,
          random);
      this.pool = new GroupPool(GroupOutcome.Step.SEND, workspace.name(), workspace.parallelism(),
          groupTimer);
    }

    List<GroupOutcome> run(List<SyncGroup> groups) {
      SyncLedger ledger = null;
      LedgerState state = null;
      RunSource runSource;
      try {
        ledger = ledgers.apply(workspace);
        // Read to the end before deciding anything.
        state = ledger.current(workspace.name());
        SyncLedger epochLedger = epochs == null ? ledger : epochs.apply(workspace);
        epoch = (epochs == null ? state : epochLedger.current(workspace.name()))
            .currentEpoch(workspace.name());
        if (epoch.active() != region) {
          // Fenced: write nothing, not even FAILED rows, to a ledger this region no longer owns.
          String why = SyncErrors.senderFenced(workspace.name(), region, epochLedger.location(),
              epoch).getMessage();
          LOG.error("Workspace {}: {}", workspace.name(), why);
          return groups.stream().map(g -> tell(failedGroup(g, Optional.empty(), List.of(), why)
              .timed(clock.instant(), clock.instant()))).toList();
        }
        runSource = groups.stream().anyMatch(g -> !g.standalone()) ? runSources.apply(workspace) : null;
      } catch (RuntimeException e) {
        String why = SyncErrors.describe(e);
        LOG.error("Workspace {}: cannot start the sender cycle: {}", workspace.name(), why);
        List<GroupOutcome> failed = new ArrayList<>();
        for (SyncGroup group : groups) {
          if (state != null) {
            // The ledger was read (so it is reachable and of a known format): record the failure.
            recordFailureBeforeStaging(ledger, state, group, why);
          }
          failed.add(tell(failedGroup(group, Optional.empty(), List.of(), why)
              .timed(clock.instant(), clock.instant())));
        }
        return failed;
      }
      SyncLedger cycleLedger = ledger;
      LedgerState cycleState = state;
      List<GroupOutcome> outcomes;
      if (runSource == null) {
        outcomes = pool.run(groups,
            (group, deadline) -> runGroup(group, deadline, cycleLedger, cycleState, null));
      } else {
        try (RunPrefetch runs = new RunPrefetch(runSource, runRequests(groups, state),
            "deltasync-send-" + workspace.name())) {
          outcomes = pool.run(groups,
              (group, deadline) -> runGroup(group, deadline, cycleLedger, cycleState, runs));
        }
      }
      if (!dryRun) {
        ringIfWaiting(groups, outcomes, state);
      }
      return outcomes;
    }

    /**
     * Rings the receiver's doorbell once when a sync point waits for it: one was recorded in this
     * cycle, or a group's newest applicable sync point is not applied yet (this cycle's ring is
     * then a repeat: an earlier ring was lost, or the receiver failed to apply). A ring that fails
     * is logged, not fatal: the ledger holds the sync point, and the next cycle rings again.
     */
    private void ringIfWaiting(List<SyncGroup> groups, List<GroupOutcome> outcomes,
        LedgerState state) {
      Set<String> waiting = new TreeSet<>();
      for (GroupOutcome outcome : outcomes) {
        if (outcome.status() == GroupStatus.SYNCED) {
          waiting.add(outcome.group());
        }
      }
      for (SyncGroup group : groups) {
        Optional<SyncPoint> applicable = state.lastApplicable(workspace.name(), group.name());
        OptionalLong applied = state.lastApplied(workspace.name(), group.name())
            .map(p -> OptionalLong.of(p.sequence())).orElse(OptionalLong.empty());
        if (applicable.isPresent()
            && (applied.isEmpty() || applied.getAsLong() < applicable.get().sequence())) {
          waiting.add(group.name());
        }
      }
      if (waiting.isEmpty()) {
        return;
      }
      String folder = placement.arrivals().uri();
      String name = String.format(Locale.ROOT, "%020d-%s.json", clock.millis(),
          UUID.randomUUID());
      String groupList = waiting.stream().map(g -> "\"" + g + "\"")
          .collect(Collectors.joining(","));
      try {
        doorbell.ring(folder, name, "{\"workspace\":\"" + workspace.name() + "\",\"groups\":["
            + groupList + "]}\n");
        LOG.info("Workspace {}: rang the receiver's doorbell {}/{} for {}", workspace.name(),
            folder, name, waiting);
      } catch (RuntimeException e) {
        LOG.warn("Workspace {}: cannot ring the receiver's doorbell in {} ({}); the sync point"
            + " is recorded, and the next sender cycle rings again", workspace.name(), folder,
            SyncErrors.describe(e));
      }
    }

    /**
     * The runs each workflow group will ask for, from the ledger alone: every workflow group's but
     * a group whose last sync point's staging was found damaged (it may re-stage that sync point's
     * run without asking).
     */
    private List<RunPrefetch.Request> runRequests(List<SyncGroup> groups, LedgerState state) {
      List<RunPrefetch.Request> requests = new ArrayList<>();
      for (SyncGroup group : groups) {
        Optional<SyncPoint> last = state.lastStaged(workspace.name(), group.name());
        if (group.standalone() || (last.isPresent() && !state.stagingDamaged(last.get()).isEmpty())) {
          continue;
        }
        requests.add(new RunPrefetch.Request(group.workflow().orElseThrow(),
            last.map(SyncPoint::runId).orElse(OptionalLong.empty())));
      }
      return requests;
    }

    /** One group's step, on one of the pool's threads; never throws for a failed group. */
    private GroupOutcome runGroup(SyncGroup group, GroupDeadline deadline, SyncLedger ledger,
        LedgerState state, RunSource runSource) {
      Instant started = clock.instant();
      GroupOutcome outcome;
      try {
        outcome = syncGroup(group, deadline, ledger, state, runSource);
      } catch (RuntimeException e) {
        if (!deadline.commitUnlessTimedOut()) {
          outcome = timedOut(group, deadline, ledger, state);
        } else {
          String why = SyncErrors.describe(e);
          LOG.error("Group {}/{}: failed: {}", workspace.name(), group.name(), why);
          recordFailureBeforeStaging(ledger, state, group, why);
          outcome = failedGroup(group, Optional.empty(), List.of(), why);
        }
      }
      return tell(outcome.timed(started, clock.instant()));
    }

    /**
     * A group its time limit stopped: one TIMED_OUT row per table, no sync point. Tables it staged
     * are kept in staging, unrecorded; the next cycle stages the group again and copies only what
     * is missing.
     */
    private GroupOutcome timedOut(SyncGroup group, GroupDeadline deadline, SyncLedger ledger,
        LedgerState state) {
      Thread.interrupted(); // the limit's interrupt is spent; the ledger append must not see it
      String why = deadline.describe();
      LOG.error("Group {}/{}: {}", workspace.name(), group.name(), why);
      recordFailureBeforeStaging(ledger, state, group, why, SyncStatus.TIMED_OUT);
      return outcome(group, GroupStatus.TIMED_OUT, Optional.empty(), OptionalLong.empty(),
          Optional.empty(), List.of(), Optional.of(why));
    }

    private GroupOutcome syncGroup(SyncGroup group, GroupDeadline deadline, SyncLedger ledger,
        LedgerState state, RunSource runSource) {
      Instant begun = clock.instant();
      Optional<SyncPoint> last = state.lastStaged(workspace.name(), group.name());
      long sequence = last.map(SyncPoint::sequence).orElse(0L) + 1;
      Optional<WorkflowRun> run = Optional.empty();
      List<Long> pinned = new ArrayList<>();
      // The group's first sync point of this epoch starts from the epoch's baseline.
      Map<String, Long> baseline = baseline(group, last);
      List<String> recreated = recreated(group, last, deadline);
      // The receiver found the last sync point's staging damaged: stage it again, whole.
      boolean damaged = last.isPresent() && !state.stagingDamaged(last.get()).isEmpty();
      // Same versions, unless a sender cycle already failed after that sync point (e.g. the primary
      // vacuumed those versions): then the group is pinned afresh below, still verifying staging.
      Optional<List<Long>> restage = damaged && !senderFailedAfter(state, last.get())
          ? pinnedVersions(group, last.get()) : Optional.empty();

      if (restage.isPresent()) {
        // The same run and source versions: the group's consistency point does not change.
        pinned.addAll(restage.get());
        run = runOf(group, last.get());
        LOG.warn("Group {}/{}: the receiver found the staging of sync point {} damaged ({});"
                + " re-staging it at the same source versions {} as sync point {}",
            workspace.name(), group.name(), last.get().sequence(),
            state.stagingDamaged(last.get()).stream().map(LedgerRow::tableName).toList(), pinned,
            sequence);
      } else if (group.standalone()) {
        if (last.isPresent() && baseline.isEmpty() && recreated.isEmpty()) {
          Instant due = last.get().recordedAt().plus(workspace.syncInterval());
          if (clock.instant().isBefore(due)) {
            LOG.info("Group {}/{}: standalone, synced at {}, next due at {}; skipped",
                workspace.name(), group.name(), last.get().recordedAt(), due);
            return outcome(group, GroupStatus.NOT_DUE, run, OptionalLong.empty(), Optional.empty(),
                List.of(), Optional.empty());
          }
        }
        for (TableMapping table : group.tables()) {
          pinned.add(cloner.latestVersion(placement.primary(table.source())));
        }
      } else {
        String workflow = group.workflow().orElseThrow();
        OptionalLong notBefore = last.map(SyncPoint::runId).orElse(OptionalLong.empty());
        List<WorkflowRun> runs = runSource.runs(workflow, notBefore);
        run = runChooser.choose(workflow, runs);
        boolean fromBaseline = !baseline.isEmpty() && group.tables().stream()
            .allMatch(t -> baseline.containsKey(t.source().toString()));
        if (run.isEmpty() && !fromBaseline) {
          LOG.info("Group {}/{}: workflow {} has no successful run to sync{}", workspace.name(),
              group.name(), workflow, notBefore.isPresent() ? " since run " + notBefore.getAsLong() : "");
          return outcome(group, GroupStatus.NO_RUN, run, OptionalLong.empty(), Optional.empty(),
              List.of(), Optional.empty());
        }
        if (baseline.isEmpty() && recreated.isEmpty()) {
          Optional<GroupOutcome> upToDate = upToDate(group, state, last, run.get());
          if (upToDate.isPresent()) {
            return upToDate.get();
          }
        }
        if (run.isPresent()) {
          LOG.info("Group {}/{}: workflow {} run {} (ended {}) chosen", workspace.name(),
              group.name(), workflow, run.get().runId(), run.get().end().orElseThrow());
        } else {
          LOG.info("Group {}/{}: workflow {} has no successful run; staging the baseline of {}",
              workspace.name(), group.name(), workflow, epoch.describe());
        }
        Optional<WorkflowRun> chosen = run;
        pinned.addAll(pool.eachTable(deadline, group.tables().stream()
            .map(table -> (java.util.concurrent.Callable<Long>) () -> chosen.isPresent()
                ? versions.versionAsOf(placement.primary(table.source()), chosen.get()) : -1L)
            .toList()));
      }
      for (int i = 0; i < group.tables().size(); i++) {
        Long floor = baseline.get(group.tables().get(i).source().toString());
        if (floor != null && pinned.get(i) < floor) {
          // A version before the role change: the state this region received is newer.
          LOG.info("Group {}/{}: table {} resolved to version {}, before version {} it held when"
                  + " {} began; staging version {}", workspace.name(), group.name(),
              group.tables().get(i).source(), pinned.get(i), floor, epoch.describe(), floor);
          pinned.set(i, floor);
        }
      }

      boolean changed = !baseline.isEmpty() || !recreated.isEmpty();
      for (int i = 0; i < group.tables().size() && baseline.isEmpty(); i++) {
        String name = group.tables().get(i).source().toString();
        OptionalLong previous = previousVersion(last, name);
        long version = pinned.get(i);
        if (previous.isEmpty() || version > previous.getAsLong()) {
          changed = true;
        } else if (version < previous.getAsLong() && !recreated.contains(name)) {
          LOG.warn("Group {}/{}: table {} resolved to version {}, older than version {} in sync"
              + " point {}; was the table replaced?", workspace.name(), group.name(), name, version,
              previous.getAsLong(), last.get().sequence());
        }
      }
      if (!changed && last.isPresent() && (damaged || stagingLost(group, last.get()))) {
        changed = true; // staged again below, as a new sync point of the same run
      }
      if (!changed) {
        LOG.info("Group {}/{}: every table is at the version of sync point {}; nothing to send",
            workspace.name(), group.name(), last.map(SyncPoint::sequence).orElse(0L));
        return outcome(group, GroupStatus.UP_TO_DATE, run, OptionalLong.empty(), Optional.empty(),
            List.of(), Optional.empty());
      }

      if (dryRun) {
        List<TableOutcome> plan = new ArrayList<>();
        for (int i = 0; i < group.tables().size(); i++) {
          TableMapping table = group.tables().get(i);
          long version = pinned.get(i);
          OptionalLong bytes = estimate(placement.primary(table.source()), version,
              placement.staging(group, table.source()));
          plan.add(new TableOutcome(table.source(), table.secondary(), version,
              previousVersion(last, table.source().toString()), OptionalLong.empty(),
              OptionalLong.empty(), bytes, Optional.empty(), 0, Duration.ZERO, Optional.empty()));
        }
        return outcome(group, GroupStatus.PLANNED, run, OptionalLong.of(sequence), Optional.empty(),
            plan, Optional.empty());
      }

      String syncId = UUID.randomUUID().toString();
      Instant copyStarted = clock.instant();
      List<TableOutcome> tables = stageAll(group, deadline, pinned, last, damaged, recreated);
      Instant commitStarted = clock.instant();
      deadline.check(); // stopped while staging: its tables stay unrecorded
      List<TableOutcome> failed = tables.stream().filter(TableOutcome::failed).toList();
      if (!failed.isEmpty()) {
        String why = failed.stream()
            .map(t -> t.table() + " at version " + t.sourceVersion() + ": " + t.error().orElseThrow())
            .reduce((a, b) -> a + "; " + b).orElseThrow();
        deadline.beginCommit();
        recordFailure(ledger, group, syncId, sequence, run, tables);
        return failedGroup(group, run, tables, why);
      }

      faults.reach(FailurePoint.SENDER_BEFORE_SYNC_POINT);
      List<LedgerRow> rows = rows(group, syncId, sequence, run, tables, SyncStatus.STAGED);
      deadline.beginCommit(); // the sync point is one atomic commit: never interrupted
      LedgerTxn txn = LedgerTxn.sender(workspace.name(), group.name(), sequence);
      SyncLedger.AppendOutcome appended;
      try {
        appended = ledger.append(rows, Optional.of(txn));
      } catch (RuntimeException e) {
        // Unknown outcome: never re-append blindly; re-read and look for our sync id.
        appended = recognise(ledger, group, syncId, sequence, e);
      }
      if (appended == SyncLedger.AppendOutcome.ALREADY_COMMITTED) {
        LOG.info("Group {}/{}: sync point {} was recorded by another sender cycle; this cycle's"
            + " sync {} is not recorded", workspace.name(), group.name(), sequence, syncId);
        return outcome(group, GroupStatus.ALREADY_RECORDED, run, OptionalLong.of(sequence),
            Optional.empty(), tables, Optional.empty());
      }
      long bytes = tables.stream().mapToLong(TableOutcome::copiedBytes).sum();
      LOG.info("Group {}/{}: sync point {} recorded (sync {}, run {}, {} tables, {} bytes copied)",
          workspace.name(), group.name(), sequence, syncId,
          run.map(r -> Long.toString(r.runId())).orElse("standalone"), tables.size(), bytes);
      return outcome(group, GroupStatus.SYNCED, run, OptionalLong.of(sequence), Optional.of(syncId),
          tables, Optional.empty()).withPhases(new GroupOutcome.Phases(
              Duration.between(begun, copyStarted), Duration.between(copyStarted, commitStarted),
              Duration.between(commitStarted, clock.instant())));
    }

    /**
     * Stages every table of the group, up to {@code sync_parallel_tables} at once; each table's
     * outcome, in the group's table order.
     */
    private List<TableOutcome> stageAll(SyncGroup group, GroupDeadline deadline, List<Long> pinned,
        Optional<SyncPoint> last, boolean damaged, List<String> recreated) {
      CloneOptions options = damaged ? cloneOptions.withTargetFilesVerified() : cloneOptions;
      List<java.util.concurrent.Callable<TableOutcome>> tasks = new ArrayList<>();
      for (int i = 0; i < group.tables().size(); i++) {
        TableMapping table = group.tables().get(i);
        long version = pinned.get(i);
        boolean first = i == 0;
        tasks.add(() -> {
          if (!first) {
            faults.reach(FailurePoint.SENDER_BETWEEN_TABLES);
          }
          return stage(group, table, version, last,
              recreated.contains(table.source().toString()) ? options.withForce(true) : options);
        });
      }
      return pool.eachTable(deadline, tasks);
    }

    /** The fast answers "nothing newer to sync" for a workflow group, before any log is read. */
    private Optional<GroupOutcome> upToDate(SyncGroup group, LedgerState state,
        Optional<SyncPoint> last, WorkflowRun chosen) {
      Optional<Instant> lastEnd = last.flatMap(SyncPoint::runEndTime);
      if (lastEnd.isPresent() && chosen.end().orElseThrow().isBefore(lastEnd.get())) {
        // Never further back than the run already synced.
        LOG.info("Group {}/{}: run {} ended before the synced run {}; nothing newer to sync",
            workspace.name(), group.name(), chosen.runId(), last.get().runId());
        return Optional.of(outcome(group, GroupStatus.UP_TO_DATE, Optional.of(chosen),
            OptionalLong.empty(), Optional.empty(), List.of(), Optional.empty()));
      }
      if (last.isPresent() && last.get().runId().equals(OptionalLong.of(chosen.runId()))
          && group.tables().stream()
              .allMatch(t -> last.get().table(t.source().toString()).isPresent())
          && !receiverRefused(state, last.get())) {
        // The synced run is still the newest successful one. Its versions are in the sync point,
        // and commits after its end never count, so reading every table's history again could
        // only find the same versions: skip the log reads (a cycle with nothing new then costs
        // the runs-list call and the table ids alone, however many tables the groups hold). Not
        // when the receiver could not apply that sync point (e.g. its staging was deleted): the
        // full path checks staging and stages the group again.
        LOG.info("Group {}/{}: run {} is the run of sync point {}; nothing newer to sync",
            workspace.name(), group.name(), chosen.runId(), last.get().sequence());
        return Optional.of(outcome(group, GroupStatus.UP_TO_DATE, Optional.of(chosen),
            OptionalLong.empty(), Optional.empty(), List.of(), Optional.empty()));
      }
      return Optional.empty();
    }

    /**
     * Per table, the version this region's table held when the current epoch began, while the
     * group has no sync point staged in it yet (empty otherwise, and in the initial epoch).
     */
    private Map<String, Long> baseline(SyncGroup group, Optional<SyncPoint> last) {
      Map<String, Long> floors = new HashMap<>();
      if (epoch.number() == 0 || (last.isPresent() && last.get().epoch() >= epoch.number())) {
        return floors;
      }
      for (TableMapping table : group.tables()) {
        OptionalLong floor = epoch.baseline(group.name(), table.source().toString());
        if (floor.isPresent()) {
          floors.put(table.source().toString(), floor.getAsLong());
        }
      }
      if (!floors.isEmpty()) {
        LOG.info("Group {}/{}: first sync point of {}; starting from its baseline {}",
            workspace.name(), group.name(), epoch.describe(), floors);
      }
      return floors;
    }

    /**
     * The tables whose source was dropped and created again since the last sync point (its Delta
     * table id changed): staged again from scratch, never "up to date".
     */
    private List<String> recreated(SyncGroup group, Optional<SyncPoint> last,
        GroupDeadline deadline) {
      // Each table's id, read up to sync_parallel_tables at once.
      pool.eachTable(deadline, group.tables().stream()
          .filter(t -> last.flatMap(p -> p.table(t.source().toString()))
              .flatMap(LedgerRow::sourceTableId).isPresent())
          .map(t -> (java.util.concurrent.Callable<Optional<String>>) () -> tableId(t.source()))
          .toList());
      List<String> tables = new ArrayList<>();
      for (TableMapping table : group.tables()) {
        String name = table.source().toString();
        Optional<String> before = last.flatMap(p -> p.table(name))
            .flatMap(LedgerRow::sourceTableId);
        if (before.isEmpty()) {
          continue; // nothing to compare with (first sync, format 1 rows): read when staged
        }
        Optional<String> now = tableId(table.source());
        if (now.isPresent() && !now.equals(before)) {
          LOG.warn("Group {}/{}: table {} was dropped and created again: its Delta table id was {}"
                  + " in sync point {} and is {} now; staging it again from scratch",
              workspace.name(), group.name(), name, before.get(), last.get().sequence(),
              now.get());
          tables.add(name);
        }
      }
      return tables;
    }

    private Optional<String> tableId(TableName source) {
      return ids.computeIfAbsent(source.toString(),
          name -> tableIds.tableId(placement.primary(source)));
    }

    /** The workflow run a sync point recorded; empty for standalone groups. */
    private static Optional<WorkflowRun> runOf(SyncGroup group, SyncPoint point) {
      if (point.runId().isEmpty() || point.runEndTime().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new WorkflowRun(point.runId().getAsLong(), group.workflow().orElse(""),
          point.runEndTime().get(), point.runEndTime(), WorkflowRun.Result.SUCCESS));
    }

    /** True when the receiver recorded a failure to apply this sync point, and no success since. */
    private static boolean receiverRefused(LedgerState state, SyncPoint point) {
      List<SyncStatus> statuses = state.rows().stream()
          .filter(r -> r.syncId().equals(point.syncId()))
          .map(LedgerRow::status)
          .toList();
      return (statuses.contains(SyncStatus.FAILED) || statuses.contains(SyncStatus.STAGING_DAMAGED))
          && !statuses.contains(SyncStatus.APPLIED);
    }

    /** True when a sender cycle recorded a failure after {@code point} (at the next sequence). */
    private boolean senderFailedAfter(LedgerState state, SyncPoint point) {
      return state.rows().stream().anyMatch(r -> r.status() == SyncStatus.FAILED
          && r.workspace().equals(workspace.name()) && r.groupName().equals(point.group())
          && r.sequence() == point.sequence() + 1);
    }

    /**
     * Each table's source version in {@code point}, in the group's table order; empty when the
     * group has a table the sync point lacks (then the group is pinned afresh).
     */
    private static Optional<List<Long>> pinnedVersions(SyncGroup group, SyncPoint point) {
      List<Long> versions = new ArrayList<>();
      for (TableMapping table : group.tables()) {
        Optional<LedgerRow> row = point.table(table.source().toString());
        if (row.isEmpty() || row.get().sourceVersion().isEmpty()) {
          return Optional.empty();
        }
        versions.add(row.get().sourceVersion().getAsLong());
      }
      return Optional.of(versions);
    }

    /**
     * True when a table of the group's last sync point no longer has its staging copy at the
     * recorded version (deleted or replaced by hand): the receiver cannot apply that sync point,
     * so the group must be staged again. Unreachable storage is thrown, not taken for a loss.
     */
    private boolean stagingLost(SyncGroup group, SyncPoint last) {
      for (LedgerRow row : last.tables()) {
        TableLocation staging = placement.staging(group, TableName.parse(row.tableName()));
        long recorded = row.stagingVersion().orElse(-1);
        String why;
        try {
          long latest = cloner.latestVersion(staging);
          if (latest >= recorded) {
            continue;
          }
          why = "its latest version is " + latest;
        } catch (io.deltasync.errors.SyncException e) {
          if (!SyncErrors.isTableMissing(e)) {
            throw e; // unreachable, throttled, no permission ...: not "lost"
          }
          why = SyncErrors.describe(e);
        }
        LOG.warn("Group {}/{}: the staging copy of {} at {} no longer holds version {} of sync"
                + " point {} ({}); staging the group again", workspace.name(), group.name(),
            row.tableName(), staging, recorded, last.sequence(), why);
        return true;
      }
      return false;
    }

    private SyncLedger.AppendOutcome recognise(
        SyncLedger ledger, SyncGroup group, String syncId, long sequence, RuntimeException e) {
      LedgerState reread;
      try {
        reread = new LedgerState(ledger.read());
      } catch (RuntimeException again) {
        e.addSuppressed(again);
        throw SyncErrors.ledgerAppendFailed(ledger.location(), group.name(), syncId, e);
      }
      if (reread.contains(syncId)) {
        return SyncLedger.AppendOutcome.APPENDED;
      }
      Optional<SyncPoint> newest = reread.lastStaged(workspace.name(), group.name());
      if (newest.isPresent() && newest.get().sequence() >= sequence) {
        return SyncLedger.AppendOutcome.ALREADY_COMMITTED;
      }
      throw SyncErrors.ledgerAppendFailed(ledger.location(), group.name(), syncId, e);
    }

    private TableOutcome stage(SyncGroup group, TableMapping table, long version,
        Optional<SyncPoint> last, CloneOptions options) {
      TableLocation source = placement.primary(table.source());
      TableLocation staging = placement.staging(group, table.source());
      OptionalLong previous = previousVersion(last, table.source().toString());
      long started = System.nanoTime();
      String what = "Clone of " + table.source() + " version " + version + " to " + staging;
      // A re-created source: staging is a clone of the dropped table, so it is replaced.
      try {
        Retrier.Attempted<CloneResult> done =
            retrier.call(what, () -> cloner.clone(source, version, staging, options));
        CloneResult result = done.value();
        long stagingVersion = result.targetVersion().isPresent()
            ? result.targetVersion().getAsLong()
            : cloner.latestVersion(staging);
        tableId(table.source()); // recorded in the sync point's row
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("Group {}/{}: table {} version {} staged as version {} (attempt {}/{}, {} files,"
                + " {} bytes copied, {} ms)", workspace.name(), group.name(), table.source(), version,
            stagingVersion, done.attempts(), workspace.maxRetries() + 1, result.numCopiedFiles(),
            result.copiedFilesSize(), took.toMillis());
        return new TableOutcome(table.source(), table.secondary(), version, previous,
            OptionalLong.of(stagingVersion), OptionalLong.empty(), OptionalLong.empty(),
            Optional.of(result), done.attempts(), took, Optional.empty());
      } catch (Retrier.Exhausted e) {
        String why = SyncErrors.describe(e.getCause());
        LOG.error("Group {}/{}: table {} version {} failed after {} attempt(s): {}",
            workspace.name(), group.name(), table.source(), version, e.attempts(), why);
        return new TableOutcome(table.source(), table.secondary(), version, previous,
            OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
            e.attempts(), Duration.ofNanos(System.nanoTime() - started), Optional.of(why));
      } catch (RuntimeException e) {
        String why = SyncErrors.describe(e);
        LOG.error("Group {}/{}: table {} version {} failed: {}", workspace.name(), group.name(),
            table.source(), version, why);
        return new TableOutcome(table.source(), table.secondary(), version, previous,
            OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), 1,
            Duration.ofNanos(System.nanoTime() - started), Optional.of(why));
      }
    }

    private void recordFailure(SyncLedger ledger, SyncGroup group, String syncId, long sequence,
        Optional<WorkflowRun> run, List<TableOutcome> tables) {
      List<LedgerRow> rows = new ArrayList<>();
      for (TableOutcome table : tables) {
        rows.add(row(group, syncId, sequence, run, table,
            table.failed() ? SyncStatus.FAILED : SyncStatus.SKIPPED,
            table.failed() ? table.error() : Optional.of("not recorded: another table of the group failed")));
      }
      appendFailure(ledger, group, rows);
    }

    /**
     * A group that failed before staging anything (the Jobs API refused, a table's version could
     * not be resolved, ...): one FAILED row per table, without versions, so that {@code status}
     * shows the error as the group's last one. Like every FAILED row, it is no sync point.
     */
    private void recordFailureBeforeStaging(SyncLedger ledger, LedgerState state, SyncGroup group,
        String why) {
      recordFailureBeforeStaging(ledger, state, group, why, SyncStatus.FAILED);
    }

    private void recordFailureBeforeStaging(SyncLedger ledger, LedgerState state, SyncGroup group,
        String why, SyncStatus status) {
      long sequence = state.lastStaged(workspace.name(), group.name())
          .map(SyncPoint::sequence).orElse(0L) + 1;
      String syncId = UUID.randomUUID().toString();
      List<LedgerRow> rows = group.tables().stream()
          .map(table -> new LedgerRow(LedgerRow.CURRENT_FORMAT, syncId, sequence, workspace.name(),
              group.name(), table.source().toString(), table.secondary().toString(),
              OptionalLong.empty(), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(),
              OptionalLong.empty(), status, 0, 0, 0, 0, 0, 0, 0, 1, Optional.of(why),
              clock.instant()).under(epoch.number(), region,
                  ids.getOrDefault(table.source().toString(), Optional.empty())))
          .toList();
      appendFailure(ledger, group, rows);
    }

    private void appendFailure(SyncLedger ledger, SyncGroup group, List<LedgerRow> rows) {
      try {
        ledger.append(rows, Optional.empty());
      } catch (RuntimeException e) {
        // Best effort: the failure is reported anyway; no sync point depends on these rows.
        LOG.warn("Group {}/{}: could not record the failure in the ledger at {}: {}",
            workspace.name(), group.name(), ledger.location(), SyncErrors.describe(e));
      }
    }

    private List<LedgerRow> rows(SyncGroup group, String syncId, long sequence,
        Optional<WorkflowRun> run, List<TableOutcome> tables, SyncStatus status) {
      return tables.stream()
          .map(t -> row(group, syncId, sequence, run, t, status, Optional.empty()))
          .toList();
    }

    private LedgerRow row(SyncGroup group, String syncId, long sequence, Optional<WorkflowRun> run,
        TableOutcome table, SyncStatus status, Optional<String> error) {
      Optional<CloneResult> clone = table.cloneResult();
      return new LedgerRow(LedgerRow.CURRENT_FORMAT, syncId, sequence, workspace.name(),
          group.name(), table.table().toString(), table.secondary().toString(),
          run.map(r -> OptionalLong.of(r.runId())).orElse(OptionalLong.empty()),
          run.flatMap(WorkflowRun::end), OptionalLong.of(table.sourceVersion()),
          table.stagingVersion(), OptionalLong.empty(), status,
          clone.map(CloneResult::numCopiedFiles).orElse(0L),
          clone.map(CloneResult::copiedFilesSize).orElse(0L),
          clone.map(CloneResult::numRemovedFiles).orElse(0L),
          clone.map(CloneResult::removedFilesSize).orElse(0L),
          clone.map(CloneResult::sourceTableSize).orElse(0L),
          clone.map(CloneResult::sourceNumOfFiles).orElse(0L),
          table.duration().toMillis(), Math.max(1, table.attempts()), error, clock.instant())
          .under(epoch.number(), region,
              ids.getOrDefault(table.table().toString(), Optional.empty()));
    }

    private OptionalLong estimate(TableLocation source, long version, TableLocation staging) {
      try {
        return estimator.bytesToCopy(source, version, staging);
      } catch (RuntimeException e) {
        LOG.warn("Dry run: cannot estimate the bytes to copy from {} version {}: {}", source,
            version, SyncErrors.describe(e));
        return OptionalLong.empty();
      }
    }

    private GroupOutcome failedGroup(SyncGroup group, Optional<WorkflowRun> run,
        List<TableOutcome> tables, String why) {
      return outcome(group, GroupStatus.FAILED, run, OptionalLong.empty(), Optional.empty(), tables,
          Optional.of(why));
    }

    private GroupOutcome outcome(SyncGroup group, GroupStatus status, Optional<WorkflowRun> run,
        OptionalLong sequence, Optional<String> syncId, List<TableOutcome> tables,
        Optional<String> error) {
      return new GroupOutcome(GroupOutcome.Step.SEND, workspace.name(), group.name(), status, run,
          sequence, syncId, tables, error);
    }
  }

  private static OptionalLong previousVersion(Optional<SyncPoint> last, String table) {
    return last.flatMap(p -> p.table(table))
        .map(LedgerRow::sourceVersion)
        .orElse(OptionalLong.empty());
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

  /** Wires a sender; everything but the engine parts has a production default. */
  public static final class Builder {
    private Function<WorkspaceConfig, RunSource> runSources;
    private Function<WorkspaceConfig, SyncLedger> ledgers;
    private TableVersions versions;
    private TableCloner cloner;
    private RunChooser runChooser = RunChooser.newestSuccessful();
    private CopyEstimator estimator = CopyEstimator.unknown();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Random random = new Random();
    private Duration retryBase = Duration.ofSeconds(2);
    private CloneOptions cloneOptions = CloneOptions.defaults();
    private GroupListener listener = GroupListener.none();
    private Faults faults = Faults.NONE;
    private Region region = Region.PRIMARY;
    private Function<WorkspaceConfig, SyncLedger> epochs;
    private TableIds tableIds = TableIds.unknown();
    private GroupTimer groupTimer = GroupTimer.system();
    private Doorbell doorbell = Doorbell.none();

    /** How the receiver hears that a sync point waits; {@link Doorbell#none()} by default. */
    public Builder doorbell(Doorbell value) {
      this.doorbell = Objects.requireNonNull(value);
      return this;
    }

    /** Starts each group's time limit; {@link GroupTimer#system()} by default. */
    public Builder groupTimer(GroupTimer value) {
      this.groupTimer = Objects.requireNonNull(value);
      return this;
    }

    /** The region this sender stages from; {@link Region#PRIMARY} by default. */
    public Builder region(Region value) {
      this.region = Objects.requireNonNull(value);
      return this;
    }

    /**
     * Where the current epoch is read: the ledger of {@link #ledgers} by default; failback's
     * reverse sender reads the forward ledger's.
     */
    public Builder epochs(Function<WorkspaceConfig, SyncLedger> value) {
      this.epochs = Objects.requireNonNull(value);
      return this;
    }

    /** The source tables' Delta ids; unknown by default (identity then is not checked). */
    public Builder tableIds(TableIds value) {
      this.tableIds = Objects.requireNonNull(value);
      return this;
    }

    public Builder runSources(Function<WorkspaceConfig, RunSource> value) {
      this.runSources = value;
      return this;
    }

    public Builder ledgers(Function<WorkspaceConfig, SyncLedger> value) {
      this.ledgers = value;
      return this;
    }

    public Builder versions(TableVersions value) {
      this.versions = value;
      return this;
    }

    public Builder cloner(TableCloner value) {
      this.cloner = value;
      return this;
    }

    public Builder runChooser(RunChooser value) {
      this.runChooser = Objects.requireNonNull(value);
      return this;
    }

    public Builder estimator(CopyEstimator value) {
      this.estimator = Objects.requireNonNull(value);
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value);
      return this;
    }

    public Builder sleeper(Sleeper value) {
      this.sleeper = Objects.requireNonNull(value);
      return this;
    }

    public Builder random(Random value) {
      this.random = Objects.requireNonNull(value);
      return this;
    }

    public Builder retryBase(Duration value) {
      this.retryBase = Objects.requireNonNull(value);
      return this;
    }

    public Builder cloneOptions(CloneOptions value) {
      this.cloneOptions = Objects.requireNonNull(value);
      return this;
    }

    public Builder listener(GroupListener value) {
      this.listener = Objects.requireNonNull(value);
      return this;
    }

    /** Failure injection for tests; {@link Faults#NONE} by default. */
    public Builder faults(Faults value) {
      this.faults = Objects.requireNonNull(value);
      return this;
    }

    public Sender build() {
      return new Sender(this);
    }
  }
}
