package io.deltasync.runs;

import java.time.Instant;
import java.util.Optional;

/**
 * One run of a workflow, as the Jobs API (or the local run log) reports it.
 *
 * @param runId the job run id
 * @param workflow the workflow (job) name
 * @param start when the run started
 * @param end when the run ended; empty while it is still running
 * @param result how it ended
 */
public record WorkflowRun(
    long runId, String workflow, Instant start, Optional<Instant> end, Result result) {

  /** How a run ended. Only {@link #SUCCESS} runs are ever synced. */
  public enum Result {
    RUNNING,
    SUCCESS,
    FAILED,
    CANCELED
  }

  public boolean succeeded() {
    return result == Result.SUCCESS && end.isPresent();
  }
}
