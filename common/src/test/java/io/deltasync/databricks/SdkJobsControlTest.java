package io.deltasync.databricks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.core.ApiClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.PatCredentialsProvider;
import com.databricks.sdk.core.utils.Timer;
import com.databricks.sdk.service.jobs.JobsAPI;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.deltasync.errors.SyncException;
import io.deltasync.failover.FakeClock;
import io.deltasync.jobs.ActiveRuns;
import io.deltasync.jobs.JobOutcome.Status;
import io.deltasync.jobs.JobOutcome;
import io.deltasync.jobs.JobRef;
import io.deltasync.jobs.JobState.Trigger;
import io.deltasync.jobs.PauseChange;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.jobs.RetryPolicy;
import io.deltasync.jobs.ScheduleReport;
import io.deltasync.jobs.ScheduleSwitch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real databricks-sdk-java against WireMock serving Jobs API JSON: the pause and unpause
 * requests and their bodies, and the behaviour of {@link ScheduleSwitch} while the primary does not
 * answer, answers 503, or refuses.
 */
class SdkJobsControlTest {

  private static final String TOKEN = "dapi-secret-token-never-printed";
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private WireMockServer server;
  private int port;
  /** The SDK's own retry backoff goes through this timer: counted, never slept. */
  private int sdkSleeps;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().dynamicPort());
    server.start();
    port = server.port();
    stubHostMetadata(server);
  }

  @AfterEach
  void stop() {
    if (server != null && server.isRunning()) {
      server.stop();
    }
  }

  private static void stubHostMetadata(WireMockServer server) {
    server.stubFor(get(urlPathEqualTo("/.well-known/databricks-config"))
        .willReturn(okJson("{\"workspace_id\":\"1234\",\"cloud\":\"aws\"}")));
  }

  private SdkJobsControl control() {
    return new SdkJobsControl("primary", () -> {
      DatabricksConfig config = new DatabricksConfig()
          .setHost("http://127.0.0.1:" + port)
          .setToken(TOKEN)
          .setCredentialsProvider(new PatCredentialsProvider());
      Timer timer = new Timer() {
        @Override
        public void sleep(long millis) {
          sdkSleeps++;
        }

        @Override
        public long getCurrentTime() {
          return System.currentTimeMillis();
        }
      };
      ApiClient client = new ApiClient(config, timer);
      return new JobsAPI(client);
    });
  }

  private void stubJob(String name, long id, String settingsJson) {
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/list")).withQueryParam("name", equalTo(name))
        .willReturn(okJson("{\"jobs\":[{\"job_id\":" + id + ",\"settings\":{\"name\":\"" + name
            + "\"}}],\"has_more\":false}")));
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/get")).withQueryParam("job_id", equalTo("" + id))
        .willReturn(okJson("{\"job_id\":" + id + ",\"settings\":" + settingsJson + "}")));
    server.stubFor(post(urlPathEqualTo("/api/2.2/jobs/update")).willReturn(okJson("{}")));
    server.stubFor(post(urlPathEqualTo("/api/2.2/jobs/runs/cancel-all")).willReturn(okJson("{}")));
  }

  private static final String SCHEDULED_UNPAUSED = """
      {"name":"sample_workflow_1","max_concurrent_runs":1,
       "tasks":[{"task_key":"bronze","spark_jar_task":{"main_class_name":"io.x.Bronze"}}],
       "schedule":{"quartz_cron_expression":"0 0/15 * * * ?","timezone_id":"UTC","pause_status":"UNPAUSED"},
       "trigger":{"pause_status":"UNPAUSED","file_arrival":{"url":"s3://landing/in/"}}}
      """;

  @Test
  void pauseSendsOnlyTheTriggersWithPausedStatusAndKeepsTheirOtherFields() {
    stubJob("sample_workflow_1", 11, SCHEDULED_UNPAUSED);
    SdkJobsControl jobs = control();

    JobRef job = jobs.job("sample_workflow_1");
    PauseChange change = jobs.setPauseStatus(job, PauseStatus.PAUSED);

    assertThat(job).isEqualTo(new JobRef("11", "sample_workflow_1"));
    assertThat(change.changed()).isTrue();
    assertThat(change.before().triggers())
        .isEqualTo(Map.of(Trigger.SCHEDULE, PauseStatus.UNPAUSED, Trigger.TRIGGER, PauseStatus.UNPAUSED));
    assertThat(change.after().triggers())
        .isEqualTo(Map.of(Trigger.SCHEDULE, PauseStatus.PAUSED, Trigger.TRIGGER, PauseStatus.PAUSED));
    server.verify(1, postRequestedFor(urlPathEqualTo("/api/2.2/jobs/update"))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .withRequestBody(equalToJson("""
            {"job_id":11,"new_settings":{
              "schedule":{"quartz_cron_expression":"0 0/15 * * * ?","timezone_id":"UTC","pause_status":"PAUSED"},
              "trigger":{"pause_status":"PAUSED","file_arrival":{"url":"s3://landing/in/"}}}}
            """)));
    server.verify(getRequestedFor(urlPathEqualTo("/api/2.2/jobs/list"))
        .withQueryParam("name", equalTo("sample_workflow_1")));
  }

  @Test
  void unpauseOfAContinuousJobSendsUnpausedContinuousOnly() {
    stubJob("deltasync_receiver", 42, """
        {"name":"deltasync_receiver","continuous":{"pause_status":"PAUSED","task_retry_mode":"ON_FAILURE"}}
        """);
    SdkJobsControl jobs = control();

    PauseChange change = jobs.setPauseStatus(jobs.job("deltasync_receiver"), PauseStatus.UNPAUSED);

    assertThat(change.after().triggers()).isEqualTo(Map.of(Trigger.CONTINUOUS, PauseStatus.UNPAUSED));
    server.verify(1, postRequestedFor(urlPathEqualTo("/api/2.2/jobs/update"))
        .withRequestBody(equalToJson("""
            {"job_id":42,"new_settings":{"continuous":{"pause_status":"UNPAUSED","task_retry_mode":"ON_FAILURE"}}}
            """)));
  }

  @Test
  void aJobAlreadyPausedGetsNoUpdate() {
    stubJob("deltasync_sender", 7, """
        {"name":"deltasync_sender","schedule":{"quartz_cron_expression":"0 0/15 * * * ?","timezone_id":"UTC","pause_status":"PAUSED"}}
        """);
    SdkJobsControl jobs = control();

    PauseChange change = jobs.setPauseStatus(jobs.job("deltasync_sender"), PauseStatus.PAUSED);

    assertThat(change.changed()).isFalse();
    assertThat(change.after().paused()).isTrue();
    server.verify(0, postRequestedFor(urlPathEqualTo("/api/2.2/jobs/update")));
  }

  @Test
  void cancelActiveRunsPostsTheJobId() {
    stubJob("sample_workflow_1", 11, SCHEDULED_UNPAUSED);
    SdkJobsControl jobs = control();

    jobs.cancelActiveRuns(jobs.job("sample_workflow_1"));

    server.verify(1, postRequestedFor(urlPathEqualTo("/api/2.2/jobs/runs/cancel-all"))
        .withRequestBody(equalToJson("{\"job_id\":11}")));
  }

  @Test
  void aMissingJobAndTwoJobsWithOneNameAreClearErrors() {
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/list")).withQueryParam("name", equalTo("gone"))
        .willReturn(okJson("{\"jobs\":[],\"has_more\":false}")));
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/list")).withQueryParam("name", equalTo("twice"))
        .willReturn(okJson("{\"jobs\":[{\"job_id\":1,\"settings\":{\"name\":\"twice\"}},"
            + "{\"job_id\":2,\"settings\":{\"name\":\"twice\"}}],\"has_more\":false}")));
    SdkJobsControl jobs = control();

    assertThatThrownBy(() -> jobs.job("gone"))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("No job named 'gone' in workspace primary");
    assertThatThrownBy(() -> jobs.job("twice"))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("2 jobs are named 'twice' in workspace primary (job ids 1, 2)");
  }

  @Test
  void a403IsRefusedAndNotRetryable() {
    stubJob("sample_workflow_1", 11, SCHEDULED_UNPAUSED);
    server.stubFor(post(urlPathEqualTo("/api/2.2/jobs/update")).willReturn(aResponse().withStatus(403)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"User has no CAN_MANAGE on job 11\"}")));
    SdkJobsControl jobs = control();
    JobRef job = jobs.job("sample_workflow_1");

    assertThatThrownBy(() -> jobs.setPauseStatus(job, PauseStatus.PAUSED))
        .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining("refused to pause job 'sample_workflow_1' (HTTP 403: PERMISSION_DENIED")
        .hasMessageContaining("CAN_MANAGE")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void switchRetriesWhileThePrimaryAnswers503UntilConfirmed() {
    stubJob("sample_workflow_1", 11, SCHEDULED_UNPAUSED);
    // The primary is unavailable for the first two rounds (every SDK attempt inside them gets 503).
    server.stubFor(post(urlPathEqualTo("/api/2.2/jobs/update")).atPriority(1)
        .inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
            .withBody("{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"down\"}")));
    server.stubFor(post(urlPathEqualTo("/api/2.2/jobs/update")).atPriority(1)
        .inScenario("outage").whenScenarioStateIs("recovered").willReturn(okJson("{}")));
    FakeClock clock = new FakeClock(T0);
    clock.onSleep(() -> {
      if (clock.sleeps.size() == 2) {
        server.setScenarioState("outage", "recovered");
      }
    });

    ScheduleReport report = new ScheduleSwitch(control(), clock, clock).apply(
        List.of("sample_workflow_1"), PauseStatus.PAUSED, ActiveRuns.LEAVE,
        new RetryPolicy(Duration.ofMinutes(10), Duration.ofMinutes(60)));

    JobOutcome outcome = report.jobs().get(0);
    assertThat(outcome.status()).isEqualTo(Status.CONFIRMED);
    assertThat(outcome.attempts()).isEqualTo(3);
    assertThat(outcome.confirmedAt()).contains(T0.plus(Duration.ofMinutes(20)));
    assertThat(clock.sleeps).containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(10));
    assertThat(report.allConfirmed()).isTrue();
    assertThat(report.rounds()).isEqualTo(3);
    server.verify(postRequestedFor(urlPathEqualTo("/api/2.2/jobs/update"))
        .withRequestBody(equalToJson("{\"job_id\":11,\"new_settings\":{\"schedule\":"
            + "{\"pause_status\":\"PAUSED\"}}}", true, true)));
  }

  @Test
  void switchRetriesWhileTheConnectionIsRefusedAndThePrimaryComesBack() {
    stubJob("deltasync_sender", 7, """
        {"name":"deltasync_sender","schedule":{"quartz_cron_expression":"0 0/15 * * * ?","timezone_id":"UTC","pause_status":"UNPAUSED"}}
        """);
    server.stop();
    FakeClock clock = new FakeClock(T0);
    clock.onSleep(() -> {
      if (clock.sleeps.size() == 3) {
        server = new WireMockServer(options().port(port));
        server.start();
        stubHostMetadata(server);
        stubJob("deltasync_sender", 7, """
            {"name":"deltasync_sender","schedule":{"quartz_cron_expression":"0 0/15 * * * ?","timezone_id":"UTC","pause_status":"UNPAUSED"}}
            """);
      }
    });

    ScheduleReport report = new ScheduleSwitch(control(), clock, clock).apply(
        List.of("deltasync_sender"), PauseStatus.PAUSED, ActiveRuns.CANCEL,
        new RetryPolicy(Duration.ofMinutes(5), Duration.ofMinutes(30)));

    JobOutcome outcome = report.jobs().get(0);
    assertThat(outcome.status()).isEqualTo(Status.CONFIRMED);
    assertThat(outcome.attempts()).isEqualTo(4);
    assertThat(outcome.confirmedAt()).contains(T0.plus(Duration.ofMinutes(15)));
    assertThat(outcome.detail()).contains("active runs cancelled");
    server.verify(1, postRequestedFor(urlPathEqualTo("/api/2.2/jobs/update"))
        .withRequestBody(equalToJson("""
            {"job_id":7,"new_settings":{"schedule":{"quartz_cron_expression":"0 0/15 * * * ?","timezone_id":"UTC","pause_status":"PAUSED"}}}
            """)));
    server.verify(1, postRequestedFor(urlPathEqualTo("/api/2.2/jobs/runs/cancel-all"))
        .withRequestBody(equalToJson("{\"job_id\":7}")));
  }

  @Test
  void deadlineReachedIsReportedAsNotConfirmed() {
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/list")).willReturn(aResponse().withStatus(503)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"region outage\"}")));
    FakeClock clock = new FakeClock(T0);

    ScheduleReport report = new ScheduleSwitch(control(), clock, clock).apply(
        List.of("sample_workflow_1", "deltasync_sender"), PauseStatus.PAUSED, ActiveRuns.CANCEL,
        new RetryPolicy(Duration.ofMinutes(10), Duration.ofMinutes(30)));

    assertThat(report.allConfirmed()).isFalse();
    assertThat(report.rounds()).isEqualTo(4);
    assertThat(report.finished()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    assertThat(clock.sleeps).hasSize(3);
    assertThat(report.unconfirmed()).extracting(JobOutcome::job)
        .containsExactly("sample_workflow_1", "deltasync_sender");
    assertThat(report.jobs()).allSatisfy(job -> {
      assertThat(job.status()).isEqualTo(Status.NOT_CONFIRMED);
      assertThat(job.attempts()).isEqualTo(4);
      assertThat(job.confirmedAt()).isEmpty();
      assertThat(job.detail()).contains("did not answer").contains("failed after 4 retries")
          .contains("TemporarilyUnavailable: region outage");
    });
    assertThat(sdkSleeps).isGreaterThan(0);
    server.verify(0, postRequestedFor(urlPathEqualTo("/api/2.2/jobs/update")));
  }

  @Test
  void a403InTheSwitchIsReportedOnceAndTheOtherJobsGoOn() {
    stubJob("deltasync_sender", 7, """
        {"name":"deltasync_sender","schedule":{"quartz_cron_expression":"0 0/15 * * * ?","timezone_id":"UTC","pause_status":"UNPAUSED"}}
        """);
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/list")).withQueryParam("name", equalTo("sample_workflow_1"))
        .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
            .withBody("{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"no access\"}")));
    FakeClock clock = new FakeClock(T0);

    ScheduleReport report = new ScheduleSwitch(control(), clock, clock).apply(
        List.of("sample_workflow_1", "deltasync_sender"), PauseStatus.PAUSED, ActiveRuns.LEAVE,
        new RetryPolicy(Duration.ofMinutes(10), Duration.ofMinutes(30)));

    assertThat(report.rounds()).isEqualTo(1);
    assertThat(clock.sleeps).isEmpty();
    assertThat(report.jobs().get(0).status()).isEqualTo(Status.REFUSED);
    assertThat(report.jobs().get(0).attempts()).isEqualTo(1);
    assertThat(report.jobs().get(0).detail())
        .contains("refused to find job 'sample_workflow_1' (HTTP 403: PERMISSION_DENIED");
    assertThat(report.jobs().get(1).status()).isEqualTo(Status.CONFIRMED);
    assertThat(report.unconfirmed()).extracting(JobOutcome::job).containsExactly("sample_workflow_1");
  }
}
