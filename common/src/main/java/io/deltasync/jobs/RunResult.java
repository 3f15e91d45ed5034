package io.deltasync.jobs;

import java.util.Objects;

/**
 * How a job run ended, as the Jobs API says it.
 *
 * @param runId the run
 * @param state the run's result state ({@code SUCCESS}, {@code FAILED}, {@code CANCELED}, ...)
 * @param message the state message the workspace gave, empty when none
 * @param dataSucceeded whether its data tasks (every task that is not a {@code run_job_task},
 *     each by its last attempt) all succeeded: a workflow run whose {@code sync} task failed to
 *     start a job still did its work
 */
public record RunResult(long runId, String state, String message, boolean dataSucceeded) {

  public RunResult {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(message, "message");
  }

  /** A run without {@code run_job_task}s: its data succeeded when it did. */
  public RunResult(long runId, String state, String message) {
    this(runId, state, message, state.equals("SUCCESS"));
  }

  public boolean succeeded() {
    return state.equals("SUCCESS");
  }

  public String describe() {
    return "run " + runId + " ended " + state + (message.isBlank() ? "" : ": " + message)
        + (!succeeded() && dataSucceeded ? " (its data tasks succeeded; a job it started did not)"
            : "");
  }
}
