package io.deltasync.runs;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One run of a workflow, as the Jobs API (or the local run log) reports it.
 *
 * @param runId the job run id
 * @param workflow the workflow (job) name
 * @param jobId the id of the workflow's job, which Delta histories record with each commit the
 *     job makes (on Databricks the history's {@code job.jobId}; locally the {@link RunStamp}); empty
 *     when not known (a run rebuilt from the ledger), and then no commit is counted as this run's
 * @param start when the run started
 * @param end when the run ended; empty while it is still running
 * @param result how it ended
 */
public record WorkflowRun(
    long runId,
    String workflow,
    OptionalLong jobId,
    Instant start,
    Optional<Instant> end,
    Result result) {

  /** How a run ended. Only {@link #SUCCESS} runs are ever synced. */
  public enum Result {
    RUNNING,
    SUCCESS,
    FAILED,
    CANCELED
  }

  public WorkflowRun {
    Objects.requireNonNull(jobId, "jobId");
  }

  /** A run whose job id is not known. */
  public WorkflowRun(
      long runId, String workflow, Instant start, Optional<Instant> end, Result result) {
    this(runId, workflow, OptionalLong.empty(), start, end, result);
  }

  /** A run of job {@code jobId}. */
  public WorkflowRun(
      long runId, String workflow, long jobId, Instant start, Optional<Instant> end,
      Result result) {
    this(runId, workflow, OptionalLong.of(jobId), start, end, result);
  }

  public boolean succeeded() {
    return result == Result.SUCCESS && end.isPresent();
  }
}
