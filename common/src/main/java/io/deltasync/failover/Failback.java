package io.deltasync.failover;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.TableCloner;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.failover.FailbackReport.GroupFailback;
import io.deltasync.failover.FailbackReport.TableCopy;
import io.deltasync.jobs.ActiveRuns;
import io.deltasync.jobs.JobNames;
import io.deltasync.jobs.JobOutcome;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.jobs.RetryPolicy;
import io.deltasync.jobs.ScheduleReport;
import io.deltasync.jobs.ScheduleSwitch;
import io.deltasync.faults.Faults;
import io.deltasync.ledger.Epoch;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupListener;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.Placement;
import io.deltasync.sync.Sender;
import io.deltasync.sync.TableIds;
import io.deltasync.sync.Sleeper;
import io.deltasync.sync.TableVersions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failback: a controlled return to the primary region, in an order that never lets the primary run
 * a workflow on tables that do not hold the secondary's last completed state.
 *
 * <ol>
 *   <li>One-time shutdown (no retries: failback is planned, both regions are up): pause the
 *       secondary's workflows and cancel their active runs; make sure the primary's workflows and
 *       sender are paused. Anything not confirmed stops failback before it syncs anything.
 *   <li>Sync secondary to primary with the same sender and receiver, roles swapped
 *       ({@link Roles#reversed}), the reverse sender fenced by the forward ledger's epoch (the
 *       secondary must be the active region): the secondary's newest successful run, never below
 *       the versions its tables held at the recovery point (the failover's epoch baseline: so
 *       without a run there since, the recovery point itself), is staged under
 *       {@code sync_location_primary} and cloned into the primary tables. Any failure stops
 *       failback here: the primary stays paused.
 *   <li>Only when the reverse ledger shows every group's newest staged sync point applied:
 *       record the epoch of the primary in the forward ledger (per table the primary's version
 *       after the failback: the forward sender's baseline), then promote the primary (unpause its
 *       workflows and sender).
 *   <li>Return the secondary to standby: its workflows stay paused, its receiver is unpaused, the
 *       reverse sender stays paused.
 * </ol>
 *
 * <p>Groups whose workflow is paused in the secondary when failback starts and has not succeeded
 * there since the recovery point were never promoted (or never used): the primary's tables are
 * authoritative and are kept. Running failback again after a failure resumes where it stopped:
 * sender, receiver and job switches are idempotent.
 */
public final class Failback {

  private static final Logger LOG = LoggerFactory.getLogger(Failback.class);

  private final Function<WorkspaceConfig, JobsControl> primaryJobs;
  private final Function<WorkspaceConfig, JobsControl> secondaryJobs;
  private final Function<WorkspaceConfig, SyncLedger> ledgers;
  private final Function<WorkspaceConfig, RunSource> secondaryRuns;
  private final TableVersions versions;
  private final TableCloner cloner;
  private final JobNames jobNames;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration retryBase;
  private final TableIds tableIds;
  private final EpochRecorder epochs;
  private final Optional<FailbackSteps> steps;

  private Failback(Builder b) {
    this.primaryJobs = Objects.requireNonNull(b.primaryJobs, "primaryJobs");
    this.secondaryJobs = Objects.requireNonNull(b.secondaryJobs, "secondaryJobs");
    this.ledgers = Objects.requireNonNull(b.ledgers, "ledgers");
    this.secondaryRuns = Objects.requireNonNull(b.secondaryRuns, "secondaryRuns");
    this.versions = Objects.requireNonNull(b.versions, "versions");
    this.cloner = Objects.requireNonNull(b.cloner, "cloner");
    this.jobNames = b.jobNames;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.retryBase = b.retryBase;
    this.tableIds = b.tableIds;
    this.epochs = new EpochRecorder(clock, b.principal, b.faults);
    this.steps = b.steps;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Fails back every workspace of the config.
   *
   * @throws io.deltasync.errors.SyncException when the shutdown is not confirmed or the reverse
   *     sync fails; the primary then stays paused
   */
  public FailbackReport run(DeltaSyncConfig config) {
    Instant started = clock.instant();

    // 0. What the secondary holds: per group, the recovery point and whether it was promoted.
    List<GroupFailback> kept = new ArrayList<>();
    List<WorkspaceConfig> carried = new ArrayList<>();
    List<String> failedBack = new ArrayList<>();
    for (WorkspaceConfig ws : config.workspaces()) {
      LedgerState forward = new LedgerState(ledgers.apply(ws).read());
      Epoch epoch = secondaryEpoch(ws, forward);
      if (epoch.afterFailback()) {
        // A failback that recorded its epoch and stopped before (or during) promotion: resume.
        LOG.info("Failback {}: {} is recorded; resuming with the promotion", ws.name(),
            epoch.describe());
        failedBack.add(ws.name());
        carried.add(ws.withGroups(List.of()));
        continue;
      }
      JobsControl secondary = secondaryJobs.apply(ws);
      RunSource runs = secondaryRuns.apply(ws);
      List<SyncGroup> groups = new ArrayList<>();
      for (SyncGroup group : ws.groups()) {
        Optional<SyncPoint> applied = forward.lastApplied(ws.name(), group.name());
        Optional<String> skip = skipReason(ws, group, epoch, applied, secondary, runs);
        if (skip.isPresent()) {
          LOG.info("Failback {}/{}: kept the primary's tables: {}", ws.name(), group.name(),
              skip.get());
          kept.add(new GroupFailback(ws.name(), group.name(), false, skip, OptionalLong.empty(),
              Optional.empty(), List.of()));
          continue;
        }
        groups.add(group);
      }
      carried.add(ws.withGroups(groups));
    }

    // 1. One-time, controlled shutdown.
    List<ScheduleReport> secondaryShutdown = new ArrayList<>();
    List<ScheduleReport> primaryHold = new ArrayList<>();
    for (WorkspaceConfig ws : config.workspaces()) {
      List<String> workflows = workflows(ws);
      secondaryShutdown.add(new ScheduleSwitch(secondaryJobs.apply(ws), clock, sleeper)
          .apply(workflows, PauseStatus.PAUSED, ActiveRuns.CANCEL, RetryPolicy.once()));
      List<String> primaryNames = new ArrayList<>(workflows);
      primaryNames.add(jobNames.sender());
      primaryHold.add(new ScheduleSwitch(primaryJobs.apply(ws), clock, sleeper)
          .apply(primaryNames, PauseStatus.PAUSED, ActiveRuns.CANCEL, RetryPolicy.once()));
    }
    List<String> unconfirmed = new ArrayList<>();
    for (ScheduleReport report : concat(secondaryShutdown, primaryHold)) {
      report.unconfirmed().forEach(j -> unconfirmed.add(report.workspace() + " job " + j.job()
          + " (" + j.status() + ": " + j.detail() + ")"));
    }
    if (!unconfirmed.isEmpty()) {
      throw SyncErrors.failbackShutdownUnconfirmed(unconfirmed);
    }

    // 2. Secondary to primary, with the same engine: a reverse send in the secondary, then a
    // reverse receive in the primary, each a job of its own region.
    DeltaSyncConfig carriedForward = new DeltaSyncConfig(config.secretScope(), carried,
        config.notifications());
    DeltaSyncConfig reverse = Roles.reversed(carriedForward);
    FailbackSteps regionSteps = steps.orElseGet(() -> FailbackSteps.inProcess(inProcess()));
    LOG.info("Failback: staging the secondary's last completed state under sync_location_primary");
    List<String> sendFailures = regionSteps.send(carriedForward);
    if (!sendFailures.isEmpty()) {
      throw SyncErrors.failbackSyncFailed("send", sendFailures);
    }
    LOG.info("Failback: cloning the staged state into the primary tables");
    List<String> receiveFailures = regionSteps.receive(carriedForward);
    if (!receiveFailures.isEmpty()) {
      throw SyncErrors.failbackSyncFailed("receive", receiveFailures);
    }
    List<GroupFailback> groups = new ArrayList<>();
    List<String> notApplied = new ArrayList<>();
    for (WorkspaceConfig ws : reverse.workspaces()) {
      LedgerState state = new LedgerState(ledgers.apply(ws).read());
      for (SyncGroup group : ws.groups()) {
        Optional<SyncPoint> staged = state.lastStaged(ws.name(), group.name());
        Optional<SyncPoint> applied = state.lastApplied(ws.name(), group.name());
        if (staged.isEmpty() || applied.isEmpty()
            || applied.get().sequence() < staged.get().sequence()) {
          notApplied.add(ws.name() + "/" + group.name() + ": the reverse ledger at "
              + ledgers.apply(ws).location() + " shows sync point "
              + staged.map(p -> Long.toString(p.sequence())).orElse("none") + " staged and "
              + applied.map(p -> Long.toString(p.sequence())).orElse("none") + " applied");
          continue;
        }
        groups.add(carriedBack(ws, group, applied.get()));
      }
    }
    if (!notApplied.isEmpty()) {
      throw SyncErrors.failbackSyncFailed("check", notApplied);
    }
    groups.addAll(kept);

    // 2b. The epoch of the primary: its versions now are the forward sender's baseline.
    for (WorkspaceConfig ws : config.workspaces()) {
      if (failedBack.contains(ws.name())) {
        continue;
      }
      WorkspaceConfig reversedWs = Roles.reversed(ws.withGroups(List.of()));
      LedgerState reverseState = new LedgerState(ledgers.apply(reversedWs).read());
      LedgerState forwardState = new LedgerState(ledgers.apply(ws).read());
      List<EpochRecorder.TablePoint> points = new ArrayList<>();
      for (GroupFailback g : groups) {
        if (!g.workspace().equals(ws.name()) || !g.carriedBack()) {
          continue;
        }
        SyncPoint applied = reverseState.lastApplied(ws.name(), g.group()).orElseThrow();
        // The forward history ends at the sync point the secondary last applied: any forward sync
        // point above it was staged late by the primary, under the failover's epoch or before.
        long forwardApplied = forwardState.lastApplied(ws.name(), g.group())
            .map(SyncPoint::sequence).orElse(0L);
        for (LedgerRow r : applied.tables()) {
          // Forward names: the reverse row's source is the secondary table, its target the primary.
          points.add(new EpochRecorder.TablePoint(g.group(), r.secondaryTable(), r.tableName(),
              forwardApplied, applied.runId(), applied.runEndTime(), r.targetVersion(),
              r.stagingVersion(), r.sourceVersion()));
        }
      }
      epochs.makeActive(ws, ledgers.apply(ws), Region.PRIMARY, points, "failback");
    }

    // 3. Only now may the primary run again. 4. The secondary back on standby.
    List<ScheduleReport> promotion = new ArrayList<>();
    List<ScheduleReport> standby = new ArrayList<>();
    for (WorkspaceConfig ws : config.workspaces()) {
      List<String> primaryNames = new ArrayList<>(workflows(ws));
      primaryNames.add(jobNames.sender());
      promotion.add(new ScheduleSwitch(primaryJobs.apply(ws), clock, sleeper)
          .apply(primaryNames, PauseStatus.UNPAUSED, ActiveRuns.LEAVE, RetryPolicy.once()));
      ScheduleSwitch secondary = new ScheduleSwitch(secondaryJobs.apply(ws), clock, sleeper);
      ScheduleReport receiverOn = secondary.apply(List.of(jobNames.receiver()),
          PauseStatus.UNPAUSED, ActiveRuns.LEAVE, RetryPolicy.once());
      ScheduleReport reverseOff = secondary.apply(List.of(jobNames.reverseSender()),
          PauseStatus.PAUSED, ActiveRuns.LEAVE, RetryPolicy.once());
      List<JobOutcome> jobs = new ArrayList<>(receiverOn.jobs());
      jobs.addAll(reverseOff.jobs());
      standby.add(new ScheduleReport(receiverOn.workspace(), PauseStatus.UNPAUSED,
          receiverOn.started(), reverseOff.finished(), receiverOn.rounds() + reverseOff.rounds(),
          jobs));
    }
    FailbackReport report = new FailbackReport(started, clock.instant(), secondaryShutdown,
        primaryHold, groups, promotion, standby);
    LOG.info("Failback finished: {} groups carried back, primary {}", groups.stream()
        .filter(GroupFailback::carriedBack).count(), report.complete() ? "promoted" : "NOT fully"
        + " promoted (see the report)");
    return report;
  }

  /** The reverse send and receive in this process, with the failback's own parts. */
  private ReverseSync inProcess() {
    Sender.Builder sender = Sender.builder()
        .runSources(reversed -> secondaryRuns.apply(Roles.reversed(reversed)))
        .tableIds(tableIds)
        .versions(versions)
        .cloner(cloner)
        .clock(clock)
        .sleeper(sleeper)
        .retryBase(retryBase);
    // The primary tables are no clones of the reverse staging: replace them (force).
    Receiver receiver = new Receiver(ledgers, cloner, clock, sleeper, new Random(), retryBase,
        CloneOptions.defaults().withForce(true), GroupListener.none());
    return new ReverseSync(sender, receiver, ledgers);
  }

  /**
   * The forward ledger's current epoch, in which the secondary must be active for the reverse
   * sender. A ledger without any epoch record predates epochs (its failover was run by an older
   * deltasync): the failover's epoch is recorded now, with each group's last applied sync point as
   * its recovery point.
   */
  private Epoch secondaryEpoch(WorkspaceConfig ws, LedgerState forward) {
    Epoch epoch = forward.currentEpoch(ws.name());
    if (epoch.active() == Region.SECONDARY || epoch.afterFailback()) {
      return epoch;
    }
    LOG.warn("Failback {}: the ledger records no failover (it is at {}); recording the"
        + " failover's epoch now, from each group's last applied sync point", ws.name(),
        epoch.describe());
    List<EpochRecorder.TablePoint> points = new ArrayList<>();
    for (SyncGroup group : ws.groups()) {
      forward.lastApplied(ws.name(), group.name()).ifPresent(p -> p.tables().forEach(r ->
          points.add(new EpochRecorder.TablePoint(group.name(), r.tableName(),
              r.secondaryTable(), p.sequence(), p.runId(), p.runEndTime(), r.sourceVersion(),
              r.stagingVersion(), r.targetVersion()))));
    }
    return epochs.makeActive(ws, ledgers.apply(ws), Region.SECONDARY, points, "failback");
  }

  /**
   * Why a group is not carried back, if it is not. Decided by versions, never by comparing clocks:
   * the group ran in the secondary when its newest successful run there pinned some table above
   * the version that table held at the recovery point (the failover epoch's baseline).
   */
  private Optional<String> skipReason(WorkspaceConfig ws, SyncGroup group, Epoch epoch,
      Optional<SyncPoint> applied, JobsControl secondary, RunSource runs) {
    if (group.workflow().isEmpty()) {
      return applied.isPresent() ? Optional.empty()
          : Optional.of("standalone tables never synced to the secondary");
    }
    String workflow = group.workflow().get();
    Optional<WorkflowRun> newest = runs.runs(workflow, OptionalLong.empty()).stream()
        .filter(WorkflowRun::succeeded)
        .max(java.util.Comparator.comparingLong(WorkflowRun::runId));
    if (newest.isPresent() && ranSince(ws, group, epoch, newest.get())) {
      return Optional.empty();
    }
    if (applied.isEmpty()) {
      return Optional.of("the secondary holds no state of it (never synced, never ran there)");
    }
    boolean promoted = secondary.state(secondary.job(workflow)).is(PauseStatus.UNPAUSED);
    return promoted ? Optional.empty()
        : Optional.of("workflow " + workflow + " was not promoted in the secondary (paused) and has"
            + " not run there since its recovery point");
  }

  private boolean ranSince(WorkspaceConfig ws, SyncGroup group, Epoch epoch, WorkflowRun run) {
    Placement placement = Placement.of(ws);
    for (var table : group.tables()) {
      OptionalLong floor = epoch.baseline(group.name(), table.secondary().toString());
      if (floor.isEmpty()) {
        return true; // no recovery point: any successful run there is the secondary's own state
      }
      try {
        if (versions.versionAsOf(placement.secondary(table.secondary()), run) > floor.getAsLong()) {
          return true;
        }
      } catch (RuntimeException e) {
        LOG.debug("Failback {}/{}: table {} has no version as of secondary run {}: {}", ws.name(),
            group.name(), table.secondary(), run.runId(), SyncErrors.describe(e));
      }
    }
    return false;
  }

  private GroupFailback carriedBack(WorkspaceConfig reversedWs, SyncGroup group, SyncPoint applied) {
    List<TableCopy> tables = applied.tables().stream()
        .map(r -> new TableCopy(r.tableName(), r.sourceVersion(), r.secondaryTable(),
            r.targetVersion()))
        .toList();
    Optional<String> note = applied.runId().isPresent() && applied.runEndTime().isPresent()
        ? Optional.of("state at the end of secondary run " + applied.runId().getAsLong()
            + " (ended " + applied.runEndTime().get() + ")")
        : applied.runEndTime().isEmpty() && group.workflow().isPresent()
            ? Optional.of("the recovery point: no successful run in the secondary since")
            : Optional.of("standalone tables as of " + applied.recordedAt());
    return new GroupFailback(reversedWs.name(), group.name(), true, note, applied.runId(),
        applied.runEndTime(), tables);
  }

  private static List<String> workflows(WorkspaceConfig ws) {
    return ws.groups().stream().flatMap(g -> g.workflow().stream()).distinct().toList();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Wires a failback; the engine parts have no default. */
  public static final class Builder {
    private Function<WorkspaceConfig, JobsControl> primaryJobs;
    private Function<WorkspaceConfig, JobsControl> secondaryJobs;
    private Function<WorkspaceConfig, SyncLedger> ledgers;
    private Function<WorkspaceConfig, RunSource> secondaryRuns;
    private TableVersions versions;
    private TableCloner cloner;
    private JobNames jobNames = JobNames.defaults();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Duration retryBase = Duration.ofSeconds(2);
    private TableIds tableIds = TableIds.unknown();
    private String principal = EpochRecorder.defaultPrincipal();
    private Faults faults = Faults.NONE;
    private Optional<FailbackSteps> steps = Optional.empty();

    /**
     * Where the reverse send and receive run; by default this process, confined to each region in
     * turn, with this builder's parts.
     */
    public Builder steps(FailbackSteps value) {
      this.steps = Optional.of(value);
      return this;
    }

    /** The secondary tables' Delta ids, for the reverse sender; unknown by default. */
    public Builder tableIds(TableIds value) {
      this.tableIds = Objects.requireNonNull(value);
      return this;
    }

    /** Who runs the failback, recorded in the epoch record; the OS user by default. */
    public Builder principal(String value) {
      this.principal = Objects.requireNonNull(value);
      return this;
    }

    /** Failure injection for tests; {@link Faults#NONE} by default. */
    public Builder faults(Faults value) {
      this.faults = Objects.requireNonNull(value);
      return this;
    }

    public Builder primaryJobs(Function<WorkspaceConfig, JobsControl> value) {
      this.primaryJobs = value;
      return this;
    }

    public Builder secondaryJobs(Function<WorkspaceConfig, JobsControl> value) {
      this.secondaryJobs = value;
      return this;
    }

    /** The ledger under a workspace's {@code sync_location_secondary} (forward and reversed). */
    public Builder ledgers(Function<WorkspaceConfig, SyncLedger> value) {
      this.ledgers = value;
      return this;
    }

    /** The secondary's runs of a (forward) workspace: Jobs API there, or its run log. */
    public Builder secondaryRuns(Function<WorkspaceConfig, RunSource> value) {
      this.secondaryRuns = value;
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

    public Builder jobNames(JobNames value) {
      this.jobNames = Objects.requireNonNull(value);
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

    public Builder retryBase(Duration value) {
      this.retryBase = Objects.requireNonNull(value);
      return this;
    }

    public Failback build() {
      return new Failback(this);
    }
  }
}
