package io.deltasync.databricks;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.CancelAllRuns;
import com.databricks.sdk.service.jobs.Continuous;
import com.databricks.sdk.service.jobs.CronSchedule;
import com.databricks.sdk.service.jobs.GetJobRequest;
import com.databricks.sdk.service.jobs.GetRunRequest;
import com.databricks.sdk.service.jobs.Job;
import com.databricks.sdk.service.jobs.JobSettings;
import com.databricks.sdk.service.jobs.JobsAPI;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.databricks.sdk.service.jobs.Run;
import com.databricks.sdk.service.jobs.RunNow;
import com.databricks.sdk.service.jobs.RunState;
import com.databricks.sdk.service.jobs.TriggerSettings;
import com.databricks.sdk.service.jobs.UpdateJob;
import io.deltasync.errors.SyncErrors;
import io.deltasync.errors.SyncException;
import io.deltasync.jobs.JobRef;
import io.deltasync.jobs.JobState.Trigger;
import io.deltasync.jobs.JobState;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseChange;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.jobs.RunResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JobsControl} through databricks-sdk-java's Jobs API.
 *
 * <p>Pausing sends {@code POST /api/2.2/jobs/update} with only the {@code schedule},
 * {@code continuous} and {@code trigger} fields the job has, each as read from the job with its
 * {@code pause_status} changed: {@code jobs/update} replaces only the top-level fields it is given,
 * so every other setting of the job stays as it is. A job already in the asked status gets no
 * update call.
 *
 * <p>The client is obtained lazily: resolving a client can itself need the workspace, and a
 * workspace that is down must read as "did not answer" (retryable), not as a crash.
 */
public final class SdkJobsControl implements JobsControl {

  private static final Logger LOG = LoggerFactory.getLogger(SdkJobsControl.class);

  private final String workspace;
  private final Supplier<JobsAPI> connect;
  private JobsAPI jobs;

  /**
   * @param workspace the workspace's name, for messages
   * @param connect returns the Jobs API of the workspace (e.g. {@code () -> client.jobs()}); called
   *     until it succeeds once
   */
  public SdkJobsControl(String workspace, Supplier<JobsAPI> connect) {
    this.workspace = Objects.requireNonNull(workspace, "workspace");
    this.connect = Objects.requireNonNull(connect, "connect");
  }

  @Override
  public String workspace() {
    return workspace;
  }

  @Override
  public List<JobRef> findJobs(String name) {
    return call("find", name, () -> {
      List<JobRef> found = new ArrayList<>();
      for (BaseJob job : jobs().list(new ListJobsRequest().setName(name))) {
        String jobName = job.getSettings() == null ? null : job.getSettings().getName();
        if (name.equals(jobName)) {
          found.add(new JobRef(String.valueOf(job.getJobId()), name));
        }
      }
      return List.copyOf(found);
    });
  }

  @Override
  public JobState state(JobRef job) {
    return call("read", job.name(), () -> stateOf(job, settings(job)));
  }

  @Override
  public PauseChange setPauseStatus(JobRef job, PauseStatus status) {
    String action = status == PauseStatus.PAUSED ? "pause" : "unpause";
    return call(action, job.name(), () -> {
      JobSettings current = settings(job);
      JobState before = stateOf(job, current);
      if (before.is(status)) {
        LOG.info("Job {} ({}) in {} is already {}: no update", job.name(), job.id(), workspace, status);
        return new PauseChange(before, before);
      }
      com.databricks.sdk.service.jobs.PauseStatus sdkStatus =
          com.databricks.sdk.service.jobs.PauseStatus.valueOf(status.name());
      JobSettings changed = new JobSettings();
      if (current.getSchedule() != null) {
        changed.setSchedule(current.getSchedule().setPauseStatus(sdkStatus));
      }
      if (current.getContinuous() != null) {
        changed.setContinuous(current.getContinuous().setPauseStatus(sdkStatus));
      }
      if (current.getTrigger() != null) {
        changed.setTrigger(current.getTrigger().setPauseStatus(sdkStatus));
      }
      jobs().update(new UpdateJob().setJobId(id(job)).setNewSettings(changed));
      JobState after = stateOf(job, changed);
      LOG.info("Job {} ({}) in {}: {} -> {}", job.name(), job.id(), workspace, before.triggers(),
          after.triggers());
      return new PauseChange(before, after);
    });
  }

  @Override
  public void cancelActiveRuns(JobRef job) {
    call("cancel the runs of", job.name(), () -> {
      jobs().cancelAllRuns(new CancelAllRuns().setJobId(id(job)));
      LOG.info("Cancelled the active runs of job {} ({}) in {}", job.name(), job.id(), workspace);
      return null;
    });
  }

  @Override
  public long runNow(JobRef job, Map<String, String> jobParameters) {
    return call("start a run of", job.name(), () -> {
      long runId = jobs().runNow(new RunNow().setJobId(id(job)).setJobParameters(jobParameters))
          .getResponse().getRunId();
      LOG.info("Started run {} of job {} ({}) in {} with {}", runId, job.name(), job.id(),
          workspace, jobParameters);
      return runId;
    });
  }

  @Override
  public Optional<RunResult> runResult(long runId) {
    return call("read run " + runId + " of", "a job", () -> {
      Run run = jobs().getRun(new GetRunRequest().setRunId(runId));
      RunState state = run.getState();
      if (state == null || state.getLifeCycleState() == null) {
        return Optional.empty();
      }
      return switch (state.getLifeCycleState()) {
        case TERMINATED, SKIPPED, INTERNAL_ERROR -> {
          String result = state.getResultState() == null ? state.getLifeCycleState().name()
              : state.getResultState().name();
          yield Optional.of(new RunResult(runId, result,
              state.getStateMessage() == null ? "" : state.getStateMessage(),
              run.getTasks() == null || run.getTasks().isEmpty() ? result.equals("SUCCESS")
                  : JobsApiRunSource.dataTasksSucceeded(run.getTasks())));
        }
        default -> Optional.empty();
      };
    });
  }

  private JobSettings settings(JobRef job) {
    Job read = jobs().get(new GetJobRequest().setJobId(id(job)));
    return read.getSettings() == null ? new JobSettings() : read.getSettings();
  }

  private static JobState stateOf(JobRef job, JobSettings settings) {
    Map<Trigger, PauseStatus> triggers = new EnumMap<>(Trigger.class);
    CronSchedule schedule = settings.getSchedule();
    if (schedule != null) {
      triggers.put(Trigger.SCHEDULE, status(schedule.getPauseStatus()));
    }
    Continuous continuous = settings.getContinuous();
    if (continuous != null) {
      triggers.put(Trigger.CONTINUOUS, status(continuous.getPauseStatus()));
    }
    TriggerSettings trigger = settings.getTrigger();
    if (trigger != null) {
      triggers.put(Trigger.TRIGGER, status(trigger.getPauseStatus()));
    }
    return new JobState(job, triggers);
  }

  /** The Jobs API treats an absent pause_status as UNPAUSED. */
  private static PauseStatus status(com.databricks.sdk.service.jobs.PauseStatus status) {
    return status == com.databricks.sdk.service.jobs.PauseStatus.PAUSED
        ? PauseStatus.PAUSED
        : PauseStatus.UNPAUSED;
  }

  private static long id(JobRef job) {
    try {
      return Long.parseLong(job.id());
    } catch (NumberFormatException e) {
      throw SyncErrors.usage("Job '" + job.name() + "' has id '" + job.id()
          + "', not a Databricks job id: use a job found in this workspace.");
    }
  }

  private synchronized JobsAPI jobs() {
    if (jobs == null) {
      jobs = connect.get();
    }
    return jobs;
  }

  private <T> T call(String action, String job, Supplier<T> body) {
    try {
      return body.get();
    } catch (SyncException e) {
      throw e;
    } catch (DatabricksError e) {
      int status = e.getStatusCode();
      String why = e.getErrorCode() == null ? e.getMessage() : e.getErrorCode() + " " + e.getMessage();
      if (status == 429 || status >= 500) {
        throw SyncErrors.jobsUnreachable(workspace, action, job, "HTTP " + status + ": " + why);
      }
      if (status == 404 || "RESOURCE_DOES_NOT_EXIST".equals(e.getErrorCode())) {
        throw SyncErrors.pausableJobNotFound(workspace, job);
      }
      throw SyncErrors.jobsRefused(workspace, action, job, status, why);
    } catch (DatabricksException | java.io.UncheckedIOException e) {
      // Connection refused, timeouts and retries exhausted inside the SDK arrive here.
      throw SyncErrors.jobsUnreachable(workspace, action, job, rootMessage(e));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : ": " + root.getMessage();
    return root == e ? e.getClass().getSimpleName() + message
        : e.getMessage() + " (" + root.getClass().getSimpleName() + message + ")";
  }
}
