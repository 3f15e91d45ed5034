package io.deltasync.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.cli.KeepPrimaryDrillCommand;
import io.deltasync.clone.TableRestorer;
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncException;
import io.deltasync.failover.KeepPrimaryDrillReport.GroupDrill;
import io.deltasync.failover.KeepPrimaryDrillReport.WorkspaceDrill;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.runtime.DrEngines;
import io.deltasync.sync.GroupListener;
import io.deltasync.sync.GroupStatus;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.Sender;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.LocalWorkspaces;
import io.deltasync.testing.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The keep-primary drill on real Delta tables and the two workspaces' Jobs APIs: the primary runs
 * and syncs throughout; the drill runs the workflow once in the secondary (its run-now starts the
 * workflow there, which processes the batch the secondary does not hold yet), then puts the
 * secondary back exactly as it found it, and the sync goes on. Then a drill whose restore fails
 * stays open, fences the receiver, and failover ends it before promoting. Last, a drill right after
 * a failback, run through the drill job's command, puts the secondary back at what it carried
 * back, not at the older sync point, and writes its report.
 */
class KeepPrimaryDrillTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();
  private Path primary;
  private Path secondary;
  private final Map<String, List<String>> duringDrill = new HashMap<>();
  private final List<GroupStatus> receiverDuringDrill = new java.util.ArrayList<>();
  private DeltaSyncConfig config;
  private Receiver receiver;

  private final LocalWorkspaces workspaces = LocalWorkspaces.start("dr-tests", Clock.systemUTC(),
      Map.of(DrillWorkflow.NAME, (run, params) -> {
        // The workflow's run in the secondary, during the drill.
        DrillWorkflow.run(spark, secondary, OptionalInt.empty());
        duringDrill.clear();
        duringDrill.putAll(DrillWorkflow.contents(spark, secondary));
        receiverDuringDrill.add(receiver.run(config, Optional.empty()).groups().get(0).status());
      }, "deltasync_sender", (run, params) -> {
        // The secondary's sender, started by the workflow's sync task, is passive: fenced.
        throw new IllegalStateException("Sender of workspace drill in the SECONDARY region"
            + " refused to stage: the PRIMARY region is active (groups " + params.get("groups")
            + ")");
      }), DrillWorkflow.NAME);

  @AfterEach
  void stopWorkspaces() {
    workspaces.close();
  }

  @Test
  void drillsTheSecondaryWhileThePrimaryKeepsRunning() throws Exception {
    primary = dir.resolve("east");
    secondary = dir.resolve("west");
    Path configFile = writeConfig();
    config = ConfigLoader.load(configFile);
    WorkspaceConfig ws = config.workspaces().get(0);
    receiver = Receiver.create(DrEngines::ledger, DrEngines.cloner(),
        io.deltasync.runtime.Cloners.stagingCheck(), GroupListener.none());
    Sender sender = Sender.builder()
        .runSources(w -> LocalRunLog.forPrimary(w.local().orElseThrow()))
        .ledgers(DrEngines::ledger)
        .versions(DrEngines.versions())
        .cloner(DrEngines.cloner())
        .build();
    // Deployed: the secondary passive (workflow and reverse sender paused, receiver running), and
    // the workflow ends with its sync task, which starts this region's sender.
    workspaces.set(Region.SECONDARY, DrillWorkflow.NAME, PauseStatus.PAUSED);
    workspaces.set(Region.SECONDARY, "deltasync_sender", PauseStatus.PAUSED);
    long workflowId = workspaces.secondary.jobId(DrillWorkflow.NAME);
    ObjectNode settings = workspaces.secondary.settings(workflowId);
    settings.putArray("tasks").add(JSON.readTree("{\"task_key\": \"orders\"}"))
        .add(JSON.readTree("{\"task_key\": \"sync\", \"depends_on\": [{\"task_key\":"
            + " \"orders\"}], \"run_if\": \"ALL_SUCCESS\", \"run_job_task\": {\"job_id\": "
            + workspaces.secondary.jobId("deltasync_sender") + ", \"job_parameters\":"
            + " {\"groups\": \"sample_workflow_1\"}}}"));
    workspaces.secondary.replaceSettings(workflowId, settings);

    // Run 1 is synced; run 2 ends in the primary but is not synced when the drill begins.
    land(1);
    DrillWorkflow.run(spark, primary, OptionalInt.empty());
    assertThat(sender.run(config, Sender.Request.all()).groups().get(0).status())
        .isEqualTo(GroupStatus.SYNCED);
    assertThat(receiver.run(config, Optional.empty()).groups().get(0).status())
        .isEqualTo(GroupStatus.SYNCED);
    Map<String, List<String>> run1 = DrillWorkflow.contents(spark, primary);
    assertThat(DrillWorkflow.contents(spark, secondary)).isEqualTo(run1);
    land(2);
    DrillWorkflow.run(spark, primary, OptionalInt.empty());
    List<WorkflowRun> primaryRuns = new LocalRunLog(primary.toString())
        .runs(DrillWorkflow.NAME, OptionalLong.empty());
    assertThat(primaryRuns).extracting(WorkflowRun::runId).containsExactly(2L, 1L);

    KeepPrimaryDrillReport report = drill(io.deltasync.runtime.Cloners.restorer()).run(config);

    assertThat(report.problems()).isEmpty();
    WorkspaceDrill drilled = report.workspaces().get(0);
    assertThat(drilled.drillId()).isPresent();
    String drillId = drilled.drillId().get();
    assertThat(drilled.steps()).extracting(KeepPrimaryDrillReport.Step::title).containsExactly(
        "Pause the secondary's receiver (deltasync_receiver) and cancel its active runs",
        "Record the drill in the ledger (" + drillId + ", DRILL rows, epoch 0 unchanged): the"
            + " simulated outage begins",
        "Start the workflows in the secondary (run-now): sample_workflow_1",
        "Wait for the secondary's workflow runs to end",
        "Put each table back at its version when the drill began (undoes the drill's writes)"
            + " and record DRILL_ENDED",
        "Resume the secondary's receiver (deltasync_receiver)",
        "Drill ended");
    assertThat(drilled.rto()).hasValueSatisfying(rto -> assertThat(rto.isNegative()).isFalse());
    assertThat(drilled.rto().get()).isEqualTo(Duration.between(drilled.outageStart().get(),
        drilled.secondaryRunning().get()));
    GroupDrill group = drilled.groups().get(0);
    assertThat(group.recoveredSequence()).hasValue(1);
    assertThat(group.recoveredRun()).hasValue(1);
    assertThat(group.restored()).isTrue();
    // Its data task succeeded; its sync task's run of the passive sender failed, as it should.
    assertThat(group.secondaryResult()).hasValueSatisfying(r -> {
      assertThat(r.state()).isEqualTo("FAILED");
      assertThat(r.dataSucceeded()).isTrue();
      assertThat(r.message()).contains("task sync: run ").contains("refused to stage");
    });
    // Had the outage begun at the drill's start, run 2 would have been lost.
    Rpo rpo = group.rpo().orElseThrow();
    assertThat(rpo.source()).isEqualTo(Rpo.Source.PRIMARY_RUNS);
    assertThat(rpo.runsNotRecovered()).isEqualTo(1);
    assertThat(rpo.primaryLastRunId()).hasValue(2);
    assertThat(rpo.dataLoss()).isEqualTo(Duration.between(group.recoveredRunEnd().orElseThrow(),
        primaryRuns.get(0).end().orElseThrow()));

    // The secondary ran the workflow from the state it held: batch 2 on top of run 1's state,
    // while the receiver kept off the group.
    assertThat(duringDrill.get("dr.main.gold")).isNotEmpty()
        .allMatch(row -> row.endsWith(",2]"));
    assertThat(duringDrill).isNotEqualTo(run1);
    assertThat(receiverDuringDrill).containsExactly(GroupStatus.IN_DRILL);
    // Then it is back exactly as the drill found it (sync point 1), and its jobs as deployed.
    assertThat(DrillWorkflow.contents(spark, secondary)).isEqualTo(run1);
    assertThat(workspaces.status(Region.SECONDARY, "deltasync_receiver"))
        .isEqualTo(PauseStatus.UNPAUSED);
    assertThat(workspaces.status(Region.SECONDARY, DrillWorkflow.NAME))
        .isEqualTo(PauseStatus.PAUSED);
    LedgerState state = new LedgerState(DrEngines.ledger(ws).read());
    assertThat(rows(state, SyncStatus.DRILL)).hasSize(3)
        .allMatch(r -> r.syncId().equals(drillId) && r.sequence() == 1
            && r.changedBy().equals(Optional.of("drill-test")));
    assertThat(rows(state, SyncStatus.DRILL_ENDED)).hasSize(3)
        .allMatch(r -> r.syncId().equals(drillId) && r.sequence() == 1
            && r.targetVersion().isPresent());
    assertThat(state.openDrill(ws.name(), DrillWorkflow.NAME)).isEmpty();
    assertThat(state.currentEpoch(ws.name()).number()).isZero();

    // The primary kept running: run 2 syncs as usual, onto the tables put back.
    assertThat(sender.run(config, Sender.Request.all()).groups().get(0).status())
        .isEqualTo(GroupStatus.SYNCED);
    assertThat(receiver.run(config, Optional.empty()).groups().get(0).status())
        .isEqualTo(GroupStatus.SYNCED);
    assertThat(DrillWorkflow.contents(spark, secondary))
        .isEqualTo(DrillWorkflow.contents(spark, primary));

    // A drill whose restore fails stays open: the receiver keeps off the group ...
    land(3);
    DrillWorkflow.run(spark, primary, OptionalInt.empty());
    Map<String, List<String>> run3 = DrillWorkflow.contents(spark, primary);
    assertThat(sender.run(config, Sender.Request.all()).groups().get(0).status())
        .isEqualTo(GroupStatus.SYNCED);
    // Batch 4 lands in the secondary only, early: the drill's run there goes past run 3.
    DrillWorkflow.land(secondary, 4);
    FailingRestorer failing = new FailingRestorer(io.deltasync.runtime.Cloners.restorer());
    KeepPrimaryDrillReport broken = drill(failing).run(config);
    GroupDrill open = broken.workspaces().get(0).groups().get(0);
    assertThat(open.restored()).isFalse();
    assertThat(failing.failures.get()).isEqualTo(1);
    assertThat(broken.problems()).singleElement().asString()
        .startsWith("drill/sample_workflow_1: its drill is still open, the receiver keeps off it:"
            + " putting " + secondary.resolve("dr/raw/bronze") + " back to its version ")
        .contains("injected: the secondary's storage did not answer")
        .endsWith("Run the drill again (it ends this one first) or fail over");
    String openId = broken.workspaces().get(0).drillId().orElseThrow();
    assertThat(new LedgerState(DrEngines.ledger(ws).read()).openDrill(ws.name(),
        DrillWorkflow.NAME)).hasValueSatisfying(d -> assertThat(d.syncId()).isEqualTo(openId));
    assertThat(receiver.run(config, Optional.empty()).groups().get(0).status())
        .isEqualTo(GroupStatus.IN_DRILL);
    assertThat(duringDrill.get("dr.main.gold")).isNotEmpty().allMatch(row -> row.endsWith(",4]"));
    assertThat(DrillWorkflow.contents(spark, secondary)).isEqualTo(duringDrill);

    // ... until failover ends it (the drill's writes undone) and rolls the group forward.
    FailoverReport failover = workspaces.engines(Clock.systemUTC()).failover()
        .principal("failover-test").build().run(config);
    assertThat(failover.notPromoted()).isEmpty();
    assertThat(failover.groups().get(0).rolledForward()).hasValue(3);
    assertThat(DrillWorkflow.contents(spark, secondary)).isEqualTo(run3);
    LedgerState after = new LedgerState(DrEngines.ledger(ws).read());
    assertThat(after.openDrill(ws.name(), DrillWorkflow.NAME)).isEmpty();
    assertThat(rows(after, SyncStatus.DRILL_ENDED).stream()
        .filter(r -> r.syncId().equals(openId)).toList()).hasSize(3)
        .allMatch(r -> r.changedBy().equals(Optional.of("failover-test")) && r.sequence() == 2);

    // Right after a failback the secondary holds what it carried back, newer than the last sync
    // point applied forward (3): a drill then puts it back there, not at sync point 3.
    DrillWorkflow.run(spark, secondary, OptionalInt.empty()); // batch 4, in the active secondary
    FailbackReport failback = workspaces.engines(Clock.systemUTC()).failback(config).build()
        .run(config);
    assertThat(failback.complete()).isTrue();
    Map<String, List<String>> carriedBack = DrillWorkflow.contents(spark, secondary);
    assertThat(carriedBack.get("dr.main.gold")).allMatch(row -> row.endsWith(",4]"));
    assertThat(DrillWorkflow.contents(spark, primary)).isEqualTo(carriedBack);
    land(5);
    // This drill runs as the drill job does: the command, its report written into a folder.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine job = new CommandLine(new KeepPrimaryDrillCommand());
    job.setOut(new PrintWriter(out));
    job.setErr(new PrintWriter(err));
    Path reports = dir.resolve("reports");
    int exit = job.execute("--config", configFile.toString(), "--region", "secondary", "--dir",
        reports.toString());
    assertThat(exit).as(err.toString()).isZero();
    assertThat(duringDrill.get("dr.main.gold")).allMatch(row -> row.endsWith(",5]"));
    assertThat(DrillWorkflow.contents(spark, secondary)).isEqualTo(carriedBack);
    // Named by the drill's date (UTC): the one Markdown file and its HTML page.
    List<String> written;
    try (java.util.stream.Stream<Path> files = Files.list(reports)) {
      written = files.map(f -> f.getFileName().toString()).sorted().toList();
    }
    assertThat(written).hasSize(2)
        .allMatch(f -> f.matches("drill-\\d{4}-\\d{2}-\\d{2}\\.(md|html)"));
    String date = written.get(0).substring("drill-".length(), "drill-".length() + 10);
    assertThat(written).containsExactly("drill-" + date + ".html", "drill-" + date + ".md");
    Path markdown = reports.resolve("drill-" + date + ".md");
    assertThat(Files.readString(markdown))
        .contains("- **Test Type:** REGION (failover drill, primary kept running)\n")
        .contains("| sample_workflow_1 | yes | 3 | ")
        .contains("## Issues Encountered\nNone.\n");
    assertThat(out.toString()).startsWith(Files.readString(markdown))
        .contains("Drill report: " + markdown + ", " + reports.resolve("drill-" + date + ".html"));
  }

  private KeepPrimaryDrill drill(TableRestorer restorer) {
    return workspaces.engines(Clock.systemUTC()).keepPrimaryDrill()
        .restorer(restorer)
        .principal("drill-test")
        .poll(Duration.ofMillis(100))
        .runTimeout(Duration.ofMinutes(5))
        .build();
  }

  private static List<LedgerRow> rows(LedgerState state, SyncStatus status) {
    return state.rows().stream().filter(r -> r.status() == status).toList();
  }

  /** Each batch lands in both regions (file_transfer.sh). */
  private void land(int batch) throws Exception {
    DrillWorkflow.land(primary, batch);
    DrillWorkflow.land(secondary, batch);
  }

  private Path writeConfig() throws Exception {
    String json = """
        {
          "secret_scope": "dr-tests",
          "workspaces": [{
            "workspace_name": "drill",
            %s
            "sync_location_primary": "%s",
            "sync_location_secondary": "%s",
            "sync_interval_mins": 15,
            "sync_failover_interval_mins": 1,
            "failover_deadline_mins": 2,
            "sync_max_retries": 1,
            "local": {"primary_dir": "%s", "secondary_dir": "%s"},
            "sync_groups": [{
              "group_name": "sample_workflow_1",
              "group_owner_email": "owner@example.com",
              "workflow": "sample_workflow_1",
              "tables": ["dr.raw.bronze", "dr.stage.silver", "dr.main.gold"]
            }]
          }]
        }
        """.formatted(workspaces.jsonKeys(), dir.resolve("east-sync"), dir.resolve("west-sync"),
        primary, secondary);
    return Files.writeString(dir.resolve("drill.json"), json);
  }

  /** The real restorer, whose first restore fails as a storage that does not answer would. */
  private static final class FailingRestorer implements TableRestorer {
    private final TableRestorer real;
    private final AtomicBoolean armed = new AtomicBoolean(true);
    final AtomicInteger failures = new AtomicInteger();

    FailingRestorer(TableRestorer real) {
      this.real = real;
    }

    @Override
    public long restore(TableLocation table, long version) {
      if (armed.getAndSet(false)) {
        failures.incrementAndGet();
        throw new SyncException(SyncException.Kind.RETRYABLE,
            "injected: the secondary's storage did not answer writing " + table);
      }
      return real.restore(table, version);
    }
  }
}
