package io.deltasync.failover;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.StagingCheck;
import io.deltasync.clone.TableCloner;
import io.deltasync.clone.TableRestorer;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.failover.GroupRecovery.Status;
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
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runs.RunSource;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupListener;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.GroupStatus;
import io.deltasync.sync.Placement;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.Sleeper;
import io.deltasync.table.TableLocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover: brings the secondary region up at the last consistent point of every group.
 *
 * <p>It runs in the secondary region and promotes first: a primary that is down never delays the
 * secondary.
 *
 * <ol>
 *   <li>Pause the secondary's receiver (and keep the reverse sender paused) so nothing else moves
 *       the secondary tables, then bring every group to one sync point: a sync point staged but not
 *       (fully) applied is applied now by the receiver (roll forward). A group whose newest staging
 *       is incomplete (a table missing from the sync point, no staging version, staging table
 *       missing or behind the recorded version) or whose roll forward fails is not promoted.
 *       A keep-primary drill still open for a group ({@link KeepPrimaryDrill}) is ended first:
 *       its tables are put back where the drill found them, undoing its writes.
 *   <li>Per group, the recovery point (run id, run end, each table's versions) and the RPO achieved.
 *   <li>The epoch record (the secondary active, by whom, each group's recovery point) is appended
 *       to the ledger: from then on the primary's sender is refused, and a sync point it staged
 *       late (under the older epoch) is never applied, by the receiver or by a later failover.
 *   <li>Unpause the promoted groups' workflows in the secondary.
 *   <li>Best-effort shutdown of the primary, through its Jobs API: pause the groups' workflows and
 *       the sender there (and cancel their active runs), asking again every
 *       {@code sync_failover_interval_mins} until confirmed or {@code failover_deadline_mins} has
 *       passed. Each try is logged; what was not confirmed is reported. The epoch already fences
 *       the primary's sender, so a primary that comes back late cannot overwrite the secondary.
 * </ol>
 *
 * <p>Safe to run again: every step is idempotent (pausing a paused job, applying an applied sync
 * point), so a failover interrupted half-way is finished by running it again.
 */
public final class Failover {

  private static final Logger LOG = LoggerFactory.getLogger(Failover.class);

  private final Function<WorkspaceConfig, JobsControl> primaryJobs;
  private final Function<WorkspaceConfig, JobsControl> secondaryJobs;
  private final Function<WorkspaceConfig, SyncLedger> ledgers;
  private final Function<WorkspaceConfig, RunSource> primaryRuns;
  private final TableCloner cloner;
  private final Receiver receiver;
  private final JobNames jobNames;
  private final Clock clock;
  private final Sleeper sleeper;
  private final EpochRecorder epochs;
  private final DrillRestorer drills;

  private Failover(Builder b) {
    this.primaryJobs = Objects.requireNonNull(b.primaryJobs, "primaryJobs");
    this.secondaryJobs = Objects.requireNonNull(b.secondaryJobs, "secondaryJobs");
    this.ledgers = Objects.requireNonNull(b.ledgers, "ledgers");
    this.primaryRuns = Objects.requireNonNull(b.primaryRuns, "primaryRuns");
    this.cloner = Objects.requireNonNull(b.cloner, "cloner");
    this.jobNames = b.jobNames;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.epochs = new EpochRecorder(clock, b.principal, b.faults);
    this.drills = new DrillRestorer(cloner, b.restorer, clock, b.principal);
    this.receiver = new Receiver(ledgers, cloner, clock, sleeper, new Random(), b.retryBase,
        CloneOptions.defaults(), GroupListener.none(), io.deltasync.faults.Faults.NONE,
        b.stagingCheck);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Fails over every workspace of the config; never throws for a group (see the report). */
  public FailoverReport run(DeltaSyncConfig config) {
    Instant started = clock.instant();
    List<FailoverReport.WorkspaceFailover> workspaces = new ArrayList<>();
    for (WorkspaceConfig workspace : config.workspaces()) {
      workspaces.add(failOver(config, workspace));
    }
    FailoverReport report = new FailoverReport(started, clock.instant(), workspaces);
    LOG.info("Failover finished: {} groups promoted, {} not promoted", report.groups().size()
        - report.notPromoted().size(), report.notPromoted().size());
    return report;
  }

  private FailoverReport.WorkspaceFailover failOver(DeltaSyncConfig config, WorkspaceConfig ws) {
    RetryPolicy policy = new RetryPolicy(ws.failoverInterval(), ws.failoverDeadline());
    List<String> workflows = ws.groups().stream()
        .flatMap(g -> g.workflow().stream()).distinct().toList();

    // 1. Nothing else moves the secondary tables from now on.
    JobsControl secondary = secondaryJobs.apply(ws);
    ScheduleReport standby = new ScheduleSwitch(secondary, clock, sleeper).apply(
        List.of(jobNames.receiver(), jobNames.reverseSender()), PauseStatus.PAUSED, ActiveRuns.LEAVE,
        policy);

    // 2. One sync point per group, its recovery point and RPO.
    List<GroupRecovery> groups = new ArrayList<>();
    // One ledger instance for the whole workspace: each of its reads after the first reads only
    // the commits appended since the one before (DeltaSyncLedger#currentRows).
    SyncLedger ledger = ledgers.apply(ws);
    // One ledger read serves every group: a group's roll forward appends rows of that group only.
    Supplier<LedgerState> before = once(() -> ledger.current(ws.name()));
    for (SyncGroup group : ws.groups()) {
      groups.add(recover(config, ws, group, ledger, before));
    }

    // 3. The epoch record: the secondary is the active region from now on, and the primary's
    // sender is fenced whether or not the primary answers below.
    try {
      Epoch epoch = epochs.makeActive(ws, ledger, Region.SECONDARY,
          tablePoints(ws, ledger, groups), "failover");
      LOG.info("Failover {}: {}", ws.name(), epoch.describe());
    } catch (RuntimeException e) {
      String why = SyncErrors.describe(e);
      LOG.error("Failover {}: {}", ws.name(), why);
      groups = groups.stream().map(g -> g.promoted() ? new GroupRecovery(g.workspace(), g.group(),
          g.workflow(), Status.NOT_PROMOTED, Optional.of(why), g.rolledForward(), g.point(),
          g.rpo()) : g).toList();
    }

    // 4. Promotion.
    List<String> promotedWorkflows = groups.stream().filter(GroupRecovery::promoted)
        .flatMap(g -> g.workflow().stream()).distinct().toList();
    ScheduleReport promotion = new ScheduleSwitch(secondary, clock, sleeper)
        .apply(promotedWorkflows, PauseStatus.UNPAUSED, ActiveRuns.LEAVE, policy);
    List<GroupRecovery> finalGroups = new ArrayList<>();
    for (GroupRecovery g : groups) {
      Optional<JobOutcome> unpaused = g.workflow().flatMap(w -> promotion.jobs().stream()
          .filter(j -> j.job().equals(w)).findFirst());
      if (g.promoted() && unpaused.isPresent() && !unpaused.get().confirmed()) {
        finalGroups.add(new GroupRecovery(g.workspace(), g.group(), g.workflow(),
            Status.NOT_PROMOTED, Optional.of("its tables are at the recovery point, but unpausing"
                + " workflow " + unpaused.get().job() + " in the secondary failed: "
                + unpaused.get().detail()), g.rolledForward(), g.point(), g.rpo()));
      } else {
        finalGroups.add(g);
      }
    }

    // 5. Only now the primary, which may be down: the outage never waits for it. Every try is
    // logged as it happens; what was never confirmed is in the report.
    List<String> primaryNames = new ArrayList<>(workflows);
    primaryNames.add(jobNames.sender());
    LOG.info("Failover {}: the secondary is promoted; pausing {} in the primary (again every {}"
        + " until {} has passed)", ws.name(), primaryNames, ws.failoverInterval(),
        ws.failoverDeadline());
    ScheduleReport shutdown = new ScheduleSwitch(primaryJobs.apply(ws), clock, sleeper)
        .apply(primaryNames, PauseStatus.PAUSED, ActiveRuns.CANCEL, policy);
    for (JobOutcome job : shutdown.unconfirmed()) {
      LOG.warn("Failover {}: primary job {} NOT confirmed paused ({}): {}", ws.name(), job.job(),
          job.status(), job.detail());
    }
    return new FailoverReport.WorkspaceFailover(ws.name(), shutdown, standby, finalGroups, promotion);
  }

  /** {@code read}'s first value, read again after a failure. */
  private static Supplier<LedgerState> once(Supplier<LedgerState> read) {
    LedgerState[] value = new LedgerState[1];
    return () -> value[0] != null ? value[0] : (value[0] = read.get());
  }

  private GroupRecovery recover(DeltaSyncConfig config, WorkspaceConfig ws, SyncGroup group,
      SyncLedger ledger, Supplier<LedgerState> before) {
    LedgerState state;
    try {
      state = before.get();
    } catch (RuntimeException e) {
      return notPromoted(ws, group, "the ledger cannot be read: " + SyncErrors.describe(e),
          OptionalLong.empty(), Optional.empty(), Optional.empty());
    }
    Optional<SyncPoint> drill = state.openDrill(ws.name(), group.name());
    if (drill.isPresent()) {
      // A keep-primary drill was writing to the group's tables: undo it before anything else.
      LOG.warn("Failover {}/{}: keep-primary drill {} (begun {}) is open; putting its tables"
          + " back to undo its writes", ws.name(), group.name(), drill.get().syncId(),
          drill.get().recordedAt());
      Optional<String> failed = drills.end(ws, group, ledger, drill.get().syncId(), "Failover");
      if (failed.isPresent()) {
        return notPromoted(ws, group, "keep-primary drill " + drill.get().syncId() + " was"
            + " writing to its tables and they could not be put back where it found them: "
            + failed.get(), OptionalLong.empty(), Optional.empty(), Optional.empty());
      }
    }
    Optional<SyncPoint> staged = state.lastApplicable(ws.name(), group.name());
    Optional<SyncPoint> applied = state.lastApplied(ws.name(), group.name());
    Optional<String> note = lateSyncPoints(ws, group, state);
    if (staged.isEmpty() && applied.isPresent()) {
      staged = applied; // only late sync points of an older epoch are above it
    }
    if (staged.isEmpty()) {
      // Never staged, or staged only under an older epoch and never applied (a failback since).
      return notPromoted(ws, group, note.map(n -> "nothing applicable is staged for it (" + n + ")")
              .orElse("no sync point was ever staged for it")
              + ": the secondary holds no state of this group", OptionalLong.empty(),
          Optional.empty(), Optional.empty());
    }
    Optional<SyncPoint> held = applied;
    OptionalLong rolledForward = OptionalLong.empty();
    if (applied.isEmpty() || applied.get().sequence() < staged.get().sequence()) {
      SyncPoint point = staged.get();
      Optional<String> incomplete = incompleteStaging(ws, group, point);
      if (incomplete.isPresent()) {
        String why = "staging of sync point " + point.sequence() + " (sync " + point.syncId()
            + ", run " + run(point) + ") is incomplete: " + incomplete.get();
        LOG.error("Failover {}/{}: not promoted: {}", ws.name(), group.name(), why);
        return notPromoted(ws, group, why, OptionalLong.empty(), held(ws, group, state, applied),
            held.flatMap(p -> rpo(ws, group, p, state)));
      }
      LOG.info("Failover {}/{}: rolling forward sync point {} (last applied {})", ws.name(),
          group.name(), point.sequence(),
          applied.map(a -> Long.toString(a.sequence())).orElse("none"));
      CycleResult result = receiver.run(config, Optional.of(group.name()));
      Optional<GroupOutcome> outcome = result.groups().stream()
          .filter(o -> o.workspace().equals(ws.name()) && o.group().equals(group.name()))
          .findFirst();
      if (outcome.isEmpty() || outcome.get().status().failed()) {
        String why = "rolling forward sync point " + point.sequence() + " failed: "
            + outcome.flatMap(GroupOutcome::error).orElse("the receiver did not report the group")
            + ". In a failover the primary's sender does not re-stage it (the epoch record"
            + " fences it): fix the cause (damaged staging: restore its files) and run failover"
            + " again";
        LOG.error("Failover {}/{}: not promoted: {}", ws.name(), group.name(), why);
        return notPromoted(ws, group, why, OptionalLong.empty(), held(ws, group, state, applied),
            held.flatMap(p -> rpo(ws, group, p, state)));
      }
      rolledForward = OptionalLong.of(point.sequence());
      LedgerState after = ledger.current(ws.name());
      applied = after.lastApplied(ws.name(), group.name());
      if (applied.isEmpty() || applied.get().sequence() < point.sequence()) {
        return notPromoted(ws, group, "the receiver reported sync point " + point.sequence()
            + " applied, but the ledger at " + ledger.location() + " does not record it",
            rolledForward, held(ws, group, state, applied), Optional.empty());
      }
    }
    SyncPoint recovered = applied.orElseThrow();
    RecoveryPoint point = held(ws, group, state, Optional.of(recovered)).orElseThrow();
    if (!point.whole()) {
      LOG.warn("Failover {}/{}: the ledger records sync point {} applied, but the tables hold: {}",
          ws.name(), group.name(), recovered.sequence(), point.tables());
    }
    Optional<Rpo> rpo = rpo(ws, group, recovered, state);
    LOG.info("Failover {}/{}: recovered to sync point {} (run {}, ended {}), RPO {}", ws.name(),
        group.name(), recovered.sequence(), run(recovered),
        recovered.runEndTime().map(Instant::toString).orElse("-"), rpo.map(Rpo::dataLoss));
    return new GroupRecovery(ws.name(), group.name(), group.workflow(), Status.PROMOTED,
        note, rolledForward, Optional.of(point), rpo);
  }

  /**
   * Why sync points above the applied one are left alone: staged under an older epoch than the
   * current one, by a region that had lost its role (a late sender).
   */
  private static Optional<String> lateSyncPoints(WorkspaceConfig ws, SyncGroup group,
      LedgerState state) {
    List<SyncPoint> late = state.fencedOff(ws.name(), group.name());
    if (late.isEmpty()) {
      return Optional.empty();
    }
    Epoch current = state.currentEpoch(ws.name());
    String points = late.stream().map(p -> p.sequence() + " (sync " + p.syncId() + ", run "
        + run(p) + ", staged from the " + p.sourceRegion() + " region under epoch " + p.epoch()
        + ")").reduce((a, b) -> a + ", " + b).orElseThrow();
    String why = "sync point(s) " + points + " not applied: staged under an older epoch than the"
        + " ledger's " + current.describe()
        + (current.active() == Region.SECONDARY ? ", so the secondary's own writes since are kept"
            : "");
    LOG.warn("Failover {}/{}: {}", ws.name(), group.name(), why);
    return Optional.of(why);
  }

  /**
   * Each group's tables at its recovery point, for the epoch record. A group not promoted records
   * the sync point it still has to roll forward (so failover run again may apply it), a promoted
   * one the sync point applied; a sync point staged later is never part of the epoch's history.
   */
  private List<EpochRecorder.TablePoint> tablePoints(WorkspaceConfig ws, SyncLedger ledger,
      List<GroupRecovery> groups) {
    LedgerState state = ledger.current(ws.name());
    List<EpochRecorder.TablePoint> points = new ArrayList<>();
    for (GroupRecovery g : groups) {
      Optional<SyncPoint> applied = state.lastApplied(ws.name(), g.group());
      Optional<SyncPoint> staged = state.lastApplicable(ws.name(), g.group());
      long sequence = g.promoted() || staged.isEmpty()
          ? applied.map(SyncPoint::sequence).orElse(0L)
          : Math.max(staged.get().sequence(), applied.map(SyncPoint::sequence).orElse(0L));
      Optional<SyncPoint> held = applied.isPresent() ? applied : staged;
      if (held.isEmpty()) {
        continue;
      }
      SyncPoint p = held.get();
      for (LedgerRow t : p.tables()) {
        points.add(new EpochRecorder.TablePoint(g.group(), t.tableName(), t.secondaryTable(),
            sequence, p.runId(), p.runEndTime(), t.sourceVersion(), t.stagingVersion(),
            applied.isPresent() ? t.targetVersion() : OptionalLong.empty()));
      }
    }
    return points;
  }

  /**
   * The recovery point of the applied sync point, each table as it really is: its clone marker
   * read from the secondary table says which staging version it holds, and so which sync point
   * (the newest recording that staging version) and source version. A table that cannot be read
   * that way (staging gone, not a clone) is reported as the ledger records it.
   */
  private Optional<RecoveryPoint> held(WorkspaceConfig ws, SyncGroup group, LedgerState state,
      Optional<SyncPoint> applied) {
    if (applied.isEmpty()) {
      return Optional.empty();
    }
    RecoveryPoint recorded = RecoveryPoint.of(applied.get());
    Placement placement = Placement.of(ws);
    List<SyncPoint> staged = state.syncPoints(ws.name(), group.name(), SyncStatus.STAGED);
    List<RecoveryPoint.TableVersion> tables = new ArrayList<>();
    for (RecoveryPoint.TableVersion t : recorded.tables()) {
      tables.add(actual(group, placement, staged, t));
    }
    return Optional.of(new RecoveryPoint(recorded.syncId(), recorded.sequence(), recorded.runId(),
        recorded.runEnd(), recorded.appliedAt(), tables));
  }

  private RecoveryPoint.TableVersion actual(SyncGroup group, Placement placement,
      List<SyncPoint> staged, RecoveryPoint.TableVersion recorded) {
    io.deltasync.table.TableName source = io.deltasync.table.TableName.parse(recorded.table());
    TableLocation secondary = placement.secondary(
        io.deltasync.table.TableName.parse(recorded.secondaryTable()));
    try {
      OptionalLong holds = cloner.clonedVersion(placement.staging(group, source), secondary);
      if (holds.isEmpty() || holds.equals(recorded.stagingVersion())) {
        return recorded;
      }
      for (int i = staged.size() - 1; i >= 0; i--) {
        Optional<LedgerRow> row = staged.get(i).table(recorded.table());
        if (row.isPresent() && row.get().stagingVersion().equals(holds)) {
          return new RecoveryPoint.TableVersion(recorded.table(), recorded.secondaryTable(),
              row.get().sourceVersion(), holds, OptionalLong.of(cloner.latestVersion(secondary)),
              staged.get(i).sequence());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Failover {}: cannot read which state {} holds; reporting the ledger's: {}",
          group.name(), secondary, SyncErrors.describe(e));
    }
    return recorded;
  }

  /** Why the staging of a sync point cannot be applied, if it cannot. */
  private Optional<String> incompleteStaging(WorkspaceConfig ws, SyncGroup group, SyncPoint point) {
    Placement placement = Placement.of(ws);
    List<String> problems = new ArrayList<>();
    for (TableMapping mapping : group.tables()) {
      Optional<LedgerRow> row = point.table(mapping.source().toString());
      if (row.isEmpty()) {
        problems.add("table " + mapping.source() + " is not in the sync point");
        continue;
      }
      if (row.get().stagingVersion().isEmpty()) {
        problems.add("table " + mapping.source() + " has no staging version");
        continue;
      }
      long version = row.get().stagingVersion().getAsLong();
      TableLocation staging = placement.staging(group, mapping.source());
      try {
        long latest = cloner.latestVersion(staging);
        if (latest < version) {
          problems.add("staging table " + staging + " is at version " + latest + ", before the"
              + " recorded version " + version);
        }
      } catch (RuntimeException e) {
        problems.add("staging table " + staging + " (version " + version + ") cannot be read: "
            + SyncErrors.describe(e));
      }
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  private Optional<Rpo> rpo(WorkspaceConfig ws, SyncGroup group, SyncPoint recovered,
      LedgerState state) {
    return Optional.of(RpoMeasure.of(ws, group, recovered, state, primaryRuns, Optional.empty(),
        "Failover"));
  }

  private static String run(SyncPoint point) {
    return point.runId().isPresent() ? Long.toString(point.runId().getAsLong()) : "standalone";
  }

  private static GroupRecovery notPromoted(WorkspaceConfig ws, SyncGroup group, String reason,
      OptionalLong rolledForward, Optional<RecoveryPoint> point, Optional<Rpo> rpo) {
    return new GroupRecovery(ws.name(), group.name(), group.workflow(), Status.NOT_PROMOTED,
        Optional.of(reason), rolledForward, point, rpo);
  }

  /** Wires a failover; the engine parts have no default. */
  public static final class Builder {
    private Function<WorkspaceConfig, JobsControl> primaryJobs;
    private Function<WorkspaceConfig, JobsControl> secondaryJobs;
    private Function<WorkspaceConfig, SyncLedger> ledgers;
    private Function<WorkspaceConfig, RunSource> primaryRuns;
    private TableCloner cloner;
    private TableRestorer restorer = (table, version) -> {
      throw io.deltasync.errors.SyncErrors.usage("this failover was built without a table"
          + " restorer, so it cannot put back the tables of an open keep-primary drill: wire"
          + " one (DrEngines does)");
    };
    private JobNames jobNames = JobNames.defaults();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Duration retryBase = Duration.ofSeconds(2);
    private StagingCheck stagingCheck = StagingCheck.LOG_ONLY;
    private String principal = EpochRecorder.defaultPrincipal();
    private Faults faults = Faults.NONE;

    /** Who runs the failover, recorded in the epoch record; the OS user by default. */
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

    public Builder ledgers(Function<WorkspaceConfig, SyncLedger> value) {
      this.ledgers = value;
      return this;
    }

    public Builder primaryRuns(Function<WorkspaceConfig, RunSource> value) {
      this.primaryRuns = value;
      return this;
    }

    public Builder cloner(TableCloner value) {
      this.cloner = value;
      return this;
    }

    /** Puts back the tables of a keep-primary drill left open (the runtime's in production). */
    public Builder restorer(TableRestorer value) {
      this.restorer = Objects.requireNonNull(value);
      return this;
    }

    /** How the roll forward checks staging files before applying (the runtime's in production). */
    public Builder stagingCheck(StagingCheck value) {
      this.stagingCheck = Objects.requireNonNull(value);
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

    /** The receiver's first backoff between clone retries during roll forward. */
    public Builder retryBase(Duration value) {
      this.retryBase = Objects.requireNonNull(value);
      return this;
    }

    public Failover build() {
      return new Failover(this);
    }
  }
}
