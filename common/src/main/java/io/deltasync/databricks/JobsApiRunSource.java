package io.deltasync.databricks;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.BaseRun;
import com.databricks.sdk.service.jobs.JobsService;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.databricks.sdk.service.jobs.ListJobsResponse;
import com.databricks.sdk.service.jobs.ListRunsRequest;
import com.databricks.sdk.service.jobs.ListRunsResponse;
import com.databricks.sdk.service.jobs.RunLifeCycleState;
import com.databricks.sdk.service.jobs.RunLifecycleStateV2State;
import com.databricks.sdk.service.jobs.RunResultState;
import com.databricks.sdk.service.jobs.RunState;
import com.databricks.sdk.service.jobs.RunStatus;
import com.databricks.sdk.service.jobs.RunTask;
import com.databricks.sdk.service.jobs.TerminationCodeCode;
import io.deltasync.config.Credentials;
import io.deltasync.errors.SyncErrors;
import io.deltasync.errors.SyncException;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.secrets.SecretProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs of a Databricks workflow, through the Jobs API (databricks-sdk-java).
 *
 * <p>The job is found by its exact name ({@code jobs/list?name=}); no job, or several jobs, with
 * that name is an error listing what was found. Runs (completed and active) are read page by page,
 * newest first, and paging stops at the first run older than the run already synced, so a cycle
 * costs one or two requests however long the job's history. Every API failure becomes a
 * {@link SyncException}: 401, 403 and 404 fail at once with what to check; 429, 5xx (once the
 * SDK's own retries are spent) and I/O failures are RETRYABLE. Messages never carry the token.
 *
 * <p><b>A run whose data is complete.</b> Runs are listed with their tasks ({@code expand_tasks},
 * still one request per page). A workflow that triggers the sender from its last task (a
 * {@code run_job_task}) is still RUNNING while the sender runs, and ends FAILED if only the sender
 * failed; its tables were complete before. So a run that has at least one task other than a
 * {@code run_job_task}, every one of which terminated with SUCCESS (a retried task: its last
 * attempt), is read as a SUCCESS that ended at the latest end time of those data tasks, whatever
 * the run's own state. Any other run (a data task failed, canceled or still running, or no tasks
 * in the answer) is read from its run-level state.
 */
public final class JobsApiRunSource implements RunSource {

  private static final Logger LOG = LoggerFactory.getLogger(JobsApiRunSource.class);

  /** Runs per page: the API's maximum. */
  static final long PAGE_SIZE = 25;

  private final JobsService jobs;
  private final String host;
  private final Credentials credentials;
  private final AtomicLong apiCalls = new AtomicLong();
  private final Map<String, Long> jobIds = new ConcurrentHashMap<>();

  /**
   * @param jobs the Jobs API ({@code workspaceClient.jobs().impl()})
   * @param host the workspace URL, for messages
   * @param credentials the configured credentials, named (never their values) in a 401 message
   */
  public JobsApiRunSource(JobsService jobs, URI host, Credentials credentials) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.host = Objects.requireNonNull(host, "host").toString();
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  public JobsApiRunSource(WorkspaceClient client, URI host, Credentials credentials) {
    this(client.jobs().impl(), host, credentials);
  }

  /** Connects to the workspace with the credentials read through {@code secrets}. */
  public static JobsApiRunSource connect(URI host, Credentials credentials, SecretProvider secrets) {
    return new JobsApiRunSource(WorkspaceClients.connect(host, credentials, secrets), host, credentials);
  }

  /** Jobs API requests made so far (one per page; the SDK's retries of a request not counted). */
  public long apiCalls() {
    return apiCalls.get();
  }

  @Override
  public List<WorkflowRun> runs(String workflow, OptionalLong notBeforeRunId) {
    Objects.requireNonNull(workflow, "workflow");
    long jobId = jobId(workflow);
    List<WorkflowRun> runs = new ArrayList<>();
    String pageToken = null;
    int pages = 0;
    paging:
    do {
      ListRunsRequest request = new ListRunsRequest()
          .setJobId(jobId)
          .setExpandTasks(true) // each run's tasks: a run's data may be complete before the run
          .setLimit(PAGE_SIZE)
          .setPageToken(pageToken);
      ListRunsResponse page = call(
          () -> jobs.listRuns(request), "list the runs of job " + jobId, workflow);
      pages++;
      if (page.getRuns() != null) {
        for (BaseRun run : page.getRuns()) {
          if (run.getRunId() == null || run.getStartTime() == null) {
            continue; // not a run the API finished describing; nothing to sync from it
          }
          if (notBeforeRunId.isPresent() && run.getRunId() < notBeforeRunId.getAsLong()) {
            break paging; // older than the run already synced: nothing further back matters
          }
          runs.add(toWorkflowRun(workflow, jobId, run));
        }
      }
      pageToken = page.getNextPageToken();
    } while (pageToken != null && !pageToken.isEmpty());
    LOG.info("Workflow {} (job {}): {} runs read in {} pages{}", workflow, jobId, runs.size(), pages,
        notBeforeRunId.isPresent() ? " back to run " + notBeforeRunId.getAsLong() : "");
    return List.copyOf(runs);
  }

  /** The id of the one job named {@code workflow}. */
  long jobId(String workflow) {
    Long cached = jobIds.get(workflow);
    if (cached != null) {
      return cached;
    }
    List<Long> found = new ArrayList<>();
    String pageToken = null;
    do {
      ListJobsRequest request = new ListJobsRequest()
          .setName(workflow)
          .setExpandTasks(false)
          .setPageToken(pageToken);
      ListJobsResponse page = call(() -> jobs.list(request), "find the job", workflow);
      if (page.getJobs() != null) {
        for (BaseJob job : page.getJobs()) {
          // The name filter ignores case; deltasync matches the name exactly.
          if (job.getSettings() != null && workflow.equals(job.getSettings().getName())) {
            found.add(job.getJobId());
          }
        }
      }
      pageToken = page.getNextPageToken();
    } while (pageToken != null && !pageToken.isEmpty());
    if (found.isEmpty()) {
      throw SyncErrors.jobNotFound(workflow, host);
    }
    if (found.size() > 1) {
      throw SyncErrors.ambiguousJob(workflow, host, found.stream().sorted().toList());
    }
    jobIds.put(workflow, found.get(0));
    return found.get(0);
  }

  private <T> T call(Supplier<T> request, String action, String workflow) {
    apiCalls.incrementAndGet();
    try {
      return request.get();
    } catch (DatabricksException | UncheckedIOException e) {
      throw translate(e, action, workflow);
    }
  }

  /** The API failure as deltasync reports it; keeps the SDK exception as the cause. */
  SyncException translate(RuntimeException failure, String action, String workflow) {
    DatabricksError error = find(failure, DatabricksError.class);
    if (error != null && error.getStatusCode() > 0 && error.getStatusCode() != 523) {
      int status = error.getStatusCode();
      String what = "HTTP " + status + " " + error.getErrorCode() + ": " + error.getMessage();
      switch (status) {
        case 401:
          return SyncErrors.jobsApiUnauthenticated(
              host, WorkspaceClients.describe(credentials), action, failure);
        case 403:
          return SyncErrors.jobsApiForbidden(host, workflow, action, failure);
        case 404:
          return SyncErrors.jobsApiNotFound(host, workflow, action, failure);
        default:
          if (status == 429 || status >= 500) {
            return SyncErrors.jobsApiUnavailable(host, action, what, failure);
          }
          return SyncErrors.jobsApiFailed(host, action, what, failure);
      }
    }
    IOException io = find(failure, IOException.class);
    if (io != null) {
      return SyncErrors.jobsApiUnavailable(host, action, "I/O error: " + io, failure);
    }
    return SyncErrors.jobsApiFailed(host, action, failure.getMessage(), failure);
  }

  private static <E extends Throwable> E find(Throwable t, Class<E> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  // --------------------------------------------------------------------------------------------
  // States

  /** The run of job {@code jobId} (the job found by the workflow's name, whose runs were listed). */
  static WorkflowRun toWorkflowRun(String workflow, long jobId, BaseRun run) {
    Optional<Instant> dataEnd = dataEnd(run);
    if (dataEnd.isPresent()) {
      return new WorkflowRun(run.getRunId(), workflow, jobId, Instant.ofEpochMilli(run.getStartTime()),
          dataEnd, WorkflowRun.Result.SUCCESS);
    }
    Optional<Instant> end = run.getEndTime() == null || run.getEndTime() <= 0
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(run.getEndTime()));
    WorkflowRun.Result result = result(run.getState(), run.getStatus());
    if (end.isEmpty() && result != WorkflowRun.Result.RUNNING) {
      // Says it finished but has no end time yet (terminating): not finished for deltasync.
      result = WorkflowRun.Result.RUNNING;
    }
    return new WorkflowRun(
        run.getRunId(), workflow, jobId, Instant.ofEpochMilli(run.getStartTime()), end, result);
  }

  /**
   * When the run's data tasks (every task that is not a {@code run_job_task}) all ended, if they
   * all succeeded with an end time: the latest of their end times. Empty when the run has no data
   * task in the answer, or one of them did not (yet) succeed. A retried task counts by its last
   * attempt.
   */
  static Optional<Instant> dataEnd(BaseRun run) {
    if (run.getTasks() == null) {
      return Optional.empty();
    }
    long latest = 0;
    for (RunTask task : lastAttempts(run.getTasks())) {
      if (task.getRunJobTask() != null) {
        continue; // starts another job (the sender): the workflow's data does not wait for it
      }
      if (result(task.getState(), task.getStatus()) != WorkflowRun.Result.SUCCESS
          || task.getEndTime() == null || task.getEndTime() <= 0) {
        return Optional.empty();
      }
      latest = Math.max(latest, task.getEndTime());
    }
    return latest == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(latest));
  }

  /**
   * True when the run's data tasks (every task that is not a {@code run_job_task}) are at least
   * one and all succeeded, each by its last attempt.
   */
  static boolean dataTasksSucceeded(Collection<RunTask> tasks) {
    List<RunTask> data = lastAttempts(tasks).stream().filter(t -> t.getRunJobTask() == null)
        .toList();
    return !data.isEmpty() && data.stream()
        .allMatch(t -> result(t.getState(), t.getStatus()) == WorkflowRun.Result.SUCCESS);
  }

  /**
   * Each task's last attempt: a task retried under {@code max_retries} is listed once per attempt,
   * with the same task key and a growing {@code attempt_number}.
   */
  static List<RunTask> lastAttempts(Collection<RunTask> tasks) {
    Map<String, RunTask> last = new LinkedHashMap<>();
    List<RunTask> unkeyed = new ArrayList<>();
    for (RunTask task : tasks) {
      if (task.getTaskKey() == null) {
        unkeyed.add(task); // never merged: each is judged on its own
      } else {
        last.merge(task.getTaskKey(), task, (a, b) -> attempt(b) > attempt(a) ? b : a);
      }
    }
    unkeyed.addAll(last.values());
    return unkeyed;
  }

  private static long attempt(RunTask task) {
    return task.getAttemptNumber() == null ? 0 : task.getAttemptNumber();
  }

  /** How a run ended, from its {@code state} (or the newer {@code status} when state is absent). */
  static WorkflowRun.Result result(RunState state, RunStatus status) {
    if (state != null && state.getResultState() != null) {
      return result(state.getResultState());
    }
    if (state != null && state.getLifeCycleState() != null) {
      return result(state.getLifeCycleState());
    }
    if (status != null && status.getState() != null) {
      if (status.getState() != RunLifecycleStateV2State.TERMINATED) {
        return WorkflowRun.Result.RUNNING;
      }
      TerminationCodeCode code =
          status.getTerminationDetails() == null ? null : status.getTerminationDetails().getCode();
      if (code == TerminationCodeCode.SUCCESS) {
        return WorkflowRun.Result.SUCCESS;
      }
      if (code == TerminationCodeCode.CANCELED || code == TerminationCodeCode.USER_CANCELED
          || code == TerminationCodeCode.SKIPPED || code == TerminationCodeCode.DISABLED) {
        return WorkflowRun.Result.CANCELED;
      }
      return WorkflowRun.Result.FAILED;
    }
    return WorkflowRun.Result.RUNNING; // nothing says it ended: never synced
  }

  static WorkflowRun.Result result(RunResultState state) {
    switch (state) {
      case SUCCESS:
        return WorkflowRun.Result.SUCCESS;
      case CANCELED:
      case UPSTREAM_CANCELED:
      case EXCLUDED:
      case DISABLED:
        return WorkflowRun.Result.CANCELED;
      default:
        // FAILED, TIMEDOUT, MAXIMUM_CONCURRENT_RUNS_REACHED, UPSTREAM_FAILED and
        // SUCCESS_WITH_FAILURES (some tasks failed: the tables may be half written).
        return WorkflowRun.Result.FAILED;
    }
  }

  static WorkflowRun.Result result(RunLifeCycleState state) {
    switch (state) {
      case INTERNAL_ERROR:
      case TERMINATED: // terminated without a result state: not a success
        return WorkflowRun.Result.FAILED;
      case SKIPPED:
        return WorkflowRun.Result.CANCELED;
      default:
        // PENDING, QUEUED, BLOCKED, RUNNING, TERMINATING, WAITING_FOR_RETRY
        return WorkflowRun.Result.RUNNING;
    }
  }
}
