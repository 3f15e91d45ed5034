package io.deltasync.samples.demo;

import io.deltasync.clone.TableCloner;
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.failover.Failback;
import io.deltasync.failover.FailbackReport;
import io.deltasync.failover.Failover;
import io.deltasync.failover.FailoverReport;
import io.deltasync.failover.GroupRecovery;
import io.deltasync.failover.RecoveryPoint;
import io.deltasync.jobs.JobNames;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.local.LocalJobsControl;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.samples.LandingBatches;
import io.deltasync.samples.LocalSpark;
import io.deltasync.samples.SampleWorkflow1;
import io.deltasync.samples.SampleWorkflow2;
import io.deltasync.samples.drill.DrillReportWriter;
import io.deltasync.samples.drill.DrillTimeline;
import io.deltasync.spark.PortableCloner;
import io.deltasync.spark.SparkFingerprinter;
import io.deltasync.spark.SparkTableHistory;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupListener;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.GroupStatus;
import io.deltasync.sync.Placement;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.Sender;
import io.deltasync.sync.Sleeper;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import io.deltasync.verify.Verify;
import io.deltasync.verify.VerifyReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The end-to-end DR drill behind {@code ./deltasync demo}, on the real engine in embedded mode: two
 * regions as local folders, the sample workflows, sender and receiver cycles, a run killed in the
 * middle of its silver loop, failover, verify, the workflows resumed in the secondary, failback.
 *
 * <p>Every claim is a {@link Check} the drill asserts itself; "equal" always means row-level
 * equality (EXCEPT ALL both ways, see {@link Rows}). The drill never stops at a failed check (later
 * steps still report), except when a step cannot run at all; the report then names what failed.
 */
public final class Demo {

  /** Steps of the drill, for the "step n/N" progress lines. */
  public static final int STEPS = 9;

  static final String WORKSPACE = "demo";
  static final String WF1 = SampleWorkflow1.NAME;
  static final String WF2 = SampleWorkflow2.NAME;
  static final String BRONZE = "dr_test_catalog.raw.workflow_1_bronze";
  static final String SILVER = "dr_test_catalog.stage.workflow_1_silver";
  static final String GOLD = "dr_test_catalog.main.workflow_1_gold";
  static final String READINGS = "dr_test_catalog.raw.workflow_2_readings";
  static final String DAILY = "dr_test_catalog.main.workflow_2_daily";

  /**
   * How big the drill is.
   *
   * @param dir the drill's folder, wiped at start
   * @param rounds rounds of (both workflows, sender, receiver) before the killed run; at least 1
   * @param silverLoops sample_workflow_1's silver loop commits
   * @param killAfter the silver commit after which the killed run dies (1 to silverLoops - 1, so
   *     the loop is really left half done)
   */
  public record Settings(Path dir, int rounds, int silverLoops, int killAfter) {
    public Settings {
      Objects.requireNonNull(dir, "dir");
      if (rounds < 1 || rounds > 50) {
        throw SyncErrors.usage("--rounds is " + rounds + ": use 1 to 50");
      }
      if (silverLoops < 2 || killAfter < 1 || killAfter >= silverLoops) {
        throw SyncErrors.usage("the killed run must stop inside the silver loop: silver loops "
            + silverLoops + ", kill after commit " + killAfter + "; use 1 <= kill < loops");
      }
    }

    public static Settings defaults(Path dir) {
      return new Settings(dir, 3, SampleWorkflow1.DEFAULT_SILVER_LOOPS, 2);
    }
  }

  private final SparkSession spark;
  private final Settings settings;
  private final Consumer<String> progress;
  private final List<Check> checks = new ArrayList<>();
  private final Map<String, Long> bytesSent = new LinkedHashMap<>();
  private final DrillTimeline timeline = new DrillTimeline();
  private int step;

  private DeltaSyncConfig config;
  private WorkspaceConfig workspace;
  private Placement placement;
  private TableCloner cloner;
  private LocalRunLog primaryRuns;
  private LocalRunLog secondaryRuns;
  private Path primaryLanding;
  private Path secondaryLanding;
  private int batches;

  /**
   * @param spark the session the drill runs on (the launcher's embedded one)
   * @param progress receives one line per action, as it happens
   */
  public Demo(SparkSession spark, Settings settings, Consumer<String> progress) {
    this.spark = LocalSpark.tune(Objects.requireNonNull(spark, "spark"));
    this.settings = Objects.requireNonNull(settings, "settings");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** Runs the drill; a failed check is in the report, not thrown. */
  public DemoReport run() throws Exception {
    Instant started = Instant.now();
    setUp();
    firstRound();
    moreRounds();
    long killedRunId = killMidSilverLoop();
    sendDuringKilledRun(killedRunId);
    FailoverReport failover = failOver(killedRunId);
    VerifyReport verify = verify(failover);
    resumeInSecondary();
    failBack();
    DemoReport report = new DemoReport(settings.dir().toString(), checks,
        summaries(failover, verify), Duration.between(started, Instant.now()));
    DrillReportWriter.Written drill = DrillReportWriter.write(settings.dir().toAbsolutePath(),
        DrillReports.of(report, timeline, SyncWiring.ledgers(spark).apply(workspace).read(), WORKSPACE));
    say("drill report: %s and %s", drill.markdown(), drill.html());
    return report;
  }

  // ----------------------------------------------------------------------------------------------
  // Steps

  private void setUp() throws IOException {
    step("Set up two regions as local folders under " + settings.dir());
    wipe(settings.dir());
    Path root = settings.dir().toAbsolutePath();
    Files.createDirectories(root);
    Path configFile = root.resolve("deltasync.json");
    Files.writeString(configFile, """
        {
          "secret_scope": "demo",
          "workspaces": [
            {
              "workspace_name": "%2$s",
              "workspace_instance_url": "http://127.0.0.1:1",
              "workspace_pat_key": "unused-locally",
              "local": {"primary_dir": "%1$s/primary", "secondary_dir": "%1$s/secondary"},
              "sync_location_primary": "%1$s/sync-primary",
              "sync_location_secondary": "%1$s/sync-secondary",
              "sync_interval_mins": 15,
              "sync_failover_interval_mins": 1,
              "failover_deadline_mins": 1,
              "sync_max_retries": 2,
              "sync_groups": [
                {"group_name": "%3$s", "group_owner_email": "data-eng@example.com",
                 "workflow": "%3$s", "tables": ["%5$s", "%6$s", "%7$s"]},
                {"group_name": "%4$s", "group_owner_email": "data-eng@example.com",
                 "workflow": "%4$s", "tables": ["%8$s", "%9$s"]}
              ]
            }
          ]
        }
        """.formatted(root, WORKSPACE, WF1, WF2, BRONZE, SILVER, GOLD, READINGS, DAILY));
    config = ConfigLoader.load(configFile);
    workspace = config.workspaces().get(0);
    placement = Placement.of(workspace);
    cloner = new PortableCloner(spark);
    String primaryDir = workspace.local().orElseThrow().primaryDir();
    String secondaryDir = workspace.local().orElseThrow().secondaryDir();
    primaryRuns = new LocalRunLog(primaryDir, new Configuration(), Clock.systemUTC(), () -> spark);
    secondaryRuns = new LocalRunLog(secondaryDir, new Configuration(), Clock.systemUTC(), () -> spark);
    primaryLanding = LocalJobsControl.toPath(primaryDir).resolve("landing").resolve(WF1);
    secondaryLanding = LocalJobsControl.toPath(secondaryDir).resolve("landing").resolve(WF1);
    say("config %s: workspace %s, groups %s (3 tables) and %s (2 tables)", configFile, WORKSPACE,
        WF1, WF2);
    say("primary %s, secondary %s, staging and ledger under %s", primaryDir, secondaryDir,
        workspace.syncLocationSecondary());
  }

  private void firstRound() throws Exception {
    step("Primary: both workflows run, then a sender and a receiver cycle");
    round(1);
  }

  private void moreRounds() throws Exception {
    step((settings.rounds() - 1) + " more round(s) of runs and sync; only new files cross");
    if (settings.rounds() == 1) {
      say("(none at this size)");
      return;
    }
    for (int r = 2; r <= settings.rounds(); r++) {
      round(r);
    }
  }

  /** Land a batch, run both workflows in the primary, send, receive, check each side. */
  private void round(int round) throws Exception {
    landBatch();
    runPrimary(WF1);
    runPrimary(WF2);
    CycleResult sent = send();
    for (GroupOutcome g : sent.groups()) {
      check("round-" + round + "-sent-" + g.group(), g.status() == GroupStatus.SYNCED,
          "sender " + g.status() + " for run " + g.run().map(WorkflowRun::runId).orElse(-1L));
      long source = g.tables().stream().mapToLong(t -> t.cloneResult()
          .map(c -> c.sourceTableSize()).orElse(0L)).sum();
      if (round > 1) {
        check("round-" + round + "-incremental-" + g.group(), g.copiedBytes() < source,
            "copied " + g.copiedBytes() + " bytes of a " + source + "-byte snapshot");
      }
    }
    checkStagingEqualsPrimary("round-" + round);
    CycleResult received = receive();
    for (GroupOutcome g : received.groups()) {
      check("round-" + round + "-applied-" + g.group(), g.status() == GroupStatus.SYNCED,
          "receiver " + g.status());
    }
    checkSecondaryEqualsStaging("round-" + round);
  }

  private long killMidSilverLoop() throws Exception {
    step("Primary: " + WF1 + " killed after silver commit " + settings.killAfter() + " of "
        + settings.silverLoops() + " (its JVM halted)");
    landBatch();
    runPrimary(WF2);
    SyncPoint synced = lastStaged(WF1).orElseThrow();
    long syncedSilver = sourceVersion(synced, SILVER);
    long before = primaryRuns.all().stream().mapToLong(WorkflowRun::runId).max().orElse(0);

    Path log = settings.dir().toAbsolutePath().resolve("killed-run.log");
    List<String> command = new ArrayList<>(javaCommand());
    command.add(KilledRun.class.getName());
    command.add(workspace.local().orElseThrow().primaryDir());
    command.add(primaryLanding.toString());
    command.add(pathOf(primary(BRONZE)));
    command.add(pathOf(primary(SILVER)));
    command.add(pathOf(primary(GOLD)));
    command.add(Integer.toString(settings.silverLoops()));
    command.add(Integer.toString(settings.killAfter()));
    long t0 = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    int exit = process.isAlive() ? -1 : process.exitValue();
    say("%s: child JVM exited %d after %d s (its output: %s)", WF1, exit,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), log);
    check("killed-run-halted", exit == KilledRun.KILLED,
        "exit status " + exit + ", expected " + KilledRun.KILLED + " (see " + log + ")");

    Optional<WorkflowRun> killed = primaryRuns.runs(WF1, OptionalLong.empty()).stream()
        .filter(r -> r.runId() > before).findFirst();
    check("killed-run-left-running", killed.isPresent()
            && killed.get().result() == WorkflowRun.Result.RUNNING,
        killed.map(r -> "run " + r.runId() + " is " + r.result() + " in " + primaryRuns.location())
            .orElse("no new run in the run log"));
    long silverNow = cloner.latestVersion(primary(SILVER));
    check("partial-silver-in-primary", silverNow - syncedSilver == settings.killAfter(),
        "silver at version " + silverNow + ", " + (silverNow - syncedSilver) + " commits after"
            + " synced version " + syncedSilver);
    Rows.Diff partial = Rows.compare(Rows.latest(spark, primary(SILVER)),
        Rows.at(spark, primary(SILVER), syncedSilver));
    check("partial-silver-differs", !partial.equal(),
        "primary silver now vs at synced version " + syncedSilver + ": " + partial);
    return killed.map(WorkflowRun::runId).orElse(-1L);
  }

  private void sendDuringKilledRun(long killedRunId) throws Exception {
    step("Sender cycle while run " + killedRunId + " is still RUNNING: staging must not take it");
    SyncPoint before = lastStaged(WF1).orElseThrow();
    CycleResult sent = send();
    GroupOutcome wf1 = outcome(sent, WF1);
    check("killed-run-not-staged", wf1.status() == GroupStatus.UP_TO_DATE
            && lastStaged(WF1).orElseThrow().sequence() == before.sequence(),
        WF1 + ": sender " + wf1.status() + ", last sync point still " + before.sequence()
            + " (run " + before.runId().orElse(-1) + ")");
    GroupOutcome wf2 = outcome(sent, WF2);
    check("other-group-staged", wf2.status() == GroupStatus.SYNCED,
        WF2 + ": sender " + wf2.status());
    for (TableMapping t : group(WF1).tables()) {
      long version = sourceVersion(before, t.source().toString());
      Rows.Diff diff = Rows.compare(Rows.latest(spark, staging(WF1, t.source().toString())),
          Rows.at(spark, primary(t.source().toString()), version));
      check("staging-equals-last-completed-" + t.source().table(), diff.equal(),
          "staging vs primary at version " + version + " (end of run " + before.runId().orElse(-1)
              + "): " + diff);
    }
    Rows.Diff partial = Rows.compare(Rows.latest(spark, staging(WF1, SILVER)),
        Rows.latest(spark, primary(SILVER)));
    check("staging-excludes-partial-silver", !partial.equal(),
        "staging silver vs primary silver now (mid-loop): " + partial);
    say("no receiver cycle now: failover will roll %s's new sync point forward", WF2);
    runPrimary(WF2);
    say("%s ran once more after the last sync: failover must report it lost (RPO)", WF2);
  }

  private FailoverReport failOver(long killedRunId) {
    step("Failover: pause the primary, roll forward, promote the secondary");
    timeline.outageStarted(Instant.now());
    long t0 = System.nanoTime();
    FailoverReport report = Failover.builder()
        .primaryJobs(ws -> jobs("primary (local)", ws.local().orElseThrow().primaryDir()))
        .secondaryJobs(ws -> jobs("secondary (local)", ws.local().orElseThrow().secondaryDir()))
        .ledgers(SyncWiring.ledgers(spark))
        .primaryRuns(ws -> primaryRuns)
        .cloner(cloner)
        .retryBase(Duration.ofMillis(200))
        .build()
        .run(config);
    say("failover done in %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    DrillReports.recordLoss(spark, timeline, report, this::primary, this::secondary);
    for (GroupRecovery g : report.groups()) {
      say("%s: %s, recovered to %s, RPO %s", g.group(), g.status(),
          g.point().map(Demo::describe).orElse("nothing"), g.rpo().map(DemoReport::rpo).orElse("-"));
    }
    check("failover-complete", report.complete(),
        report.notPromoted().isEmpty() ? "every group promoted, every switch confirmed"
            : "not promoted: " + report.notPromoted().stream()
                .map(g -> g.group() + " (" + g.reason().orElse("") + ")").toList());
    GroupRecovery wf1 = recovery(report, WF1);
    OptionalLong lastGood = primaryRuns.runs(WF1, OptionalLong.empty()).stream()
        .filter(WorkflowRun::succeeded).mapToLong(WorkflowRun::runId).max();
    OptionalLong recoveredRun = wf1.point().map(RecoveryPoint::runId).orElse(OptionalLong.empty());
    check("recovered-to-last-completed-run", recoveredRun.isPresent()
            && recoveredRun.equals(lastGood) && recoveredRun.getAsLong() != killedRunId,
        WF1 + " recovered to run " + recoveredRun.orElse(-1) + ", last successful run "
            + lastGood.orElse(-1) + ", killed run " + killedRunId);
    GroupRecovery wf2 = recovery(report, WF2);
    check("rolled-forward", wf2.rolledForward().isPresent(),
        WF2 + ": sync point " + wf2.rolledForward().orElse(-1) + " (staged, not applied) applied"
            + " by failover");
    check("rpo-counts-lost-run", wf2.rpo().map(r -> r.runsNotRecovered() == 1).orElse(false)
            && wf1.rpo().map(r -> r.runsNotRecovered() == 0).orElse(false),
        WF2 + " " + wf2.rpo().map(DemoReport::rpo).orElse("-") + "; " + WF1 + " "
            + wf1.rpo().map(DemoReport::rpo).orElse("-"));
    String primaryDir = workspace.local().orElseThrow().primaryDir();
    String secondaryDir = workspace.local().orElseThrow().secondaryDir();
    check("primary-paused", paused(primaryDir, WF1) && paused(primaryDir, WF2)
            && paused(primaryDir, JobNames.DEFAULT_SENDER),
        "primary schedules of " + WF1 + ", " + WF2 + ", " + JobNames.DEFAULT_SENDER + " paused");
    check("secondary-promoted", !paused(secondaryDir, WF1) && !paused(secondaryDir, WF2)
            && paused(secondaryDir, JobNames.DEFAULT_RECEIVER),
        "secondary schedules of " + WF1 + ", " + WF2 + " unpaused, receiver paused");
    return report;
  }

  private VerifyReport verify(FailoverReport failover) {
    step("Verify the secondary against staging and the primary at the recovery point");
    VerifyReport report = new Verify(SyncWiring.ledgers(spark), new SparkFingerprinter(spark))
        .verify(config, Optional.empty());
    for (VerifyReport.GroupResult g : report.groups()) {
      say("%s: verify %s (sync point %s)", g.group(), g.outcome(),
          g.sequence().isPresent() ? Long.toString(g.sequence().getAsLong()) : "none");
    }
    check("verify", !report.failed() && report.groups().stream()
            .allMatch(g -> g.outcome() == VerifyReport.Outcome.VERIFIED),
        report.failed() ? String.join("; ", report.problems()) : "every table matched");
    for (GroupRecovery g : failover.groups()) {
      for (RecoveryPoint.TableVersion t : g.point().map(RecoveryPoint::tables).orElse(List.of())) {
        Rows.Diff diff = Rows.compare(Rows.latest(spark, secondary(t.secondaryTable())),
            Rows.at(spark, primary(t.table()), t.sourceVersion().orElse(-1)));
        check("secondary-equals-recovery-point-" + TableName.parse(t.table()).table(),
            diff.equal(), "secondary vs primary at version " + t.sourceVersion().orElse(-1) + ": "
                + diff);
      }
    }
    return report;
  }

  private void resumeInSecondary() throws Exception {
    step("Resume the workflows in the secondary: no clean-up, two rounds of runs");
    String secondaryDir = workspace.local().orElseThrow().secondaryDir();
    for (int r = 1; r <= 2; r++) {
      if (r == 2) {
        landBatch();
      }
      for (String workflow : List.of(WF1, WF2)) {
        if (paused(secondaryDir, workflow)) {
          check("resume-" + workflow, false, workflow + " is paused in the secondary");
          continue;
        }
        timeline.secondaryRunning(Instant.now());
        runIn(secondaryRuns, workflow, true);
      }
    }
    List<WorkflowRun> runs = secondaryRuns.all();
    check("secondary-runs-succeeded", runs.size() == 4 && runs.stream().allMatch(WorkflowRun::succeeded),
        runs.size() + " runs in the secondary: " + runs.stream()
            .sorted(Comparator.comparingLong(WorkflowRun::runId))
            .map(r -> r.workflow() + "#" + r.runId() + " " + r.result()).toList());

    // The same landing files, processed from scratch by one uninterrupted run.
    Path reference = settings.dir().toAbsolutePath().resolve("reference");
    SampleWorkflow1.Tables refTables = new SampleWorkflow1.Tables(
        TableLocation.path(reference.resolve("bronze").toString()),
        TableLocation.path(reference.resolve("silver").toString()),
        TableLocation.path(reference.resolve("gold").toString()));
    SampleWorkflow1.run(spark, secondaryLanding.toString(), refTables,
        SampleWorkflow1.Options.defaults().withSilverLoops(settings.silverLoops()));
    Rows.Diff silver = Rows.compare(Rows.latest(spark, secondary(SILVER)),
        Rows.latest(spark, refTables.silver()));
    Rows.Diff gold = Rows.compare(Rows.latest(spark, secondary(GOLD)),
        Rows.latest(spark, refTables.gold()));
    check("resumed-equals-uninterrupted", silver.equal() && gold.equal(),
        "secondary vs one uninterrupted run over the same " + batches + " batches: silver "
            + silver + "; gold " + gold);
    long days = spark.sql("SELECT count(DISTINCT day) FROM delta.`" + pathOf(secondary(DAILY))
        + "`").first().getLong(0);
    long maxDay = spark.sql("SELECT max(day) FROM delta.`" + pathOf(secondary(DAILY)) + "`")
        .first().getInt(0);
    long rows = Rows.latest(spark, secondary(DAILY)).count();
    check("resumed-days-complete", days == maxDay && rows == days * 4,
        WF2 + " daily: days 1.." + maxDay + ", " + days + " distinct, " + rows + " rows");
  }

  private void failBack() {
    step("Failback: the secondary's last completed state back to the primary");
    long t0 = System.nanoTime();
    FailbackReport report = Failback.builder()
        .primaryJobs(ws -> jobs("primary (local)", ws.local().orElseThrow().primaryDir()))
        .secondaryJobs(ws -> jobs("secondary (local)", ws.local().orElseThrow().secondaryDir()))
        .ledgers(SyncWiring.ledgers(spark))
        .secondaryRuns(ws -> secondaryRuns)
        .versions(SyncWiring.versions(new SparkTableHistory(spark)))
        .cloner(cloner)
        .retryBase(Duration.ofMillis(200))
        .build()
        .run(config);
    say("failback done in %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    for (FailbackReport.GroupFailback g : report.groups()) {
      say("%s: carried back %s, %s", g.group(), g.carriedBack(), g.note().orElse(""));
    }
    check("failback-complete", report.complete()
            && report.groups().stream().allMatch(FailbackReport.GroupFailback::carriedBack),
        report.groups().stream().map(g -> g.group() + " carried back " + g.carriedBack()).toList()
            + ", switches confirmed " + report.complete());
    for (SyncGroup g : workspace.groups()) {
      for (TableMapping t : g.tables()) {
        Rows.Diff diff = Rows.compare(Rows.latest(spark, primary(t.source().toString())),
            Rows.latest(spark, secondary(t.secondary().toString())));
        check("primary-equals-secondary-" + t.source().table(), diff.equal(),
            "primary vs secondary after failback: " + diff);
      }
    }
    String primaryDir = workspace.local().orElseThrow().primaryDir();
    String secondaryDir = workspace.local().orElseThrow().secondaryDir();
    check("primary-back-in-service", !paused(primaryDir, WF1) && !paused(primaryDir, WF2)
            && !paused(primaryDir, JobNames.DEFAULT_SENDER) && paused(secondaryDir, WF1)
            && paused(secondaryDir, WF2) && !paused(secondaryDir, JobNames.DEFAULT_RECEIVER),
        "primary workflows and sender unpaused; secondary workflows paused, receiver unpaused");
  }

  // ----------------------------------------------------------------------------------------------
  // Actions

  private void landBatch() {
    batches++;
    LandingBatches.write(primaryLanding, batches);
    LandingBatches.write(secondaryLanding, batches);
    say("landing: %s dropped in both regions", LandingBatches.fileName(batches));
  }

  private void runPrimary(String workflow) throws Exception {
    runIn(primaryRuns, workflow, false);
  }

  private void runIn(LocalRunLog log, String workflow, boolean secondaryRegion) throws Exception {
    long t0 = System.nanoTime();
    String where = secondaryRegion ? "secondary" : "primary";
    Object result = log.record(workflow, runId -> {
      if (workflow.equals(WF1)) {
        return SampleWorkflow1.run(spark, (secondaryRegion ? secondaryLanding : primaryLanding)
                .toString(),
            new SampleWorkflow1.Tables(table(BRONZE, secondaryRegion),
                table(SILVER, secondaryRegion), table(GOLD, secondaryRegion)),
            SampleWorkflow1.Options.defaults().withSilverLoops(settings.silverLoops()));
      }
      return SampleWorkflow2.run(spark, new SampleWorkflow2.Tables(
          table(READINGS, secondaryRegion), table(DAILY, secondaryRegion)),
          SampleWorkflow2.Options.nextDay());
    });
    long runId = log.runs(workflow, OptionalLong.empty()).get(0).runId();
    say("%s run %d in the %s: SUCCESS in %d ms (%s)", workflow, runId, where,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), describe(result));
  }

  private CycleResult send() {
    long t0 = System.nanoTime();
    CycleResult result = SyncWiring.senderBuilder(spark, cloner, ref -> "unused")
        .runSources(ws -> primaryRuns)
        .retryBase(Duration.ofMillis(200))
        .build()
        .run(config, Sender.Request.all());
    for (GroupOutcome g : result.groups()) {
      bytesSent.merge(g.group(), g.copiedBytes(), Long::sum);
      say("sender: %s %s%s, %d bytes copied%s", g.group(), g.status(),
          g.run().map(r -> " run " + r.runId()).orElse(""), g.copiedBytes(),
          g.sequence().isPresent() && g.status() == GroupStatus.SYNCED
              ? ", sync point " + g.sequence().getAsLong() + " " + versions(g) : "");
    }
    say("sender cycle: %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    check("sender-cycle-" + checks.size(), !result.failed(), result.failed()
        ? "failed: " + result.failures().stream().map(GroupOutcome::failureLine).toList()
        : "no group failed");
    return result;
  }

  private CycleResult receive() {
    long t0 = System.nanoTime();
    CycleResult result = new Receiver(SyncWiring.ledgers(spark), cloner, Clock.systemUTC(),
        Sleeper.system(), new java.util.Random(), Duration.ofMillis(200),
        io.deltasync.clone.CloneOptions.defaults(), GroupListener.none())
        .run(config, Optional.empty());
    for (GroupOutcome g : result.groups()) {
      say("receiver: %s %s%s", g.group(), g.status(),
          g.sequence().isPresent() ? " sync point " + g.sequence().getAsLong() : "");
    }
    say("receiver cycle: %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    check("receiver-cycle-" + checks.size(), !result.failed(), result.failed()
        ? "failed: " + result.failures().stream().map(GroupOutcome::failureLine).toList()
        : "no group failed");
    return result;
  }

  private void checkStagingEqualsPrimary(String label) {
    for (SyncGroup g : workspace.groups()) {
      SyncPoint point = lastStaged(g.name()).orElseThrow();
      for (LedgerRow row : point.tables()) {
        Rows.Diff diff = Rows.compare(
            Rows.at(spark, staging(g.name(), row.tableName()), row.stagingVersion().orElse(-1)),
            Rows.at(spark, primary(row.tableName()), row.sourceVersion().orElse(-1)));
        check(label + "-staging-" + TableName.parse(row.tableName()).table(), diff.equal(),
            "staging v" + row.stagingVersion().orElse(-1) + " vs primary v"
                + row.sourceVersion().orElse(-1) + ": " + diff);
      }
    }
  }

  private void checkSecondaryEqualsStaging(String label) {
    LedgerState state = ledger();
    for (SyncGroup g : workspace.groups()) {
      SyncPoint point = state.lastApplied(WORKSPACE, g.name()).orElseThrow();
      for (LedgerRow row : point.tables()) {
        Rows.Diff diff = Rows.compare(Rows.latest(spark, secondary(row.secondaryTable())),
            Rows.at(spark, staging(g.name(), row.tableName()), row.stagingVersion().orElse(-1)));
        check(label + "-secondary-" + TableName.parse(row.tableName()).table(), diff.equal(),
            "secondary vs staging v" + row.stagingVersion().orElse(-1) + ": " + diff);
      }
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Summary

  private List<DemoReport.GroupSummary> summaries(FailoverReport failover, VerifyReport verify) {
    List<DemoReport.GroupSummary> out = new ArrayList<>();
    for (SyncGroup g : workspace.groups()) {
      GroupRecovery recovery = recovery(failover, g.name());
      String verified = verify.groups().stream().filter(v -> v.group().equals(g.name()))
          .map(v -> v.outcome().name()).findFirst().orElse("-");
      out.add(new DemoReport.GroupSummary(g.name(), recovery.status().name(),
          recovery.point().map(RecoveryPoint::runId).orElse(OptionalLong.empty()),
          recovery.point().flatMap(RecoveryPoint::runEnd),
          recovery.point().map(p -> p.tables().stream()
              .map(t -> new DemoReport.TableAt(t.table(), t.sourceVersion().orElse(-1),
                  t.targetVersion().orElse(-1)))
              .toList()).orElse(List.of()),
          recovery.rpo(), bytesSent.getOrDefault(g.name(), 0L), verified));
    }
    return out;
  }

  // ----------------------------------------------------------------------------------------------
  // Helpers

  private void step(String what) {
    step++;
    timeline.step(step, what, Instant.now());
    progress.accept(String.format("[step %d/%d] %s", step, STEPS, what));
  }

  private void say(String format, Object... args) {
    progress.accept("    " + String.format(format, args));
  }

  private void check(String name, boolean held, String detail) {
    checks.add(new Check(step, name, held, detail));
    progress.accept("    " + (held ? "ok   " : "FAIL ") + name + ": " + detail);
  }

  private LedgerState ledger() {
    return new LedgerState(SyncWiring.ledgers(spark).apply(workspace).read());
  }

  private Optional<SyncPoint> lastStaged(String group) {
    return ledger().lastStaged(WORKSPACE, group);
  }

  private static long sourceVersion(SyncPoint point, String table) {
    return point.table(table).orElseThrow().sourceVersion().orElseThrow();
  }

  private SyncGroup group(String name) {
    return workspace.group(name).orElseThrow();
  }

  private TableLocation primary(String table) {
    return placement.primary(TableName.parse(table));
  }

  private TableLocation secondary(String table) {
    return placement.secondary(TableName.parse(table));
  }

  private TableLocation table(String name, boolean secondaryRegion) {
    return secondaryRegion ? secondary(name) : primary(name);
  }

  private TableLocation staging(String group, String table) {
    return placement.staging(group(group), TableName.parse(table));
  }

  private JobsControl jobs(String name, String regionDir) {
    return new LocalJobsControl(name, regionDir, Clock.systemUTC());
  }

  private boolean paused(String regionDir, String job) {
    JobsControl control = jobs("check", regionDir);
    return control.state(control.job(job)).is(PauseStatus.PAUSED);
  }

  private static GroupOutcome outcome(CycleResult result, String group) {
    return result.groups().stream().filter(g -> g.group().equals(group)).findFirst().orElseThrow();
  }

  private static GroupRecovery recovery(FailoverReport report, String group) {
    return report.groups().stream().filter(g -> g.group().equals(group)).findFirst().orElseThrow();
  }

  private static String versions(GroupOutcome g) {
    return g.tables().stream().map(t -> t.table().table() + "@" + t.sourceVersion()).toList()
        .toString();
  }

  static String describe(RecoveryPoint p) {
    return "run " + (p.runId().isPresent() ? p.runId().getAsLong() : "-") + " (ended "
        + p.runEnd().map(Instant::toString).orElse("-") + ") " + p.tables().stream()
            .map(t -> TableName.parse(t.table()).table() + "@" + t.sourceVersion().orElse(-1))
            .toList();
  }

  private static String describe(Object result) {
    if (result instanceof SampleWorkflow1.Result r) {
      return "batches " + r.pendingBatches() + ", " + r.bronzeRowsAdded() + " new bronze rows, "
          + r.silverCommits() + " silver commits";
    }
    if (result instanceof SampleWorkflow2.Result r) {
      return "day " + r.day() + ", " + r.readings() + " readings";
    }
    return String.valueOf(result);
  }

  static String pathOf(TableLocation table) {
    return Rows.path(table);
  }

  /** The java command of this JVM: same binary, classpath and --add-opens flags. */
  private static List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("-Dlog4j2.configurationFile")) {
        command.add(arg);
      }
    }
    command.add("-Xmx768m");
    command.add("-Dspark.ui.enabled=false");
    LocalSpark.SETTINGS.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    return command;
  }

  /** Deletes a previous drill's folder; refuses a folder that is not one (never wipes user data). */
  private static void wipe(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent() && !Files.exists(dir.resolve("deltasync.json"))) {
        throw SyncErrors.usage("--dir " + dir + " is not empty and holds no deltasync.json of a"
            + " previous demo: the demo wipes its folder at start, so give it an empty or new one");
      }
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
