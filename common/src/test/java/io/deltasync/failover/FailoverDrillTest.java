package io.deltasync.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.deltasync.cli.DeltaSyncCli;
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.Region;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.runtime.Cloners;
import io.deltasync.runtime.DrEngines;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupListener;
import io.deltasync.sync.GroupStatus;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.Sender;
import io.deltasync.testing.LocalWorkspaces;
import io.deltasync.testing.SharedSpark;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The local drill end to end (issue 6): a workflow run killed in the middle of its silver loop,
 * failover, the workflow resumed in the secondary from the last completed state with no manual
 * clean-up, two more runs there, failback, and the primary's tables equal the secondary's.
 * Real Delta tables, the real sender, receiver, portable cloner, Delta ledger and run logs; the
 * failover and failback commands run through the command line.
 */
class FailoverDrillTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();

  private final LocalWorkspaces workspaces = LocalWorkspaces.start("dr-tests",
      Clock.systemUTC(), DrillWorkflow.NAME);

  @AfterEach
  void stopWorkspaces() {
    workspaces.close();
  }

  @Test
  void drill() throws Exception {
    Path primary = dir.resolve("east");
    Path secondary = dir.resolve("west");
    Path reference = dir.resolve("reference");
    Path configFile = writeConfig();
    DeltaSyncConfig config = ConfigLoader.load(configFile);
    WorkspaceConfig ws = config.workspaces().get(0);
    JobsControl primaryJobs = workspaces.primaryJobs();
    JobsControl secondaryJobs = workspaces.secondaryJobs();
    // Deployed: the secondary passive (workflow and reverse sender paused, receiver running).
    secondaryJobs.setPauseStatus(secondaryJobs.job(DrillWorkflow.NAME), PauseStatus.PAUSED);
    secondaryJobs.setPauseStatus(secondaryJobs.job("deltasync_sender"), PauseStatus.PAUSED);

    Sender sender = Sender.builder()
        .runSources(w -> LocalRunLog.forPrimary(w.local().orElseThrow()))
        .ledgers(DrEngines::ledger)
        .versions(DrEngines.versions())
        .cloner(DrEngines.cloner())
        .build();
    Receiver receiver = Receiver.create(DrEngines::ledger, DrEngines.cloner(),
        io.deltasync.runtime.Cloners.stagingCheck(), GroupListener.none());

    // Each batch lands in both regions (file_transfer.sh). The primary runs and syncs batch 1 ...
    land(1, primary, secondary, reference);
    DrillWorkflow.run(spark, primary, OptionalInt.empty());
    assertThat(sender.run(config, Sender.Request.all()).groups().get(0).status())
        .isEqualTo(GroupStatus.SYNCED);
    assertThat(receiver.run(config, java.util.Optional.empty()).groups().get(0).status())
        .isEqualTo(GroupStatus.SYNCED);
    // ... and batch 2, staged, but the primary region fails before the receiver applies it.
    land(2, primary, secondary, reference);
    DrillWorkflow.run(spark, primary, OptionalInt.empty());
    Map<String, List<String>> run2State = DrillWorkflow.contents(spark, primary);
    assertThat(sender.run(config, Sender.Request.all()).groups().get(0).status())
        .isEqualTo(GroupStatus.SYNCED);
    // Run 3 (batch 3) is killed after the second commit of its silver loop.
    land(3, primary, secondary, reference);
    try {
      DrillWorkflow.run(spark, primary, OptionalInt.of(2));
    } catch (IllegalStateException expected) {
      assertThat(expected).hasMessage("drill: run killed after silver commit 2");
    }
    List<WorkflowRun> primaryRuns = new LocalRunLog(primary.toString()).runs(DrillWorkflow.NAME,
        OptionalLong.empty());
    assertThat(primaryRuns).extracting(WorkflowRun::runId, WorkflowRun::result).containsExactly(
        org.assertj.core.groups.Tuple.tuple(3L, WorkflowRun.Result.FAILED),
        org.assertj.core.groups.Tuple.tuple(2L, WorkflowRun.Result.SUCCESS),
        org.assertj.core.groups.Tuple.tuple(1L, WorkflowRun.Result.SUCCESS));
    Map<String, List<String>> halfDone = DrillWorkflow.contents(spark, primary);
    assertThat(halfDone.get("dr.stage.silver")).isNotEqualTo(run2State.get("dr.stage.silver"));
    // A sender cycle during the outage never ships the half-done silver.
    CycleResult duringOutage = sender.run(config, Sender.Request.all());
    assertThat(duringOutage.groups().get(0).status()).isEqualTo(GroupStatus.UP_TO_DATE);

    // Failover.
    Result failover = cli("failover", "--config", configFile.toString(), "--json");
    assertThat(failover.exit).as(failover.err).isZero();
    JsonNode report = JSON.readTree(failover.out);
    assertThat(report.path("complete").asBoolean()).isTrue();
    JsonNode group = report.path("workspaces").get(0).path("groups").get(0);
    assertThat(group.path("status").asText()).isEqualTo("PROMOTED");
    assertThat(group.path("rolled_forward_sequence").asLong()).isEqualTo(2);
    assertThat(group.path("recovery_point").path("run_id").asLong()).isEqualTo(2);
    assertThat(group.path("recovery_point").path("run_end_time").asText())
        .isEqualTo(primaryRuns.get(1).end().orElseThrow()
            .truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString());
    assertThat(group.path("recovery_point").path("tables")).hasSize(3);
    assertThat(group.path("rpo").path("source").asText()).isEqualTo("PRIMARY_RUNS");
    assertThat(group.path("rpo").path("data_loss_seconds").asLong()).isZero();
    assertThat(group.path("rpo").path("runs_not_recovered").asInt()).isZero();
    assertThat(workspaces.status(Region.PRIMARY, DrillWorkflow.NAME)).isEqualTo(PauseStatus.PAUSED);
    assertThat(workspaces.status(Region.PRIMARY, "deltasync_sender")).isEqualTo(PauseStatus.PAUSED);
    assertThat(workspaces.status(Region.SECONDARY, "deltasync_receiver"))
        .isEqualTo(PauseStatus.PAUSED);
    assertThat(workspaces.status(Region.SECONDARY, "deltasync_sender"))
        .isEqualTo(PauseStatus.PAUSED);
    assertThat(workspaces.status(Region.SECONDARY, DrillWorkflow.NAME))
        .isEqualTo(PauseStatus.UNPAUSED);
    // The secondary holds exactly the end of run 2: never the half-done silver.
    assertThat(DrillWorkflow.contents(spark, secondary)).isEqualTo(run2State);
    // The DR team hears of it: one mail per group, with the recovery point.
    MimeMessage[] mails = MAIL.getReceivedMessages();
    assertThat(mails).hasSize(1);
    assertThat(mails[0].getSubject())
        .isEqualTo("[deltasync] SUCCEEDED failover sample_workflow_1 (drill)");
    assertThat(mails[0].getAllRecipients()).extracting(Object::toString)
        .containsExactly("dr-team@example.com");
    assertThat(GreenMailUtil.getBody(mails[0]))
        .contains("Workflow run: 2, ended " + primaryRuns.get(1).end().orElseThrow()
            .truncatedTo(java.time.temporal.ChronoUnit.MICROS));

    // The workflow resumes in the secondary: batch 3 (the one the killed run was on), then 4.
    DrillWorkflow.run(spark, secondary, OptionalInt.empty());
    DrillWorkflow.land(secondary, 4);
    DrillWorkflow.run(spark, secondary, OptionalInt.empty());
    // No manual clean-up: the result equals a region that never failed.
    DrillWorkflow.land(reference, 4);
    DrillWorkflow.run(spark, reference, OptionalInt.empty());
    Map<String, List<String>> secondaryState = DrillWorkflow.contents(spark, secondary);
    assertThat(secondaryState).isEqualTo(DrillWorkflow.contents(spark, reference));
    assertThat(secondaryState.get("dr.main.gold")).allMatch(row -> row.endsWith(",4]"));

    // Failback.
    Result failback = cli("failback", "--config", configFile.toString(), "--json");
    assertThat(failback.exit).as(failback.err).isZero();
    JsonNode back = JSON.readTree(failback.out);
    assertThat(back.path("complete").asBoolean()).isTrue();
    JsonNode carried = back.path("groups").get(0);
    assertThat(carried.path("carried_back").asBoolean()).isTrue();
    assertThat(carried.path("secondary_run_id").asLong()).isEqualTo(2);
    // The primary's tables equal the secondary's, row for row.
    assertThat(DrillWorkflow.contents(spark, primary)).isEqualTo(secondaryState);
    assertThat(MAIL.getReceivedMessages()).hasSize(2);
    assertThat(MAIL.getReceivedMessages()[1].getSubject())
        .isEqualTo("[deltasync] SUCCEEDED failback sample_workflow_1 (drill)");
    assertThat(workspaces.status(Region.PRIMARY, DrillWorkflow.NAME))
        .isEqualTo(PauseStatus.UNPAUSED);
    assertThat(workspaces.status(Region.PRIMARY, "deltasync_sender"))
        .isEqualTo(PauseStatus.UNPAUSED);
    assertThat(workspaces.status(Region.SECONDARY, DrillWorkflow.NAME))
        .isEqualTo(PauseStatus.PAUSED);
    assertThat(workspaces.status(Region.SECONDARY, "deltasync_receiver"))
        .isEqualTo(PauseStatus.UNPAUSED);
    assertThat(workspaces.status(Region.SECONDARY, "deltasync_sender"))
        .isEqualTo(PauseStatus.PAUSED);
    LedgerState reverse = new LedgerState(DrEngines.ledger(Roles.reversed(ws)).read());
    assertThat(reverse.lastApplied(ws.name(), "sample_workflow_1").orElseThrow().runId())
        .hasValue(2);

    // Back to normal: the primary runs again, and the forward sync picks it up.
    DrillWorkflow.land(primary, 5);
    DrillWorkflow.run(spark, primary, OptionalInt.empty());
    assertThat(sender.run(config, Sender.Request.all()).groups().get(0).status())
        .isEqualTo(GroupStatus.SYNCED);
    assertThat(receiver.run(config, java.util.Optional.empty()).groups().get(0).status())
        .isEqualTo(GroupStatus.SYNCED);
    assertThat(DrillWorkflow.contents(spark, secondary))
        .isEqualTo(DrillWorkflow.contents(spark, primary));
  }

  private static void land(int batch, Path... regions) throws Exception {
    for (Path region : regions) {
      DrillWorkflow.land(region, batch);
    }
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
            "sync_success_notification": "dr-team@example.com",
            "local": {"primary_dir": "%s", "secondary_dir": "%s"},
            "sync_groups": [{
              "group_name": "sample_workflow_1",
              "group_owner_email": "owner@example.com",
              "workflow": "sample_workflow_1",
              "tables": ["dr.raw.bronze", "dr.stage.silver", "dr.main.gold"]
            }]
          }],
          "notifications": {
            "smtp": {"host": "127.0.0.1", "port": %d, "from": "deltasync@example.com",
                     "starttls": false}
          }
        }
        """.formatted(workspaces.jsonKeys(), dir.resolve("east-sync"), dir.resolve("west-sync"),
        dir.resolve("east"), dir.resolve("west"), MAIL.getSmtp().getPort());
    return Files.writeString(dir.resolve("drill.json"), json);
  }

  private record Result(int exit, String out, String err) {}

  private static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = DeltaSyncCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
