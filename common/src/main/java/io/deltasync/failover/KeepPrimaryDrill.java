package io.deltasync.failover;

import io.deltasync.clone.TableCloner;
import io.deltasync.clone.TableRestorer;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.failover.KeepPrimaryDrillReport.GroupDrill;
import io.deltasync.failover.KeepPrimaryDrillReport.Step;
import io.deltasync.failover.KeepPrimaryDrillReport.WorkspaceDrill;
import io.deltasync.jobs.ActiveRuns;
import io.deltasync.jobs.JobNames;
import io.deltasync.jobs.JobOutcome;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.jobs.RetryPolicy;
import io.deltasync.jobs.RunResult;
import io.deltasync.jobs.ScheduleSwitch;
import io.deltasync.ledger.Epoch;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runs.RunSource;
import io.deltasync.sync.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failover drill in which the primary keeps running ({@code drill --keep-primary}): the
 * secondary shows it can take over, and the primary's work and sync go on meanwhile. It runs in the
 * secondary region, reaching the primary only through its runs (Jobs API), and changes no epoch.
 *
 * <ol>
 *   <li>Refused when the ledger says the secondary is the active region (there is no primary to
 *       keep running then).
 *   <li>Pause the secondary's receiver and cancel its active runs: nothing applies to the
 *       secondary tables while the drill's runs write to them. Not confirmed: nothing else is done.
 *   <li>Append a {@code DRILL} record: one row per table of each group's last applied sync point,
 *       holding the secondary table's version as the drill found it (a group whose tables cannot
 *       be read is not drilled). It is the simulated outage's start. While it is open, the
 *       receiver applies nothing to the group (a receiver started by hand included), and failover
 *       ends it before it promotes.
 *   <li>Each group's RPO had the outage begun then: the primary's successful runs that ended by
 *       then and after the run the secondary holds.
 *   <li>Run-now each group's workflow in the secondary (their schedules stay paused), and wait for
 *       the runs to end (a run still going after the run timeout is cancelled). The RTO is the
 *       outage start to the first run started; a run is judged by its data tasks.
 *   <li>Put each table back at the version the drill found it at ({@link DrillRestorer}: {@code
 *       RESTORE}), which undoes the drill's writes, and append {@code DRILL_ENDED}.
 *   <li>Resume the receiver (when the drill paused it); it then applies what the primary's sender
 *       staged during the drill.
 * </ol>
 *
 * <p>Never throws for a group: what went wrong is in the report. A drill that stopped half-way is
 * finished by running it again: a drill left open is ended (its tables put back) before a new one
 * begins.
 */
public final class KeepPrimaryDrill {

  private static final Logger LOG = LoggerFactory.getLogger(KeepPrimaryDrill.class);
  private static final String COMMAND = "Drill";

  private final Function<WorkspaceConfig, JobsControl> secondaryJobs;
  private final Function<WorkspaceConfig, SyncLedger> ledgers;
  private final Function<WorkspaceConfig, RunSource> primaryRuns;
  private final JobNames jobNames;
  private final Clock clock;
  private final Sleeper sleeper;
  private final String principal;
  private final Duration poll;
  private final Duration runTimeout;
  private final DrillRestorer restorer;

  private KeepPrimaryDrill(Builder b) {
    this.secondaryJobs = Objects.requireNonNull(b.secondaryJobs, "secondaryJobs");
    this.ledgers = Objects.requireNonNull(b.ledgers, "ledgers");
    this.primaryRuns = Objects.requireNonNull(b.primaryRuns, "primaryRuns");
    this.jobNames = b.jobNames;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.principal = b.principal;
    this.poll = b.poll;
    this.runTimeout = b.runTimeout;
    this.restorer = new DrillRestorer(Objects.requireNonNull(b.cloner, "cloner"),
        Objects.requireNonNull(b.restorer, "restorer"), clock, principal);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Drills every workspace of the config, one after the other. */
  public KeepPrimaryDrillReport run(DeltaSyncConfig config) {
    Instant started = clock.instant();
    List<WorkspaceDrill> workspaces = new ArrayList<>();
    for (WorkspaceConfig ws : config.workspaces()) {
      workspaces.add(drill(ws));
    }
    return new KeepPrimaryDrillReport(started, clock.instant(), workspaces);
  }

  private WorkspaceDrill drill(WorkspaceConfig ws) {
    List<Step> steps = new ArrayList<>();
    SyncLedger ledger = ledgers.apply(ws);
    JobsControl secondary = secondaryJobs.apply(ws);
    RetryPolicy policy = new RetryPolicy(ws.failoverInterval(), ws.failoverDeadline());

    LedgerState state;
    try {
      state = ledger.current(ws.name());
    } catch (RuntimeException e) {
      return refused(ws, steps, "the ledger at " + ledger.location() + " cannot be read: "
          + SyncErrors.describe(e) + "; nothing was changed");
    }
    Epoch epoch = state.currentEpoch(ws.name());
    if (epoch.active() != Region.PRIMARY) {
      return refused(ws, steps, "the ledger's " + epoch.describe() + ": the secondary is the"
          + " active region, so there is no primary to keep running. Fail back first (deltasync"
          + " failback), or drill without --keep-primary");
    }

    step(steps, ws, "Pause the secondary's receiver (" + jobNames.receiver()
        + ") and cancel its active runs");
    JobOutcome paused = new ScheduleSwitch(secondary, clock, sleeper)
        .apply(List.of(jobNames.receiver()), PauseStatus.PAUSED, ActiveRuns.CANCEL, policy)
        .jobs().get(0);
    if (!paused.confirmed()) {
      return refused(ws, steps, "the secondary's receiver " + paused.job() + " is not confirmed"
          + " paused (" + paused.detail() + "); nothing was changed: run the drill again once the"
          + " secondary's Jobs API answers");
    }
    boolean resume = paused.status() == JobOutcome.Status.CONFIRMED;

    // A drill an earlier run left open ends first: its writes are undone before new ones begin.
    Map<String, GroupDrill> results = new LinkedHashMap<>();
    Map<SyncGroup, SyncPoint> drilled = new LinkedHashMap<>();
    try {
      state = ledger.current(ws.name()); // after the receiver's runs were cancelled
    } catch (RuntimeException e) {
      List<String> problems = new ArrayList<>();
      problems.add("the ledger at " + ledger.location() + " cannot be read: "
          + SyncErrors.describe(e) + "; no drill was recorded");
      resume(ws, steps, secondary, policy, resume, problems);
      return new WorkspaceDrill(ws.name(), Optional.empty(), steps, Optional.empty(),
          Optional.empty(), List.of(), problems);
    }
    for (SyncGroup group : ws.groups()) {
      Optional<SyncPoint> open = state.openDrill(ws.name(), group.name());
      Optional<String> left = open.flatMap(d -> {
        LOG.warn("Drill {}/{}: drill {} (begun {}) is still open; ending it first", ws.name(),
            group.name(), d.syncId(), d.recordedAt());
        return restorer.end(ws, group, ledger, d.syncId(), COMMAND);
      });
      Optional<SyncPoint> applied = state.lastApplied(ws.name(), group.name());
      if (left.isPresent()) {
        results.put(group.name(), skipped(group, applied, "drill " + open.get().syncId()
            + " left open by an earlier run could not be ended: " + left.get()));
      } else if (applied.isEmpty()) {
        results.put(group.name(), skipped(group, applied, "no sync point is applied in the"
            + " secondary yet: there is no state to drill; let the sender and receiver run first"));
      } else {
        drilled.put(group, applied.get());
      }
    }

    String drillId = "drill-" + UUID.randomUUID();
    Optional<Instant> outage = Optional.empty();
    List<String> problems = new ArrayList<>();
    Map<SyncGroup, Map<String, Long>> versions = versionsNow(ws, drilled, results);
    if (!drilled.isEmpty()) {
      step(steps, ws, "Record the drill in the ledger (" + drillId + ", DRILL rows, epoch "
          + epoch.number() + " unchanged): the simulated outage begins");
      Optional<String> recorded = record(ws, ledger, drillId, epoch, drilled, versions);
      if (recorded.isPresent()) {
        problems.add(recorded.get());
        drilled.keySet().forEach(g -> results.put(g.name(),
            skipped(g, Optional.of(drilled.get(g)), "not drilled: the drill was not recorded")));
        drilled.clear();
      } else {
        outage = Optional.of(clock.instant());
      }
    }

    Map<String, Long> runs = new LinkedHashMap<>();
    Map<String, String> runProblems = new LinkedHashMap<>();
    Optional<Instant> running = Optional.empty();
    Map<String, RunResult> ended = new LinkedHashMap<>();
    if (!drilled.isEmpty()) {
      List<String> workflows = drilled.keySet().stream().flatMap(g -> g.workflow().stream())
          .distinct().toList();
      step(steps, ws, "Start the workflows in the secondary (run-now): "
          + (workflows.isEmpty() ? "none (standalone tables only)" : String.join(", ", workflows)));
      for (String workflow : workflows) {
        try {
          long runId = secondary.runNow(secondary.job(workflow), Map.of());
          runs.put(workflow, runId);
          if (running.isEmpty()) {
            running = Optional.of(clock.instant());
          }
          LOG.info("Drill {}: workflow {} started in the secondary, run {}", ws.name(), workflow,
              runId);
        } catch (RuntimeException e) {
          runProblems.put(workflow, "its workflow " + workflow + " could not be started in the"
              + " secondary: " + SyncErrors.describe(e));
        }
      }
      if (!runs.isEmpty()) {
        step(steps, ws, "Wait for the secondary's workflow runs to end");
        await(ws, secondary, runs, ended, runProblems);
      }
      step(steps, ws, "Put each table back at its version when the drill began (undoes the"
          + " drill's writes) and record DRILL_ENDED");
    }

    for (Map.Entry<SyncGroup, SyncPoint> e : drilled.entrySet()) {
      SyncGroup group = e.getKey();
      SyncPoint point = e.getValue();
      List<String> groupProblems = new ArrayList<>();
      Optional<String> workflow = group.workflow();
      workflow.map(runProblems::get).ifPresent(groupProblems::add);
      Optional<String> restored = restorer.end(ws, group, ledger, drillId, COMMAND);
      restored.ifPresent(why -> groupProblems.add("its drill is still open, the receiver keeps"
          + " off it: " + why + ". Run the drill again (it ends this one first) or fail over"));
      Optional<Rpo> rpo = Optional.of(RpoMeasure.of(ws, group, point, state, primaryRuns, outage,
          COMMAND));
      results.put(group.name(), new GroupDrill(group.name(), workflow,
          OptionalLong.of(point.sequence()), point.runId(), point.runEndTime(), rpo,
          workflow.map(runs::get).map(OptionalLong::of).orElse(OptionalLong.empty()),
          workflow.map(ended::get), restored.isEmpty(), groupProblems));
    }

    resume(ws, steps, secondary, policy, resume, problems);
    step(steps, ws, "Drill ended");
    List<GroupDrill> groups = ws.groups().stream().map(g -> results.get(g.name())).toList();
    return new WorkspaceDrill(ws.name(), outage.map(o -> drillId), steps, outage, running, groups,
        problems);
  }

  /**
   * Each drilled table's version now, which the drill puts it back to; a group whose tables
   * cannot be read is left out of the drill, with its problem.
   */
  private Map<SyncGroup, Map<String, Long>> versionsNow(WorkspaceConfig ws,
      Map<SyncGroup, SyncPoint> drilled, Map<String, GroupDrill> results) {
    Map<SyncGroup, Map<String, Long>> versions = new LinkedHashMap<>();
    for (Map.Entry<SyncGroup, SyncPoint> e : List.copyOf(drilled.entrySet())) {
      Map<String, Long> tables = new LinkedHashMap<>();
      try {
        for (LedgerRow t : e.getValue().tables()) {
          tables.put(t.tableName(), restorer.versionNow(ws, e.getKey(), t));
        }
        versions.put(e.getKey(), tables);
      } catch (RuntimeException failure) {
        drilled.remove(e.getKey());
        results.put(e.getKey().name(), skipped(e.getKey(), Optional.of(e.getValue()),
            "not drilled: its secondary tables cannot be read (" + SyncErrors.describe(failure)
                + "), so the drill could not put them back afterwards"));
      }
    }
    return versions;
  }

  /** Appends the DRILL rows; why it failed, if it did (then nothing is drilled). */
  private Optional<String> record(WorkspaceConfig ws, SyncLedger ledger, String drillId,
      Epoch epoch, Map<SyncGroup, SyncPoint> drilled,
      Map<SyncGroup, Map<String, Long>> versions) {
    Instant now = clock.instant();
    List<LedgerRow> rows = new ArrayList<>();
    for (Map.Entry<SyncGroup, SyncPoint> e : drilled.entrySet()) {
      SyncPoint p = e.getValue();
      for (LedgerRow t : p.tables()) {
        // The row's target version: the secondary table's version as the drill found it.
        rows.add(new LedgerRow(LedgerRow.CURRENT_FORMAT, drillId, p.sequence(), ws.name(),
            e.getKey().name(), t.tableName(), t.secondaryTable(), p.runId(), p.runEndTime(),
            t.sourceVersion(), t.stagingVersion(),
            OptionalLong.of(versions.get(e.getKey()).get(t.tableName())), SyncStatus.DRILL, 0, 0,
            0, 0, 0, 0, 0, 1, Optional.empty(), now, epoch.number(), epoch.active(),
            t.sourceTableId(), Optional.of(principal)));
      }
    }
    try {
      ledger.append(rows, Optional.empty());
      LOG.info("Drill {}: drill {} recorded for {} group(s)", ws.name(), drillId, drilled.size());
      return Optional.empty();
    } catch (RuntimeException e) {
      // Unknown outcome: read back, never append blindly.
      try {
        if (ledger.current(ws.name()).contains(drillId)) {
          return Optional.empty();
        }
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      return Optional.of("the drill could not be recorded in the ledger at " + ledger.location()
          + ": " + SyncErrors.describe(e) + "; no workflow was started");
    }
  }

  /** Polls each run until it ends or the run timeout has passed. */
  private void await(WorkspaceConfig ws, JobsControl secondary, Map<String, Long> runs,
      Map<String, RunResult> ended, Map<String, String> problems) {
    Instant deadline = clock.instant().plus(runTimeout);
    while (ended.size() < runs.size()) {
      for (Map.Entry<String, Long> run : runs.entrySet()) {
        if (ended.containsKey(run.getKey())) {
          continue;
        }
        try {
          Optional<RunResult> result = secondary.runResult(run.getValue());
          if (result.isPresent()) {
            ended.put(run.getKey(), result.get());
            LOG.info("Drill {}: workflow {} in the secondary: {}", ws.name(), run.getKey(),
                result.get().describe());
            if (!result.get().dataSucceeded()) {
              problems.put(run.getKey(), "its workflow " + run.getKey() + " failed in the"
                  + " secondary: " + result.get().describe());
            } else if (!result.get().succeeded()) {
              // E.g. its sync task started this region's sender, which is passive (fenced).
              LOG.warn("Drill {}: workflow {} did its work in the secondary, but a job it"
                  + " started failed ({}): expected of the passive region's sender",
                  ws.name(), run.getKey(), result.get().describe());
            }
          }
        } catch (RuntimeException e) {
          LOG.warn("Drill {}: cannot read run {} of {} ({}); asking again", ws.name(),
              run.getValue(), run.getKey(), SyncErrors.describe(e));
        }
      }
      if (ended.size() == runs.size()) {
        return;
      }
      if (!clock.instant().isBefore(deadline)) {
        for (Map.Entry<String, Long> run : runs.entrySet()) {
          if (!ended.containsKey(run.getKey())) {
            problems.put(run.getKey(), "its workflow " + run.getKey() + " (run "
                + run.getValue() + ") did not end within " + runTimeout + " in the secondary: "
                + cancel(secondary, run.getKey()));
          }
        }
        return;
      }
      try {
        sleeper.sleep(poll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        runs.keySet().stream().filter(w -> !ended.containsKey(w)).forEach(w -> problems.put(w,
            "interrupted while waiting for its workflow's run " + runs.get(w) + " in the"
                + " secondary: " + cancel(secondary, w)));
        return;
      }
    }
  }

  /** Cancels the workflow's runs before its tables are put back; what happened, for the report. */
  private static String cancel(JobsControl secondary, String workflow) {
    try {
      secondary.cancelActiveRuns(secondary.job(workflow));
      return "its runs were cancelled before its tables were put back";
    } catch (RuntimeException e) {
      return "cancelling its runs failed (" + SyncErrors.describe(e) + "); its tables were put"
          + " back all the same: cancel the run, which may write again, and run the drill again";
    }
  }

  private void resume(WorkspaceConfig ws, List<Step> steps, JobsControl secondary,
      RetryPolicy policy, boolean resume, List<String> problems) {
    if (!resume) {
      LOG.info("Drill {}: the receiver was paused before the drill; it stays paused", ws.name());
      return;
    }
    step(steps, ws, "Resume the secondary's receiver (" + jobNames.receiver() + ")");
    JobOutcome resumed = new ScheduleSwitch(secondary, clock, sleeper)
        .apply(List.of(jobNames.receiver()), PauseStatus.UNPAUSED, ActiveRuns.LEAVE, policy)
        .jobs().get(0);
    if (!resumed.confirmed()) {
      problems.add("the secondary's receiver " + resumed.job() + " is not confirmed unpaused ("
          + resumed.detail() + "): unpause it by hand, or the secondary falls behind");
    }
  }

  private WorkspaceDrill refused(WorkspaceConfig ws, List<Step> steps, String why) {
    LOG.error("Drill {}: {}", ws.name(), why);
    List<GroupDrill> groups = ws.groups().stream()
        .map(g -> skipped(g, Optional.empty(), "not drilled: see the workspace's problem"))
        .toList();
    return new WorkspaceDrill(ws.name(), Optional.empty(), steps, Optional.empty(),
        Optional.empty(), groups, List.of(why));
  }

  private static GroupDrill skipped(SyncGroup group, Optional<SyncPoint> applied, String why) {
    return new GroupDrill(group.name(), group.workflow(),
        applied.map(p -> OptionalLong.of(p.sequence())).orElse(OptionalLong.empty()),
        applied.map(SyncPoint::runId).orElse(OptionalLong.empty()),
        applied.flatMap(SyncPoint::runEndTime), Optional.empty(), OptionalLong.empty(),
        Optional.empty(), false, List.of(why));
  }

  private void step(List<Step> steps, WorkspaceConfig ws, String title) {
    LOG.info("Drill {}: step {}: {}", ws.name(), steps.size() + 1, title);
    steps.add(new Step(title, clock.instant()));
  }

  /** Wires a drill; the engine parts have no default. */
  public static final class Builder {
    private Function<WorkspaceConfig, JobsControl> secondaryJobs;
    private Function<WorkspaceConfig, SyncLedger> ledgers;
    private Function<WorkspaceConfig, RunSource> primaryRuns;
    private TableCloner cloner;
    private TableRestorer restorer;
    private JobNames jobNames = JobNames.defaults();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private String principal = EpochRecorder.defaultPrincipal();
    private Duration poll = Duration.ofSeconds(10);
    private Duration runTimeout = Duration.ofHours(2);

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

    /** Puts the tables back at the drill's end. */
    public Builder restorer(TableRestorer value) {
      this.restorer = value;
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

    /** Who runs the drill, recorded in its rows; the OS user by default. */
    public Builder principal(String value) {
      this.principal = Objects.requireNonNull(value);
      return this;
    }

    /** How often the secondary's workflow runs are asked whether they ended (10 s by default). */
    public Builder poll(Duration value) {
      this.poll = Objects.requireNonNull(value);
      return this;
    }

    /** How long the secondary's workflow runs may take (2 hours by default). */
    public Builder runTimeout(Duration value) {
      this.runTimeout = Objects.requireNonNull(value);
      return this;
    }

    public KeepPrimaryDrill build() {
      return new KeepPrimaryDrill(this);
    }
  }
}
