package io.deltasync.databricks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.databricks.sdk.WorkspaceClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.deltasync.config.Credentials;
import io.deltasync.config.SecretRef;
import io.deltasync.errors.SyncException;
import io.deltasync.runs.RunChoice;
import io.deltasync.runs.RunSelector;
import io.deltasync.runs.WorkflowRun.Result;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.secrets.EnvSecretProvider;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Databricks SDK against WireMock serving Jobs API JSON. */
class JobsApiRunSourceTest {

  static final String TOKEN = "dapi0123456789abcdef-SECRET-TOKEN";
  static final SecretRef PAT = new SecretRef("dr-test-scope", "dr-pat-key");
  static final String JOBS = "/api/2.2/jobs/list";
  static final String RUNS = "/api/2.2/jobs/runs/list";
  static final long T0 = 1_700_000_000_000L;

  WireMockServer server;
  URI host;
  JobsApiRunSource source;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    host = URI.create("http://127.0.0.1:" + server.port());
    server.stubFor(get(urlPathEqualTo("/.well-known/databricks-config"))
        .willReturn(okJson("{}")));
    Credentials credentials = new Credentials.Pat(PAT);
    WorkspaceClient client = WorkspaceClients.connect(host, credentials,
        new EnvSecretProvider(Map.of(EnvSecretProvider.variableName(PAT), TOKEN)));
    source = new JobsApiRunSource(client, host, credentials);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  // ---------------------------------------------------------------------------------------------
  // Stubs

  static String job(long id, String name) {
    return "{\"job_id\":" + id + ",\"settings\":{\"name\":\"" + name + "\"},\"created_time\":" + T0 + "}";
  }

  static String jobsPage(String... jobs) {
    return "{\"jobs\":[" + String.join(",", jobs) + "],\"has_more\":false}";
  }

  /** A run; end 0 means not ended; result null means no result_state yet. */
  static String run(long id, long startMinute, long endMinute, String lifeCycle, String result) {
    return "{\"job_id\":42,\"run_id\":" + id + ",\"start_time\":" + (T0 + startMinute * 60_000)
        + ",\"end_time\":" + (endMinute == 0 ? 0 : T0 + endMinute * 60_000)
        + ",\"state\":{\"life_cycle_state\":\"" + lifeCycle + "\""
        + (result == null ? "" : ",\"result_state\":\"" + result + "\"") + "}}";
  }

  /** A run with its tasks (each from {@link #task} or {@link #triggerTask}). */
  static String run(long id, long startMinute, long endMinute, String lifeCycle, String result,
      String... tasks) {
    String run = run(id, startMinute, endMinute, lifeCycle, result);
    return run.substring(0, run.length() - 1) + ",\"tasks\":[" + String.join(",", tasks) + "]}";
  }

  /** A data task (a notebook task); end 0 means not ended; result null means no result_state yet. */
  static String task(String key, long endMinute, String lifeCycle, String result) {
    return "{\"task_key\":\"" + key + "\",\"notebook_task\":{\"notebook_path\":\"/" + key + "\"}"
        + taskTimes(endMinute, lifeCycle, result) + "}";
  }

  /** A {@code run_job_task} starting the sender job (id 7). */
  static String triggerTask(long endMinute, String lifeCycle, String result) {
    return "{\"task_key\":\"sync\",\"depends_on\":[{\"task_key\":\"load\"}],"
        + "\"run_job_task\":{\"job_id\":7,\"job_parameters\":{\"groups\":\"wf\"}}"
        + taskTimes(endMinute, lifeCycle, result) + "}";
  }

  static String taskTimes(long endMinute, String lifeCycle, String result) {
    return ",\"start_time\":" + T0 + ",\"end_time\":" + (endMinute == 0 ? 0 : T0 + endMinute * 60_000)
        + ",\"state\":{\"life_cycle_state\":\"" + lifeCycle + "\""
        + (result == null ? "" : ",\"result_state\":\"" + result + "\"") + "}";
  }

  static String runsPage(String nextToken, String... runs) {
    return "{\"runs\":[" + String.join(",", runs) + "],\"has_more\":" + (nextToken != null)
        + (nextToken == null ? "" : ",\"next_page_token\":\"" + nextToken + "\"") + "}";
  }

  void stubJob(String name, long id) {
    server.stubFor(get(urlPathEqualTo(JOBS)).withQueryParam("name", equalTo(name))
        .willReturn(okJson(jobsPage(job(id, name)))));
  }

  MappingBuilder runsPageRequest(String pageToken) {
    MappingBuilder request = get(urlPathEqualTo(RUNS)).withQueryParam("job_id", equalTo("42"));
    return pageToken == null
        ? request.withQueryParam("page_token", com.github.tomakehurst.wiremock.client.WireMock.absent())
        : request.withQueryParam("page_token", equalTo(pageToken));
  }

  static WorkflowRun expected(long id, long startMinute, long endMinute, Result result) {
    return new WorkflowRun(id, "wf", 42, Instant.ofEpochMilli(T0 + startMinute * 60_000),
        endMinute == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(T0 + endMinute * 60_000)),
        result);
  }

  static void assertNoToken(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(TOKEN);
      assertThat(t.toString()).doesNotContain(TOKEN);
    }
  }

  void assertAuthenticated(List<LoggedRequest> requests) {
    assertThat(requests).isNotEmpty().allSatisfy(r ->
        assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN));
  }

  // ---------------------------------------------------------------------------------------------
  // Paging and states

  @Test
  void followsPagesNewestFirstAndMapsStates() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage("p2",
        run(109, 90, 0, "RUNNING", null),
        run(108, 80, 85, "TERMINATED", "FAILED")))));
    server.stubFor(runsPageRequest("p2").willReturn(okJson(runsPage("p3",
        run(107, 70, 75, "TERMINATED", "SUCCESS"),
        run(106, 60, 65, "TERMINATED", "CANCELED")))));
    server.stubFor(runsPageRequest("p3").willReturn(okJson(runsPage(null,
        run(105, 50, 55, "INTERNAL_ERROR", null),
        run(104, 40, 0, "QUEUED", null),
        run(103, 30, 35, "TERMINATED", "TIMEDOUT"),
        run(102, 20, 0, "TERMINATING", "SUCCESS"),
        run(101, 10, 12, "TERMINATED", "SUCCESS_WITH_FAILURES")))));

    List<WorkflowRun> runs = source.runs("wf", OptionalLong.empty());

    assertThat(runs).containsExactly(
        expected(109, 90, 0, Result.RUNNING),
        expected(108, 80, 85, Result.FAILED),
        expected(107, 70, 75, Result.SUCCESS),
        expected(106, 60, 65, Result.CANCELED),
        expected(105, 50, 55, Result.FAILED),
        expected(104, 40, 0, Result.RUNNING),
        expected(103, 30, 35, Result.FAILED),
        expected(102, 20, 0, Result.RUNNING),
        expected(101, 10, 12, Result.FAILED));
    assertThat(source.apiCalls()).isEqualTo(4);

    List<LoggedRequest> jobRequests = server.findAll(getRequestedFor(urlPathEqualTo(JOBS)));
    assertThat(jobRequests).singleElement().satisfies(r -> {
      assertThat(r.queryParameter("name").values()).containsExactly("wf");
      assertThat(r.queryParameter("expand_tasks").values()).containsExactly("false");
    });
    List<LoggedRequest> runRequests = server.findAll(getRequestedFor(urlPathEqualTo(RUNS)));
    assertThat(runRequests).hasSize(3);
    assertThat(runRequests).allSatisfy(r -> {
      assertThat(r.queryParameter("job_id").values()).containsExactly("42");
      assertThat(r.queryParameter("limit").values()).containsExactly("25");
      // each run's tasks come with it: a run's data may be complete before the run is
      assertThat(r.queryParameter("expand_tasks").values()).containsExactly("true");
      // completed and active runs both: neither filter is sent
      assertThat(r.queryParameter("active_only").isPresent()).isFalse();
      assertThat(r.queryParameter("completed_only").isPresent()).isFalse();
    });
    assertThat(runRequests).extracting(r -> r.queryParameter("page_token").isPresent()
        ? r.queryParameter("page_token").firstValue() : "<none>")
        .containsExactly("<none>", "p2", "p3");
    assertAuthenticated(server.findAll(getRequestedFor(urlPathEqualTo(RUNS))));
    assertAuthenticated(jobRequests);
  }

  @Test
  void stopsPagingAtTheRunAlreadySynced() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage("p2",
        run(109, 90, 95, "TERMINATED", "SUCCESS"),
        run(108, 80, 85, "TERMINATED", "FAILED")))));
    server.stubFor(runsPageRequest("p2").willReturn(okJson(runsPage("p3",
        run(107, 70, 75, "TERMINATED", "SUCCESS"),
        run(106, 60, 65, "TERMINATED", "SUCCESS")))));
    server.stubFor(runsPageRequest("p3").willReturn(okJson(runsPage(null,
        run(105, 50, 55, "TERMINATED", "SUCCESS")))));

    List<WorkflowRun> runs = source.runs("wf", OptionalLong.of(107));

    assertThat(runs).extracting(WorkflowRun::runId).containsExactly(109L, 108L, 107L);
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo(RUNS)))).hasSize(2);
    // The job id is looked up once per source.
    source.runs("wf", OptionalLong.of(109));
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo(JOBS)))).hasSize(1);
    assertThat(source.apiCalls()).isEqualTo(4);
  }

  @Test
  void failedLatestRunAfterSuccessfulOneLeavesTheSuccessChosen() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage(null,
        run(12, 30, 0, "RUNNING", null),
        run(11, 20, 25, "TERMINATED", "FAILED"),
        run(10, 10, 15, "TERMINATED", "SUCCESS")))));

    RunChoice choice = RunSelector.choose(source.runs("wf", OptionalLong.empty()));

    assertThat(choice.chosen()).contains(expected(10, 10, 15, Result.SUCCESS));
    assertThat(choice.skippedFailedRuns()).isEqualTo(1);
    assertThat(choice.overlapping()).isEmpty();
  }

  @Test
  void runInProgressIsNeverChosen() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage(null,
        run(12, 30, 0, "RUNNING", null),
        run(11, 20, 0, "PENDING", null)))));

    List<WorkflowRun> runs = source.runs("wf", OptionalLong.empty());

    assertThat(runs).containsExactly(
        expected(12, 30, 0, Result.RUNNING), expected(11, 20, 0, Result.RUNNING));
    assertThat(RunSelector.choose(runs).chosen()).isEmpty();
  }

  @Test
  void newerStatusFieldIsReadWhenStateIsAbsent() {
    stubJob("wf", 42);
    String succeeded = "{\"run_id\":3,\"start_time\":" + T0 + ",\"end_time\":" + (T0 + 60_000)
        + ",\"status\":{\"state\":\"TERMINATED\",\"termination_details\":{\"code\":\"SUCCESS\"}}}";
    String canceled = "{\"run_id\":2,\"start_time\":" + (T0 - 120_000) + ",\"end_time\":" + (T0 - 60_000)
        + ",\"status\":{\"state\":\"TERMINATED\",\"termination_details\":{\"code\":\"USER_CANCELED\"}}}";
    String blocked = "{\"run_id\":4,\"start_time\":" + (T0 + 120_000)
        + ",\"status\":{\"state\":\"BLOCKED\"}}";
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage(null, blocked, succeeded, canceled))));

    assertThat(source.runs("wf", OptionalLong.empty()))
        .extracting(WorkflowRun::runId, WorkflowRun::result)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(4L, Result.RUNNING),
            org.assertj.core.groups.Tuple.tuple(3L, Result.SUCCESS),
            org.assertj.core.groups.Tuple.tuple(2L, Result.CANCELED));
  }

  // ---------------------------------------------------------------------------------------------
  // A run whose data is complete while it triggers the sender (run_job_task)

  @Test
  void runningRunWhoseDataTaskSucceededWhileItsTriggerRunsIsASuccessEndingWithTheData() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage(null,
        run(10, 10, 0, "RUNNING", null,
            task("load", 14, "TERMINATED", "SUCCESS"),
            triggerTask(0, "RUNNING", null))))));

    List<WorkflowRun> runs = source.runs("wf", OptionalLong.empty());

    assertThat(runs).containsExactly(expected(10, 10, 14, Result.SUCCESS));
    assertThat(RunSelector.choose(runs).chosen()).contains(expected(10, 10, 14, Result.SUCCESS));
    assertThat(source.apiCalls()).isEqualTo(2); // the job, then one page with the tasks
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo(RUNS)))).singleElement().satisfies(r ->
        assertThat(r.queryParameter("expand_tasks").values()).containsExactly("true"));
  }

  @Test
  void failedRunWhereOnlyTheTriggerFailedIsASuccess() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage(null,
        run(10, 10, 20, "TERMINATED", "FAILED",
            task("load", 14, "TERMINATED", "SUCCESS"),
            triggerTask(20, "TERMINATED", "FAILED"))))));

    assertThat(source.runs("wf", OptionalLong.empty()))
        .containsExactly(expected(10, 10, 14, Result.SUCCESS));
  }

  @Test
  void failedDataTaskLeavesTheRunFailed() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage(null,
        run(11, 20, 26, "TERMINATED", "FAILED",
            task("load", 25, "TERMINATED", "FAILED"),
            triggerTask(26, "TERMINATED", "UPSTREAM_FAILED")),
        run(10, 10, 15, "TERMINATED", "SUCCESS",
            task("load", 14, "TERMINATED", "SUCCESS"),
            triggerTask(15, "TERMINATED", "SUCCESS"))))));

    List<WorkflowRun> runs = source.runs("wf", OptionalLong.empty());

    assertThat(runs).containsExactly(
        expected(11, 20, 26, Result.FAILED), expected(10, 10, 14, Result.SUCCESS));
    RunChoice choice = RunSelector.choose(runs);
    assertThat(choice.chosen()).contains(expected(10, 10, 14, Result.SUCCESS));
    assertThat(choice.skippedFailedRuns()).isEqualTo(1);
  }

  @Test
  void dataTaskStillRunningLeavesTheRunRunning() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage(null,
        run(10, 10, 0, "RUNNING", null,
            task("load", 14, "TERMINATED", "SUCCESS"),
            task("aggregate", 0, "RUNNING", null),
            triggerTask(0, "BLOCKED", null))))));

    List<WorkflowRun> runs = source.runs("wf", OptionalLong.empty());

    assertThat(runs).containsExactly(expected(10, 10, 0, Result.RUNNING));
    assertThat(RunSelector.choose(runs).chosen()).isEmpty();
  }

  @Test
  void runEndsWithTheLatestOfItsDataTasks() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage(null,
        run(10, 10, 0, "RUNNING", null,
            task("load", 17, "TERMINATED", "SUCCESS"),
            task("aggregate", 13, "TERMINATED", "SUCCESS"),
            triggerTask(0, "RUNNING", null))))));

    assertThat(source.runs("wf", OptionalLong.empty()))
        .containsExactly(expected(10, 10, 17, Result.SUCCESS));
  }

  @Test
  void retriedDataTaskCountsByItsLastAttempt() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage(null,
        run(11, 20, 0, "RUNNING", null,
            task("load", 22, "TERMINATED", "FAILED"),
            retry(task("load", 0, "RUNNING", null), 1)),
        run(10, 10, 0, "RUNNING", null,
            task("load", 12, "TERMINATED", "FAILED"),
            retry(task("load", 16, "TERMINATED", "SUCCESS"), 1),
            triggerTask(0, "RUNNING", null))))));

    assertThat(source.runs("wf", OptionalLong.empty())).containsExactly(
        expected(11, 20, 0, Result.RUNNING), expected(10, 10, 16, Result.SUCCESS));
  }

  /** {@code task} as its attempt {@code attempt} (a retry under max_retries). */
  static String retry(String task, int attempt) {
    return task.substring(0, task.length() - 1) + ",\"attempt_number\":" + attempt + "}";
  }

  @Test
  void dataTaskReportedThroughTheNewerStatusField() {
    stubJob("wf", 42);
    String load = "{\"task_key\":\"load\",\"notebook_task\":{\"notebook_path\":\"/load\"},"
        + "\"start_time\":" + T0 + ",\"end_time\":" + (T0 + 14 * 60_000)
        + ",\"status\":{\"state\":\"TERMINATED\",\"termination_details\":{\"code\":\"SUCCESS\"}}}";
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage(null,
        run(10, 10, 0, "RUNNING", null, load, triggerTask(0, "RUNNING", null))))));

    assertThat(source.runs("wf", OptionalLong.empty()))
        .containsExactly(expected(10, 10, 14, Result.SUCCESS));
  }

  @Test
  void runOfTriggerTasksOnlyIsReadFromItsOwnState() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(okJson(runsPage(null,
        run(11, 20, 0, "RUNNING", null, triggerTask(0, "RUNNING", null)),
        run(10, 10, 15, "TERMINATED", "FAILED", triggerTask(15, "TERMINATED", "FAILED"))))));

    assertThat(source.runs("wf", OptionalLong.empty())).containsExactly(
        expected(11, 20, 0, Result.RUNNING), expected(10, 10, 15, Result.FAILED));
  }

  // ---------------------------------------------------------------------------------------------
  // Finding the job

  @Test
  void twoJobsWithTheSameNameAreAnError() {
    server.stubFor(get(urlPathEqualTo(JOBS)).withQueryParam("name", equalTo("wf"))
        .willReturn(okJson(jobsPage(job(9, "wf"), job(7, "wf"), job(8, "WF")))));

    SyncException e = catchThrowableOfType(SyncException.class,
        () -> source.runs("wf", OptionalLong.empty()));

    assertThat(e.kind()).isEqualTo(SyncException.Kind.FATAL);
    assertThat(e).hasMessage("Several jobs are named 'wf' in workspace " + host
        + " (job ids [7, 9]): deltasync cannot tell which one writes the group's tables; rename"
        + " or delete all but one of them");
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo(RUNS)))).isEmpty();
  }

  @Test
  void jobsOnSeveralPagesAreAllConsidered() {
    server.stubFor(get(urlPathEqualTo(JOBS)).withQueryParam("page_token",
            com.github.tomakehurst.wiremock.client.WireMock.absent())
        .willReturn(okJson("{\"jobs\":[" + job(5, "wf") + "],\"has_more\":true,\"next_page_token\":\"j2\"}")));
    server.stubFor(get(urlPathEqualTo(JOBS)).withQueryParam("page_token", equalTo("j2"))
        .willReturn(okJson(jobsPage(job(6, "wf")))));

    SyncException e = catchThrowableOfType(SyncException.class,
        () -> source.runs("wf", OptionalLong.empty()));

    assertThat(e).hasMessageContaining("(job ids [5, 6])");
  }

  @Test
  void jobNotFound() {
    server.stubFor(get(urlPathEqualTo(JOBS)).willReturn(okJson("{\"has_more\":false}")));

    SyncException e = catchThrowableOfType(SyncException.class,
        () -> source.runs("nightly_load", OptionalLong.empty()));

    assertThat(e.kind()).isEqualTo(SyncException.Kind.FATAL);
    assertThat(e).hasMessage("No job named 'nightly_load' in workspace " + host + ": check the"
        + " sync group's workflow name (it must equal the job's name exactly) and that the"
        + " principal has CAN_VIEW on the job (jobs it cannot see are not listed)");
  }

  // ---------------------------------------------------------------------------------------------
  // Failures

  @Test
  void throttledOnceThenServed() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")
            .withHeader("Content-Type", "application/json")
            .withBody("{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}"))
        .willSetStateTo("served"));
    server.stubFor(runsPageRequest(null).inScenario("throttle").whenScenarioStateIs("served")
        .willReturn(okJson(runsPage(null, run(10, 10, 15, "TERMINATED", "SUCCESS")))));

    assertThat(source.runs("wf", OptionalLong.empty()))
        .containsExactly(expected(10, 10, 15, Result.SUCCESS));
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo(RUNS)))).hasSize(2);
    assertThat(source.apiCalls()).isEqualTo(2); // the SDK's retry is not a new call
  }

  @Test
  void throttledForeverIsRetryable() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(aResponse().withStatus(429)
        .withHeader("Retry-After", "0").withHeader("Content-Type", "application/json")
        .withBody("{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}")));

    SyncException e = catchThrowableOfType(SyncException.class,
        () -> source.runs("wf", OptionalLong.empty()));

    assertThat(e.kind()).isEqualTo(SyncException.Kind.RETRYABLE);
    assertThat(e).hasMessageContaining("The Jobs API of " + host + " did not answer while trying"
        + " to list the runs of job 42 (HTTP 429");
    assertNoToken(e);
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo(RUNS)))).hasSizeGreaterThan(1);
  }

  @Test
  void serverErrorIsRetryable() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(aResponse().withStatus(503)
        .withHeader("Retry-After", "0").withHeader("Content-Type", "application/json")
        .withBody("{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"try later\"}")));

    SyncException e = catchThrowableOfType(SyncException.class,
        () -> source.runs("wf", OptionalLong.empty()));

    assertThat(e.kind()).isEqualTo(SyncException.Kind.RETRYABLE);
    assertThat(e).hasMessageContaining("(HTTP 503");
    assertNoToken(e);
  }

  @Test
  void forbiddenNamesThePermission() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(aResponse().withStatus(403)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"User has no access\"}")));

    SyncException e = catchThrowableOfType(SyncException.class,
        () -> source.runs("wf", OptionalLong.empty()));

    assertThat(e.kind()).isEqualTo(SyncException.Kind.FATAL);
    assertThat(e).hasMessage("The Jobs API of " + host + " denied access (HTTP 403) while trying"
        + " to list the runs of job 42: grant the principal of the configured token CAN_VIEW"
        + " permission on job 'wf' (Job > Permissions)");
    assertNoToken(e);
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo(RUNS)))).hasSize(1);
  }

  @Test
  void wrongTokenNamesTheSecret() {
    server.stubFor(get(urlPathEqualTo(JOBS)).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"Invalid access token.\"}")));

    SyncException e = catchThrowableOfType(SyncException.class,
        () -> source.runs("wf", OptionalLong.empty()));

    assertThat(e.kind()).isEqualTo(SyncException.Kind.FATAL);
    assertThat(e).hasMessage("The Jobs API of " + host + " refused the credentials (HTTP 401)"
        + " while trying to find the job: the token or service principal secret is wrong or"
        + " expired; check the secret scope dr-test-scope, key dr-pat-key (scope and key) holds"
        + " a valid token for this workspace");
    assertNoToken(e);
    assertAuthenticated(server.findAll(getRequestedFor(urlPathEqualTo(JOBS))));
  }

  @Test
  void notFoundSaysWhatToCheck() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(aResponse().withStatus(404)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Job 42 does not exist.\"}")));

    SyncException e = catchThrowableOfType(SyncException.class,
        () -> source.runs("wf", OptionalLong.empty()));

    assertThat(e.kind()).isEqualTo(SyncException.Kind.FATAL);
    assertThat(e).hasMessageContaining("answered HTTP 404 while trying to list the runs of job 42"
        + " of workflow 'wf': the job was deleted, or the workspace URL is wrong");
  }

  @Test
  void connectionResetIsRetryable() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    SyncException e = catchThrowableOfType(SyncException.class,
        () -> source.runs("wf", OptionalLong.empty()));

    assertThat(e.kind()).isEqualTo(SyncException.Kind.RETRYABLE);
    assertThat(e).hasMessageContaining("did not answer while trying to list the runs of job 42"
        + " (I/O error: ");
    assertNoToken(e);
  }

  @Test
  void badRequestIsFatal() {
    stubJob("wf", 42);
    server.stubFor(runsPageRequest(null).willReturn(aResponse().withStatus(400)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"bad limit\"}")));

    SyncException e = catchThrowableOfType(SyncException.class,
        () -> source.runs("wf", OptionalLong.empty()));

    assertThat(e.kind()).isEqualTo(SyncException.Kind.FATAL);
    assertThat(e).hasMessageContaining("refused to list the runs of job 42 (HTTP 400"
        + " INVALID_PARAMETER_VALUE: bad limit)");
  }
}
