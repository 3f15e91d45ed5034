package io.deltasync.samples.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.core.error.platform.PermissionDenied;
import com.databricks.sdk.core.error.platform.Unauthenticated;
import com.databricks.sdk.service.jobs.CronSchedule;
import com.databricks.sdk.service.jobs.JobSettings;
import com.databricks.sdk.service.jobs.PauseStatus;
import com.databricks.sdk.service.jobs.RunNow;
import com.databricks.sdk.service.jobs.UpdateJob;
import com.fasterxml.jackson.databind.JsonNode;
import io.deltasync.samples.RunWorkflowCommand.Region;
import io.deltasync.samples.SampleWorkflow2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two simulated workspaces, each a JVM of its own, driven only through the real Databricks SDK:
 * a sample workflow, the sender and the receiver run as jobs in their region's JVM (run-now, then
 * runs/get until it ends, then runs/get-output), and each workspace answers a principal without
 * the permission with 403 and a token of the other workspace with 401.
 */
class WorkspacesTest {

  static final String READINGS = "dr_test_catalog.raw.workflow_2_readings";
  static final String DAILY = "dr_test_catalog.main.workflow_2_daily";

  @TempDir static Path dir;
  static Workspaces workspaces;
  static Path primary;
  static Path secondary;

  @BeforeAll
  static void startTwoWorkspaces() throws Exception {
    primary = dir.resolve("primary");
    secondary = dir.resolve("secondary");
    Workspaces.Plan plan = Workspaces.Plan.create(dir.resolve("workspaces"), "sim");
    Path config = dir.resolve("deltasync.json");
    Files.writeString(config, """
        {
          "secret_scope": "sim",
          "workspaces": [
            {
              "workspace_name": "sim",
              %s,
              "local": {"primary_dir": "%s", "secondary_dir": "%s"},
              "sync_location_primary": "%s/sync-primary",
              "sync_location_secondary": "%s/sync-secondary",
              "sync_interval_mins": 15,
              "sync_failover_interval_mins": 1,
              "sync_max_retries": 2,
              "sync_groups": [
                {"group_name": "%s", "group_owner_email": "data-eng@example.com",
                 "workflow": "%s", "tables": ["%s", "%s"]}
              ]
            }
          ]
        }
        """.formatted(plan.configJson(), primary, secondary, dir, dir, SampleWorkflow2.NAME,
        SampleWorkflow2.NAME, READINGS, DAILY));
    workspaces = Workspaces.start(plan, "sim",
        Map.of(Region.primary, primary.toString(), Region.secondary, secondary.toString()), config,
        Region.primary, ChildJvm.command("768m"));
  }

  @AfterAll
  static void stop() {
    if (workspaces != null) {
      long primaryPid = workspaces.pid(Region.primary);
      workspaces.close();
      assertThat(ProcessHandle.of(primaryPid).map(ProcessHandle::isAlive)).isNotEqualTo(
          java.util.Optional.of(true));
    }
  }

  @Test
  void aWorkflowTheSenderAndTheReceiverRunAsJobsInTheirRegionsJvm() throws Exception {
    Workspaces.RunResult workflow = workspaces.run(Region.primary, SampleWorkflow2.NAME, Map.of());
    assertThat(workflow.succeeded()).as(workflow.message()).isTrue();
    assertThat(workflow.json().path("region").asText()).isEqualTo("primary");
    assertThat(primary.resolve("dr_test_catalog/main/workflow_2_daily/_delta_log")).isDirectory();
    assertThat(secondary.resolve("dr_test_catalog")).doesNotExist();

    Workspaces.RunResult sent = workspaces.run(Region.primary, WorkspaceSpec.SENDER_JOB, Map.of());
    assertThat(sent.succeeded()).as(sent.message() + sent.logs()).isTrue();
    JsonNode group = sent.json().path("groups").get(0);
    assertThat(group.path("status").asText()).isEqualTo("SYNCED");
    assertThat(group.path("run_id").asLong())
        .isEqualTo(workflow.json().path("run_log_run_id").asLong());

    Workspaces.RunResult received = workspaces.run(Region.secondary,
        WorkspaceSpec.RECEIVER_JOB, Map.of());
    assertThat(received.succeeded()).as(received.message() + received.logs()).isTrue();
    assertThat(received.json().path("groups").get(0).path("status").asText()).isEqualTo("SYNCED");
    assertThat(secondary.resolve("dr_test_catalog/main/workflow_2_daily/_delta_log")).isDirectory();
  }

  @Test
  void everyDeltaSyncJobRunsConfinedToItsWorkspacesRegion() throws Exception {
    Workspaces.RunResult status = workspaces.run(Region.secondary, WorkspaceSpec.STATUS_JOB,
        Map.of());

    assertThat(status.logs()).as(status.message()).contains("deltasync status --config "
        + dir.resolve("deltasync.json") + " --region secondary");
  }

  /**
   * The one-JVM failback: run in the primary workspace, it would read "the secondary" tables by
   * name and so the primary's own. Here the primary's failback job runs with --region primary,
   * and is refused before it reads anything.
   */
  @Test
  void failbackCannotRunInThePrimaryWorkspace() throws Exception {
    Workspaces.RunResult failback = workspaces.run(Region.primary, WorkspaceSpec.FAILBACK_JOB,
        Map.of());

    assertThat(failback.result()).isEqualTo("FAILED");
    assertThat(failback.message()).isEqualTo("deltasync failback in the primary region exited 2:"
        + " deltasync: failback runs in the secondary region, whose tables it reads; it starts the"
        + " reverse receive in the primary through that workspace's Jobs API: use --region"
        + " secondary");
  }

  @Test
  void aPrincipalWithoutThePermissionGets403() {
    long workflow = workspaces.jobId(Region.primary, SampleWorkflow2.NAME);
    UpdateJob pause = new UpdateJob().setJobId(workflow).setNewSettings(new JobSettings()
        .setSchedule(new CronSchedule().setQuartzCronExpression("0 0/15 * * * ?")
            .setTimezoneId("UTC").setPauseStatus(PauseStatus.PAUSED)));

    assertThatThrownBy(() -> workspaces.client(Region.primary, WorkspaceSpec.SENDER).jobs()
        .update(pause))
        .isInstanceOf(PermissionDenied.class)
        .hasMessageContaining("User " + WorkspaceSpec.SENDER)
        .hasMessageContaining("job " + workflow);
    long failover = workspaces.jobId(Region.secondary, WorkspaceSpec.FAILOVER_JOB);
    assertThatThrownBy(() -> workspaces.client(Region.secondary, WorkspaceSpec.JOBS_API).jobs()
        .runNow(new RunNow().setJobId(failover)))
        .isInstanceOf(PermissionDenied.class)
        .hasMessageContaining("does not have Admin or Manage Run or Owner permissions");
  }

  @Test
  void aTokenOfTheOtherWorkspaceIsUnknown() {
    Workspaces.Plan plan = workspaces.plan();
    com.databricks.sdk.WorkspaceClient wrong = io.deltasync.databricks.WorkspaceClients.connect(
        plan.host(Region.secondary),
        new io.deltasync.config.Credentials.Pat(new io.deltasync.config.SecretRef("sim",
            WorkspaceSpec.tokenKey(Region.primary, WorkspaceSpec.OPERATORS))),
        new io.deltasync.secrets.EnvSecretProvider(plan.environment(List.of(
            WorkspaceSpec.tokenKey(Region.primary, WorkspaceSpec.OPERATORS)))));

    assertThatThrownBy(() -> wrong.jobs().list(new com.databricks.sdk.service.jobs.ListJobsRequest())
        .iterator().hasNext())
        .isInstanceOf(Unauthenticated.class)
        .hasMessageContaining("Invalid access token");
  }
}
