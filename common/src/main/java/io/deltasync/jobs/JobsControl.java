package io.deltasync.jobs;

import io.deltasync.databricks.SdkJobsControl;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pauses and resumes the jobs of one workspace through its Jobs API ({@link SdkJobsControl}), on
 * Databricks and against the local workspaces of embedded mode alike.
 *
 * <p>Contract for failover and failback, which call it against a workspace that may be down:
 *
 * <ul>
 *   <li>{@link #setPauseStatus} changes only the pause status of the job's schedule, continuous
 *       setting and trigger; every other setting stays as it is. It is idempotent: asking for the
 *       status a job already has changes nothing and succeeds. When it returns, the workspace has
 *       acknowledged the change (that is what a report calls "confirmed").
 *   <li>Every method throws {@link io.deltasync.errors.SyncException}: {@code RETRYABLE} when the
 *       workspace did not answer (connection refused, timeout, 5xx, throttling), so the caller may
 *       try again later; {@code FATAL} when it answered no (permission, no such job, several jobs
 *       with the name), which another attempt will not change. After a {@code RETRYABLE} failure of
 *       {@link #setPauseStatus} the change may or may not have been made; the caller finds out by
 *       asking again (idempotent), never by assuming.
 * </ul>
 */
public interface JobsControl {

  /** The workspace these jobs live in, for reports and messages. */
  String workspace();

  /** Every job with exactly this name (empty when none). */
  List<JobRef> findJobs(String name);

  /** The pause status of each of the job's triggers. */
  JobState state(JobRef job);

  /**
   * Sets every trigger of the job (schedule, continuous, trigger) to {@code status} and keeps the
   * rest of its settings.
   *
   * @return the job's state before and after the change
   */
  PauseChange setPauseStatus(JobRef job, PauseStatus status);

  /** Cancels the job's active and queued runs; the runs end as CANCELED. */
  void cancelActiveRuns(JobRef job);

  /**
   * Starts a run of the job now (run-now) with these job parameters.
   *
   * @return the run's id
   */
  long runNow(JobRef job, Map<String, String> jobParameters);

  /** How the run ended, or empty while it is pending or running. */
  Optional<RunResult> runResult(long runId);

  /**
   * The one job with this name.
   *
   * @throws io.deltasync.errors.SyncException (FATAL) when no job, or several, have the name
   */
  default JobRef job(String name) {
    List<JobRef> jobs = findJobs(name);
    if (jobs.isEmpty()) {
      throw io.deltasync.errors.SyncErrors.pausableJobNotFound(workspace(), name);
    }
    if (jobs.size() > 1) {
      throw io.deltasync.errors.SyncErrors.pausableJobAmbiguous(
          workspace(), name, jobs.stream().map(JobRef::id).toList());
    }
    return jobs.get(0);
  }
}
