package io.deltasync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.PermissionDenied;
import com.databricks.sdk.service.jobs.Run;
import com.databricks.sdk.service.jobs.RunLifeCycleState;
import com.databricks.sdk.service.jobs.RunNow;
import com.databricks.sdk.service.jobs.RunResultState;
import com.databricks.sdk.service.jobs.RunTask;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.config.Credentials;
import io.deltasync.config.SecretRef;
import io.deltasync.databricks.JobsApiRunSource;
import io.deltasync.databricks.SdkJobsControl;
import io.deltasync.databricks.WorkspaceClients;
import io.deltasync.errors.SyncException;
import io.deltasync.jobs.JobRef;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.local.LocalJobsServer.Permission;
import io.deltasync.local.LocalJobsServer.Result;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated workspace answers the real databricks-sdk-java as a workspace does: each workspace
 * knows only its own tokens, each principal only its own permissions.
 */
class LocalJobsServerTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final SecretRef TOKEN = new SecretRef("dr", "token");

  private final Map<SecretRef, String> secretValues = new HashMap<>();
  private final SecretProvider secrets = ref -> secretValues.get(ref);
  private LocalJobsServer west;
  private LocalJobsServer east;

  @BeforeEach
  void start() {
    west = LocalJobsServer.start("west", Clock.systemUTC());
    east = LocalJobsServer.start("east", Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    west.close();
    east.close();
  }

  @Test
  void aPrincipalWithManagePausesAJobAndEveryOtherSettingStays() {
    ObjectNode settings = new ObjectMapper().createObjectNode().put("name", "sample_workflow_1")
        .put("max_concurrent_runs", 1);
    settings.putObject("schedule").put("quartz_cron_expression", "0 0/15 * * * ?")
        .put("timezone_id", "UTC").put("pause_status", "UNPAUSED");
    long job = west.createJob(settings, (run, params) -> { });
    west.grant(job, "failover-sp", Permission.CAN_MANAGE);
    SdkJobsControl jobs = control(west, west.addPrincipal("failover-sp", false));

    JobRef ref = jobs.findJobs("sample_workflow_1").get(0);
    jobs.setPauseStatus(ref, PauseStatus.PAUSED);

    assertThat(ref).isEqualTo(new JobRef(Long.toString(job), "sample_workflow_1"));
    ObjectNode paused = settings.deepCopy();
    paused.with("schedule").put("pause_status", "PAUSED");
    assertThat(west.settings(job)).isEqualTo(paused);
    assertThat(west.fireSchedules()).as("a paused job does not run on its schedule").isEmpty();
  }

  @Test
  void manageRunIsNotEnoughToPauseAJob() {
    long job = west.createScheduledJob("sample_workflow_1", "UNPAUSED", (run, params) -> { });
    west.grant(job, "sender-sp", Permission.CAN_MANAGE_RUN);
    SdkJobsControl jobs = control(west, west.addPrincipal("sender-sp", false));
    JobRef ref = jobs.findJobs("sample_workflow_1").get(0);

    assertThatThrownBy(() -> jobs.setPauseStatus(ref, PauseStatus.PAUSED))
        .isInstanceOf(SyncException.class)
        .hasMessage("The Jobs API of workspace west refused to pause job 'sample_workflow_1'"
            + " (HTTP 403: PERMISSION_DENIED User sender-sp does not have Admin or Manage or Owner"
            + " permissions on job " + job + ".). Give the service principal CAN_MANAGE on the job,"
            + " or check its token.");
    assertThat(west.settings(job).path("schedule").path("pause_status").asText()).isEqualTo("UNPAUSED");
  }

  @Test
  void aTokenOfTheOtherWorkspaceIsRefusedWith401() {
    west.createScheduledJob("sample_workflow_1", "UNPAUSED", (run, params) -> { });
    String eastToken = east.addPrincipal("failover-sp", true);
    secretValues.put(TOKEN, eastToken);

    JobsApiRunSource runs = JobsApiRunSource.connect(west.host(), new Credentials.Pat(TOKEN), secrets);

    assertThatThrownBy(() -> runs.runs("sample_workflow_1", OptionalLong.empty()))
        .isInstanceOf(SyncException.class)
        .hasMessage("The Jobs API of " + west.host() + " refused the credentials (HTTP 401) while"
            + " trying to find the job: the token or service principal secret is wrong or expired;"
            + " check the secret scope dr, key token (scope and key) holds a valid token for this workspace")
        .satisfies(e -> assertThat(e.toString()).doesNotContain(eastToken));
  }

  @Test
  void runNowNeedsManageRunAndRunsTheJobInTheWorkspace() {
    List<Map<String, String>> ran = new CopyOnWriteArrayList<>();
    long job = east.createScheduledJob("deltasync_receiver", "PAUSED", (run, params) -> ran.add(params));
    east.grant(job, "viewer", Permission.CAN_VIEW);
    east.grant(job, "orchestrator", Permission.CAN_MANAGE_RUN);
    WorkspaceClient viewer = client(east, east.addPrincipal("viewer", false));
    WorkspaceClient orchestrator = client(east, east.addPrincipal("orchestrator", false));

    assertThatThrownBy(() -> viewer.jobs().runNow(new RunNow().setJobId(job)))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User viewer does not have Admin or Manage Run or Owner permissions on job "
            + job + ".");
    long runId = orchestrator.jobs().runNow(new RunNow().setJobId(job)
        .setJobParameters(Map.of("region", "secondary"))).getResponse().getRunId();

    LocalJobsServer.Run run = east.awaitRun(runId, WAIT);
    assertThat(run.result()).contains(Result.SUCCESS);
    assertThat(ran).containsExactly(Map.of("region", "secondary"));
    assertThat(east.runs(job)).hasSize(1);
  }

  @Test
  void theRunSourcePagesThroughEveryRunWithItsOutcome() {
    long job = west.createScheduledJob("sample_workflow_2", "UNPAUSED", (run, params) -> {
      if (run % 7 == 0) {
        throw new IllegalStateException("day " + run + " failed");
      }
    });
    west.grant(job, "sender-sp", Permission.CAN_VIEW);
    secretValues.put(TOKEN, west.addPrincipal("sender-sp", false));
    List<Long> started = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      started.add(west.startRun(job, Map.of()));
    }
    for (long runId : started) {
      west.awaitRun(runId, WAIT);
    }

    List<WorkflowRun> runs = JobsApiRunSource.connect(west.host(), new Credentials.Pat(TOKEN), secrets)
        .runs("sample_workflow_2", OptionalLong.empty());

    List<Long> newestFirst = new ArrayList<>(started);
    java.util.Collections.reverse(newestFirst);
    assertThat(runs).extracting(WorkflowRun::runId).containsExactlyElementsOf(newestFirst);
    assertThat(runs).allSatisfy(r -> assertThat(r.result()).isEqualTo(r.runId() % 7 == 0
        ? WorkflowRun.Result.FAILED : WorkflowRun.Result.SUCCESS));
  }

  @Test
  void aServicePrincipalSignsInWithOAuthMachineToMachine() {
    long job = west.createScheduledJob("sample_workflow_1", "UNPAUSED", (run, params) -> { });
    west.grant(job, "sender-sp", Permission.CAN_VIEW);
    west.addOAuthClient("sender-sp", false, "client-1", "s3cr3t");
    SecretRef id = new SecretRef("dr", "sp-id");
    SecretRef secret = new SecretRef("dr", "sp-secret");
    secretValues.put(id, "client-1");
    secretValues.put(secret, "s3cr3t");

    long runId = west.startRun(job, Map.of());
    west.awaitRun(runId, WAIT);
    List<WorkflowRun> runs = JobsApiRunSource.connect(west.host(),
        new Credentials.OAuthM2M(id, secret), secrets).runs("sample_workflow_1", OptionalLong.empty());

    assertThat(runs).extracting(WorkflowRun::runId).containsExactly(runId);
  }

  @Test
  void withoutViewPermissionTheWorkflowIsNotFound() {
    west.createScheduledJob("sample_workflow_1", "UNPAUSED", (run, params) -> { });
    secretValues.put(TOKEN, west.addPrincipal("stranger", false));

    assertThatThrownBy(() -> JobsApiRunSource.connect(west.host(), new Credentials.Pat(TOKEN), secrets)
        .runs("sample_workflow_1", OptionalLong.empty()))
        .isInstanceOf(SyncException.class)
        .hasMessageStartingWith("No job named 'sample_workflow_1' in workspace " + west.host() + ":");
  }

  @Test
  void aRunJobTaskStartsItsJobOnceTheBodySucceededAndTheRunWaitsForIt() {
    List<Map<String, String>> sent = new CopyOnWriteArrayList<>();
    List<Run> seenBySender = new CopyOnWriteArrayList<>();
    List<WorkflowRun> readBySender = new CopyOnWriteArrayList<>();
    String viewerToken = west.addPrincipal("viewer", false);
    secretValues.put(TOKEN, viewerToken);
    long[] workflow = new long[1];
    long sender = west.createScheduledJob("deltasync_sender", "UNPAUSED", (run, params) -> {
      sent.add(params);
      long parent = west.runs(workflow[0]).get(0).runId();
      seenBySender.add(client(west, viewerToken).jobs().getRun(parent));
      readBySender.addAll(JobsApiRunSource.connect(west.host(), new Credentials.Pat(TOKEN),
          secrets).runs("sample_workflow_2", OptionalLong.empty()));
    });
    workflow[0] = west.createJob(workflowWithSyncTask("sample_workflow_2", sender),
        (run, params) -> { });
    west.grant(workflow[0], "viewer", Permission.CAN_VIEW);

    long runId = west.startRun(workflow[0], Map.of());
    LocalJobsServer.Run run = west.awaitRun(runId, WAIT);

    assertThat(run.result()).contains(Result.SUCCESS);
    assertThat(sent).containsExactly(Map.of("groups", "sample_workflow_2"));
    Run whileSending = seenBySender.get(0);
    assertThat(whileSending.getState().getLifeCycleState()).isEqualTo(RunLifeCycleState.RUNNING);
    List<RunTask> sendingTasks = List.copyOf(whileSending.getTasks());
    assertThat(sendingTasks).extracting(RunTask::getTaskKey)
        .containsExactly("readings_daily", "sync");
    assertThat(sendingTasks.get(0).getState().getResultState()).isEqualTo(RunResultState.SUCCESS);
    assertThat(sendingTasks.get(1).getState().getLifeCycleState())
        .isEqualTo(RunLifeCycleState.RUNNING);
    assertThat(sendingTasks.get(1).getRunJobTask().getJobId()).isEqualTo(sender);
    List<LocalJobsServer.TaskRun> tasks = west.tasks(runId);
    assertThat(tasks).extracting(t -> t.result().orElseThrow())
        .containsExactly(Result.SUCCESS, Result.SUCCESS);
    long triggered = tasks.get(1).triggeredRunId().orElseThrow();
    assertThat(west.runs(sender)).extracting(LocalJobsServer.Run::runId).containsExactly(triggered);
    assertThat(tasks.get(0).end().orElseThrow()).isBeforeOrEqualTo(tasks.get(1).start().orElseThrow());
    assertThat(readBySender).as("the sender reads the run that started it as complete")
        .singleElement().satisfies(r -> {
          assertThat(r.runId()).isEqualTo(runId);
          assertThat(r.result()).isEqualTo(WorkflowRun.Result.SUCCESS);
          assertThat(r.end()).contains(
              tasks.get(0).end().orElseThrow().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        });
    assertThat(west.run(triggered).orElseThrow().end().orElseThrow())
        .isBeforeOrEqualTo(run.end().orElseThrow());
  }

  @Test
  void aFailedTriggeredRunFailsTheRunAndAFailedBodyTriggersNothing() {
    long sender = west.createScheduledJob("deltasync_sender", "UNPAUSED", (run, params) -> {
      throw new IllegalStateException("the ledger is unreachable");
    });
    long workflow = west.createJob(workflowWithSyncTask("sample_workflow_2", sender),
        (run, params) -> {
          if (!params.isEmpty()) {
            throw new IllegalStateException("day 3 failed");
          }
        });

    LocalJobsServer.Run senderFailed = west.awaitRun(west.startRun(workflow, Map.of()), WAIT);
    LocalJobsServer.Run bodyFailed = west.awaitRun(west.startRun(workflow, Map.of("day", "3")),
        WAIT);

    long triggered = west.runs(sender).get(0).runId();
    assertThat(senderFailed.result()).contains(Result.FAILED);
    assertThat(senderFailed.message()).contains("task sync: run " + triggered + " of job " + sender
        + " ended FAILED: the ledger is unreachable");
    assertThat(west.tasks(senderFailed.runId())).extracting(t -> t.result().orElseThrow())
        .containsExactly(Result.SUCCESS, Result.FAILED);
    assertThat(bodyFailed.result()).contains(Result.FAILED);
    assertThat(bodyFailed.message()).contains("day 3 failed");
    assertThat(west.tasks(bodyFailed.runId())).extracting(t -> t.result().orElseThrow())
        .containsExactly(Result.FAILED, Result.UPSTREAM_FAILED);
    assertThat(west.runs(sender)).as("the failed body started no sender").hasSize(1);
  }

  @Test
  void aFileArrivalTriggerRunsItsJobOnceForNewFilesNotWhilePausedAndNotBeforeItsMinimumGap(
      @TempDir Path folder) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-03T06:00:00Z"));
    try (LocalJobsServer north = LocalJobsServer.start("north", clock)) {
      Files.writeString(folder.resolve("00000000000000000000.json"), "{}");
      ObjectNode settings = new ObjectMapper().createObjectNode().put("name", "deltasync_receiver");
      settings.putObject("trigger").put("pause_status", "UNPAUSED").putObject("file_arrival")
          .put("url", folder.toUri().toString()).put("min_time_between_triggers_seconds", 60);
      List<Long> ran = new CopyOnWriteArrayList<>();
      long job = north.createJob(settings, (run, params) -> ran.add(run));

      assertThat(north.checkFileArrivals()).as("files there when the trigger is set").isEmpty();
      assertThat(north.checkFileArrivals()).isEmpty();
      Files.createDirectories(folder.resolve("_delta_log"));
      Files.writeString(folder.resolve("_delta_log/00000000000000000001.json"), "{}");
      List<Long> first = north.checkFileArrivals();
      assertThat(first).hasSize(1);
      assertThat(north.checkFileArrivals()).as("nothing new").isEmpty();

      Files.writeString(folder.resolve("_delta_log/00000000000000000002.json"), "{}");
      clock.advance(Duration.ofSeconds(59));
      assertThat(north.checkFileArrivals()).as("59 s after the last triggered run").isEmpty();
      clock.advance(Duration.ofSeconds(1));
      List<Long> second = north.checkFileArrivals();
      assertThat(second).as("held back, then triggered").hasSize(1);

      ObjectNode paused = north.settings(job);
      paused.with("trigger").put("pause_status", "PAUSED");
      north.replaceSettings(job, paused);
      clock.advance(Duration.ofMinutes(5));
      Files.writeString(folder.resolve("_delta_log/00000000000000000003.json"), "{}");
      assertThat(north.checkFileArrivals()).as("paused").isEmpty();
      paused.with("trigger").put("pause_status", "UNPAUSED");
      north.replaceSettings(job, paused);
      assertThat(north.checkFileArrivals()).as("files that arrived while paused").isEmpty();

      ObjectNode tooEager = north.settings(job);
      tooEager.with("trigger").with("file_arrival").put("min_time_between_triggers_seconds", 30);
      assertThatThrownBy(() -> north.replaceSettings(job, tooEager))
          .hasMessage("trigger.file_arrival.min_time_between_triggers_seconds must be at least 60"
              + " seconds, got 30");
      for (long runId : List.of(first.get(0), second.get(0))) {
        north.awaitRun(runId, WAIT);
      }
      assertThat(ran).containsExactly(first.get(0), second.get(0));
    }
  }

  /** A workflow whose body task is followed by a run_job_task starting the sender for its group. */
  private static ObjectNode workflowWithSyncTask(String name, long senderJob) {
    ObjectNode settings = new ObjectMapper().createObjectNode().put("name", name);
    ArrayNode tasks = settings.putArray("tasks");
    tasks.addObject().put("task_key", "readings_daily").putObject("spark_jar_task")
        .put("main_class_name", "io.deltasync.samples.SampleWorkflow2Job");
    ObjectNode sync = tasks.addObject().put("task_key", "sync");
    sync.putArray("depends_on").addObject().put("task_key", "readings_daily");
    sync.putObject("run_job_task").put("job_id", senderJob).putObject("job_parameters")
        .put("groups", name);
    return settings;
  }

  private SdkJobsControl control(LocalJobsServer workspace, String token) {
    WorkspaceClient client = client(workspace, token);
    return new SdkJobsControl(workspace.workspace(), client::jobs);
  }

  private WorkspaceClient client(LocalJobsServer workspace, String token) {
    SecretRef ref = new SecretRef("dr", "token-" + token.hashCode());
    secretValues.put(ref, token);
    return WorkspaceClients.connect(workspace.host(), new Credentials.Pat(ref), secrets);
  }
}
