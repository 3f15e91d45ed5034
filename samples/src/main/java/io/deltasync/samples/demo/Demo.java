package io.deltasync.samples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasync.clone.TableCloner;
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.jobs.JobNames;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.failover.Rpo;
import io.deltasync.samples.LandingBatches;
import io.deltasync.samples.LocalSpark;
import io.deltasync.samples.RunWorkflowCommand;
import io.deltasync.samples.RunWorkflowCommand.Region;
import io.deltasync.samples.SampleWorkflow1;
import io.deltasync.samples.SampleWorkflow2;
import io.deltasync.samples.workspace.ChildJvm;
import io.deltasync.samples.workspace.Workspaces;
import io.deltasync.samples.workspace.WorkspaceSpec;
import io.deltasync.drill.DrillReportWriter;
import io.deltasync.drill.DrillTimeline;
import io.deltasync.spark.PortableCloner;
import io.deltasync.spark.SparkFingerprinter;
import io.deltasync.sync.Placement;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import io.deltasync.verify.Verify;
import io.deltasync.verify.VerifyReport;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * regions as local folders, each a simulated workspace in a JVM of its own ({@link Workspaces}),
 * the sample workflows, sender and receiver cycles, a run killed in the middle of its silver loop,
 * failover, verify, the workflows resumed in the secondary, failback.
 *
 * <p>Every job runs in its region's workspace JVM: the drill starts it through the real Databricks
 * SDK (run-now, then runs/get until it ends) with the operators' token of that workspace, and reads
 * the deltasync commands' JSON reports from the runs' logs (runs/get-output). Failover and
 * failback switch the jobs through the workspaces' Jobs APIs. The drill itself is the observer:
 * its checks read both regions' folders, staging and the ledger.
 *
 * <p>Every claim is a {@link Check} the drill asserts itself; "equal" always means row-level
 * equality (EXCEPT ALL both ways, see {@link Rows}). The drill never stops at a failed check (later
 * steps still report), except when a step cannot run at all; the report then names what failed.
 */
public final class Demo {

  /** Steps of the drill, for the "step n/N" progress lines. */
  public static final int STEPS = 10;

  static final String WORKSPACE = "demo";
  static final String SECRET_SCOPE = "demo";
  static final String WORKSPACE_HEAP = "768m";
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
  private Workspaces workspaces;
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
    try {
      setUp();
      firstRound();
      moreRounds();
      long killedRunId = killMidSilverLoop();
      sendDuringKilledRun(killedRunId);
      JsonNode failover = failOver(killedRunId);
      VerifyReport verify = verify(failover);
      resumeInSecondary();
      failBack();
      step("Issue 12's lifecycle sequences on " + WF2 + ", each on a folder of its own");
      checks.addAll(new LifecycleSequences(spark, settings.dir().resolve("lifecycle"),
          line -> progress.accept("    " + line)).run(step));
      DemoReport report = new DemoReport(settings.dir().toString(), checks,
          summaries(failover, verify), Duration.between(started, Instant.now()));
      DrillReportWriter.Written drill = DrillReportWriter.write(settings.dir().toAbsolutePath(),
          DrillReports.of(report, timeline, SyncWiring.ledgers(spark).apply(workspace).read(),
              WORKSPACE));
      say("drill report: %s and %s", drill.markdown(), drill.html());
      return report;
    } finally {
      if (workspaces != null) {
        workspaces.close();
      }
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Steps

  private void setUp() throws IOException, InterruptedException {
    step("Set up two regions as local folders under " + settings.dir() + ", a workspace JVM each");
    wipe(settings.dir());
    Path root = settings.dir().toAbsolutePath();
    Files.createDirectories(root);
    Path configFile = root.resolve("deltasync.json");
    Workspaces.Plan plan = Workspaces.Plan.create(root.resolve("workspaces"), SECRET_SCOPE);
    Files.writeString(configFile, """
        {
          "secret_scope": "%11$s",
          "workspaces": [
            {
              "workspace_name": "%2$s",
              %10$s,
              "local": {"primary_dir": "%1$s/primary", "secondary_dir": "%1$s/secondary",
                        "jobs_api": true},
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
        """.formatted(root, WORKSPACE, WF1, WF2, BRONZE, SILVER, GOLD, READINGS, DAILY,
        plan.configJson(), SECRET_SCOPE));
    config = ConfigLoader.load(configFile);
    workspace = config.workspaces().get(0);
    placement = Placement.of(workspace);
    cloner = new PortableCloner(spark);
    String primaryDir = workspace.local().orElseThrow().primaryDir();
    String secondaryDir = workspace.local().orElseThrow().secondaryDir();
    primaryRuns = new LocalRunLog(primaryDir, new Configuration(), Clock.systemUTC(), () -> spark);
    secondaryRuns = new LocalRunLog(secondaryDir, new Configuration(), Clock.systemUTC(), () -> spark);
    primaryLanding = RunWorkflowCommand.landing(primaryDir);
    secondaryLanding = RunWorkflowCommand.landing(secondaryDir);
    say("config %s: workspace %s, groups %s (3 tables) and %s (2 tables)", configFile, WORKSPACE,
        WF1, WF2);
    say("primary %s, secondary %s, staging and ledger under %s", primaryDir, secondaryDir,
        workspace.syncLocationSecondary());
    long t0 = System.nanoTime();
    workspaces = Workspaces.start(plan, WORKSPACE,
        Map.of(Region.primary, primaryDir, Region.secondary, secondaryDir), configFile,
        Region.primary, ChildJvm.command(WORKSPACE_HEAP));
    say("workspaces: primary at %s (pid %d), secondary at %s (pid %d), up in %d ms; their output:"
            + " %s", plan.host(Region.primary), workspaces.pid(Region.primary),
        plan.host(Region.secondary), workspaces.pid(Region.secondary),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
        Workspaces.log(plan, Region.primary).getParent());
  }

  private void firstRound() throws Exception {
    step("Primary: both workflows run, then a sender and a receiver cycle; preflight in each"
        + " region");
    round(1);
    preflight(Region.primary);
    preflight(Region.secondary);
  }

  /**
   * {@code deltasync preflight} as a job of the region's workspace (its {@code --region}, its
   * secrets, each workspace's Jobs API with that workspace's token): once both sides hold data,
   * every check must be OK.
   */
  private void preflight(Region region) throws InterruptedException {
    Workspaces.RunResult run = workspaces.run(region, WorkspaceSpec.PREFLIGHT_JOB, Map.of());
    List<String> lines = run.logs().lines()
        .filter(l -> l.startsWith("OK ") || l.startsWith("WARN ") || l.startsWith("FAIL "))
        .toList();
    lines.forEach(line -> say("%s preflight: %s", region, line));
    String summary = run.logs().lines().filter(l -> l.startsWith("preflight in the "))
        .findFirst().orElse("no summary line");
    check("preflight-" + region, run.succeeded() && !lines.isEmpty()
            && lines.stream().allMatch(l -> l.startsWith("OK ")),
        "job run " + run.runId() + " " + run.result() + ": " + summary
            + (run.succeeded() ? "" : " " + run.message()));
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
    JsonNode sent = send();
    for (JsonNode g : sent.path("groups")) {
      String group = g.path("group").asText();
      check("round-" + round + "-sent-" + group, "SYNCED".equals(g.path("status").asText()),
          "sender " + g.path("status").asText() + " for run " + g.path("run_id").asLong(-1));
      long source = lastStaged(group).map(p -> p.tables().stream()
          .mapToLong(LedgerRow::sourceTableSize).sum()).orElse(0L);
      long copied = g.path("copied_bytes").asLong();
      if (round > 1) {
        check("round-" + round + "-incremental-" + group, copied < source,
            "copied " + copied + " bytes of a " + source + "-byte snapshot");
      }
    }
    checkStagingEqualsPrimary("round-" + round);
    JsonNode received = receive();
    for (JsonNode g : received.path("groups")) {
      check("round-" + round + "-applied-" + g.path("group").asText(),
          "SYNCED".equals(g.path("status").asText()), "receiver " + g.path("status").asText());
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
    List<String> command = new ArrayList<>(ChildJvm.command("768m"));
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
    JsonNode sent = send();
    String wf1 = outcome(sent, WF1).path("status").asText();
    check("killed-run-not-staged", "UP_TO_DATE".equals(wf1)
            && lastStaged(WF1).orElseThrow().sequence() == before.sequence(),
        WF1 + ": sender " + wf1 + ", last sync point still " + before.sequence()
            + " (run " + before.runId().orElse(-1) + ")");
    String wf2 = outcome(sent, WF2).path("status").asText();
    check("other-group-staged", "SYNCED".equals(wf2), WF2 + ": sender " + wf2);
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

  private JsonNode failOver(long killedRunId) throws InterruptedException {
    step("Failover in the secondary: pause the primary, roll forward, promote the secondary");
    timeline.outageStarted(Instant.now());
    long t0 = System.nanoTime();
    Workspaces.RunResult run = job(Region.secondary, WorkspaceSpec.FAILOVER_JOB);
    JsonNode report = run.json();
    DrillReports.recordLoss(spark, timeline, report, this::primary, this::secondary);
    JsonNode groups = report.path("workspaces").path(0).path("groups");
    say("failover: job run %d in the secondary workspace, %s in %d ms", run.runId(), run.result(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    for (JsonNode g : groups) {
      say("%s: %s, recovered to %s, RPO %s", g.path("group").asText(), g.path("status").asText(),
          describePoint(g.path("recovery_point")), rpo(g).map(DemoReport::rpo).orElse("-"));
    }
    List<String> notPromoted = new ArrayList<>();
    for (JsonNode g : groups) {
      if (!"PROMOTED".equals(g.path("status").asText())) {
        notPromoted.add(g.path("group").asText() + " (" + g.path("reason").asText("") + ")");
      }
    }
    check("failover-complete", run.succeeded() && report.path("complete").asBoolean(),
        notPromoted.isEmpty() && report.path("complete").asBoolean()
            ? "every group promoted, every switch confirmed"
            : "not promoted: " + notPromoted + "; run " + run.result() + " " + run.message());
    JsonNode wf1 = recovery(report, WF1);
    OptionalLong lastGood = primaryRuns.runs(WF1, OptionalLong.empty()).stream()
        .filter(WorkflowRun::succeeded).mapToLong(WorkflowRun::runId).max();
    JsonNode recoveredRun = wf1.path("recovery_point").path("run_id");
    check("recovered-to-last-completed-run", recoveredRun.isNumber() && lastGood.isPresent()
            && recoveredRun.asLong() == lastGood.getAsLong() && recoveredRun.asLong() != killedRunId,
        WF1 + " recovered to run " + recoveredRun.asLong(-1) + ", last successful run "
            + lastGood.orElse(-1) + ", killed run " + killedRunId);
    JsonNode wf2 = recovery(report, WF2);
    check("rolled-forward", wf2.path("rolled_forward_sequence").isNumber(),
        WF2 + ": sync point " + wf2.path("rolled_forward_sequence").asLong(-1)
            + " (staged, not applied) applied by failover");
    check("rpo-counts-lost-run", rpo(wf2).map(r -> r.runsNotRecovered() == 1).orElse(false)
            && rpo(wf1).map(r -> r.runsNotRecovered() == 0).orElse(false),
        WF2 + " " + rpo(wf2).map(DemoReport::rpo).orElse("-") + "; " + WF1 + " "
            + rpo(wf1).map(DemoReport::rpo).orElse("-"));
    check("primary-paused", paused(Region.primary, WF1) && paused(Region.primary, WF2)
            && paused(Region.primary, JobNames.DEFAULT_SENDER),
        "primary schedules of " + WF1 + ", " + WF2 + ", " + JobNames.DEFAULT_SENDER + " paused"
            + " (the primary's Jobs API, through the SDK)");
    check("secondary-promoted", !paused(Region.secondary, WF1) && !paused(Region.secondary, WF2)
            && paused(Region.secondary, JobNames.DEFAULT_RECEIVER),
        "secondary schedules of " + WF1 + ", " + WF2 + " unpaused, receiver paused");
    return report;
  }

  private VerifyReport verify(JsonNode failover) {
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
    for (JsonNode g : failover.path("workspaces").path(0).path("groups")) {
      for (JsonNode t : g.path("recovery_point").path("tables")) {
        long version = t.path("source_version").asLong(-1);
        Rows.Diff diff = Rows.compare(Rows.latest(spark, secondary(t.path("secondary_table").asText())),
            Rows.at(spark, primary(t.path("table").asText()), version));
        check("secondary-equals-recovery-point-" + TableName.parse(t.path("table").asText()).table(),
            diff.equal(), "secondary vs primary at version " + version + ": " + diff);
      }
    }
    return report;
  }

  private void resumeInSecondary() throws Exception {
    step("Resume the workflows in the secondary: no clean-up, two rounds of runs");
    for (int r = 1; r <= 2; r++) {
      if (r == 2) {
        landBatch();
      }
      for (String workflow : List.of(WF1, WF2)) {
        if (paused(Region.secondary, workflow)) {
          check("resume-" + workflow, false, workflow + " is paused in the secondary");
          continue;
        }
        timeline.secondaryRunning(Instant.now());
        runIn(Region.secondary, workflow);
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

  private void failBack() throws InterruptedException {
    step("Failback: the secondary's last completed state back to the primary");
    long t0 = System.nanoTime();
    Workspaces.RunResult run = job(Region.secondary, WorkspaceSpec.FAILBACK_JOB);
    JsonNode report = run.json();
    say("failback: job run %d in the secondary workspace, %s in %d ms", run.runId(), run.result(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    List<String> carried = new ArrayList<>();
    boolean allCarried = true;
    for (JsonNode g : report.path("groups")) {
      say("%s: carried back %s, %s", g.path("group").asText(), g.path("carried_back").asBoolean(),
          g.path("note").asText(""));
      carried.add(g.path("group").asText() + " carried back " + g.path("carried_back").asBoolean());
      allCarried &= g.path("carried_back").asBoolean();
    }
    check("failback-complete", run.succeeded() && report.path("complete").asBoolean() && allCarried,
        carried + ", switches confirmed " + report.path("complete").asBoolean()
            + (run.succeeded() ? "" : "; run " + run.result() + " " + run.message()));
    for (SyncGroup g : workspace.groups()) {
      for (TableMapping t : g.tables()) {
        Rows.Diff diff = Rows.compare(Rows.latest(spark, primary(t.source().toString())),
            Rows.latest(spark, secondary(t.secondary().toString())));
        check("primary-equals-secondary-" + t.source().table(), diff.equal(),
            "primary vs secondary after failback: " + diff);
      }
    }
    check("primary-back-in-service", !paused(Region.primary, WF1) && !paused(Region.primary, WF2)
            && !paused(Region.primary, JobNames.DEFAULT_SENDER) && paused(Region.secondary, WF1)
            && paused(Region.secondary, WF2) && !paused(Region.secondary, JobNames.DEFAULT_RECEIVER),
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
    runIn(Region.primary, workflow);
  }

  /** Runs a workflow as a job of a region's workspace; a failed run stops the drill. */
  private void runIn(Region region, String workflow) throws Exception {
    long t0 = System.nanoTime();
    Map<String, String> parameters = workflow.equals(WF1)
        ? Map.of("silver_loops", Integer.toString(settings.silverLoops())) : Map.of();
    Workspaces.RunResult run = workspaces.run(region, workflow, parameters);
    if (!run.succeeded()) {
      throw new IllegalStateException(workflow + " job run " + run.runId() + " in the " + region
          + " workspace " + run.result() + ": " + run.message() + " (see "
          + Workspaces.log(workspaces.plan(), region) + ")");
    }
    JsonNode result = run.json();
    say("%s run %d in the %s (job run %d): SUCCESS in %d ms (%s)", workflow,
        result.path("run_log_run_id").asLong(), region, run.runId(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), describe(result));
  }

  /** Runs a deltasync job of a region's workspace; its report is JSON in the run's log. */
  private Workspaces.RunResult job(Region region, String job) throws InterruptedException {
    Workspaces.RunResult run = workspaces.run(region, job, Map.of());
    if (!run.logs().contains("{")) {
      throw new IllegalStateException(job + " job run " + run.runId() + " in the " + region
          + " workspace " + run.result() + " without a report: " + run.message() + " (see "
          + Workspaces.log(workspaces.plan(), region) + ")");
    }
    return run;
  }

  private JsonNode send() throws InterruptedException {
    long t0 = System.nanoTime();
    Workspaces.RunResult run = job(Region.primary, WorkspaceSpec.SENDER_JOB);
    JsonNode result = run.json();
    for (JsonNode g : result.path("groups")) {
      String group = g.path("group").asText();
      long copied = g.path("copied_bytes").asLong();
      bytesSent.merge(group, copied, Long::sum);
      say("sender: %s %s%s, %d bytes copied%s", group, g.path("status").asText(),
          g.path("run_id").isNumber() ? " run " + g.path("run_id").asLong() : "", copied,
          g.path("sequence").isNumber() && "SYNCED".equals(g.path("status").asText())
              ? ", sync point " + g.path("sequence").asLong() + " " + versions(g) : "");
    }
    say("sender cycle: job run %d in the primary workspace, %d ms", run.runId(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    checkCycle("sender-cycle-" + checks.size(), run, result);
    return result;
  }

  private JsonNode receive() throws InterruptedException {
    long t0 = System.nanoTime();
    Workspaces.RunResult run = job(Region.secondary, WorkspaceSpec.RECEIVER_JOB);
    JsonNode result = run.json();
    for (JsonNode g : result.path("groups")) {
      say("receiver: %s %s%s", g.path("group").asText(), g.path("status").asText(),
          g.path("sequence").isNumber() ? " sync point " + g.path("sequence").asLong() : "");
    }
    say("receiver cycle: job run %d in the secondary workspace, %d ms", run.runId(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    checkCycle("receiver-cycle-" + checks.size(), run, result);
    return result;
  }

  private void checkCycle(String name, Workspaces.RunResult run, JsonNode result) {
    List<String> failures = new ArrayList<>();
    for (JsonNode g : result.path("groups")) {
      if (!g.path("error").isNull() && !g.path("error").isMissingNode()) {
        failures.add(g.path("group").asText() + ": " + g.path("error").asText());
      }
    }
    boolean failed = result.path("failed").asBoolean(true) || !run.succeeded();
    check(name, !failed, failed ? "failed: " + failures + " " + run.message() : "no group failed");
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

  private List<DemoReport.GroupSummary> summaries(JsonNode failover, VerifyReport verify) {
    List<DemoReport.GroupSummary> out = new ArrayList<>();
    for (SyncGroup g : workspace.groups()) {
      JsonNode recovery = recovery(failover, g.name());
      JsonNode point = recovery.path("recovery_point");
      String verified = verify.groups().stream().filter(v -> v.group().equals(g.name()))
          .map(v -> v.outcome().name()).findFirst().orElse("-");
      List<DemoReport.TableAt> tables = new ArrayList<>();
      for (JsonNode t : point.path("tables")) {
        tables.add(new DemoReport.TableAt(t.path("table").asText(),
            t.path("source_version").asLong(-1), t.path("target_version").asLong(-1)));
      }
      out.add(new DemoReport.GroupSummary(g.name(), recovery.path("status").asText("-"),
          point.path("run_id").isNumber() ? OptionalLong.of(point.path("run_id").asLong())
              : OptionalLong.empty(),
          instant(point.path("run_end_time")), tables, rpo(recovery),
          bytesSent.getOrDefault(g.name(), 0L), verified));
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

  private boolean paused(Region region, String job) {
    io.deltasync.jobs.JobsControl control = workspaces.jobs(region);
    return control.state(control.job(job)).is(PauseStatus.PAUSED);
  }

  private static JsonNode outcome(JsonNode cycle, String group) {
    for (JsonNode g : cycle.path("groups")) {
      if (g.path("group").asText().equals(group)) {
        return g;
      }
    }
    throw new IllegalStateException("the cycle's report has no group " + group + ": " + cycle);
  }

  private static JsonNode recovery(JsonNode failover, String group) {
    return outcome(failover.path("workspaces").path(0), group);
  }

  /** The RPO of a group in failover's JSON report. */
  private static Optional<Rpo> rpo(JsonNode recovery) {
    JsonNode rpo = recovery.path("rpo");
    if (!rpo.isObject()) {
      return Optional.empty();
    }
    return Optional.of(new Rpo(Rpo.Source.valueOf(rpo.path("source").asText()),
        rpo.path("primary_last_run_id").isNumber()
            ? OptionalLong.of(rpo.path("primary_last_run_id").asLong()) : OptionalLong.empty(),
        instant(rpo.path("primary_last_run_end")),
        Duration.ofSeconds(rpo.path("data_loss_seconds").asLong()),
        rpo.path("runs_not_recovered").asInt(), Optional.ofNullable(rpo.path("note").textValue())));
  }

  private static Optional<Instant> instant(JsonNode node) {
    return node.isTextual() ? Optional.of(Instant.parse(node.asText())) : Optional.empty();
  }

  private static String versions(JsonNode group) {
    List<String> versions = new ArrayList<>();
    for (JsonNode t : group.path("tables")) {
      versions.add(TableName.parse(t.path("table").asText()).table() + "@"
          + t.path("source_version").asLong());
    }
    return versions.toString();
  }

  static String describePoint(JsonNode point) {
    if (!point.isObject()) {
      return "nothing";
    }
    List<String> tables = new ArrayList<>();
    for (JsonNode t : point.path("tables")) {
      tables.add(TableName.parse(t.path("table").asText()).table() + "@"
          + t.path("source_version").asLong(-1));
    }
    return "run " + (point.path("run_id").isNumber() ? point.path("run_id").asText() : "-")
        + " (ended " + point.path("run_end_time").asText("-") + ") " + tables;
  }

  private static String describe(JsonNode run) {
    if (run.has("silver_commits")) {
      return "batches " + run.path("batches").asText() + ", " + run.path("bronze_rows_added")
          .asLong() + " new bronze rows, " + run.path("silver_commits").asInt() + " silver commits";
    }
    return "day " + run.path("day").asInt() + ", " + run.path("readings").asLong() + " readings";
  }

  static String pathOf(TableLocation table) {
    return Rows.path(table);
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
