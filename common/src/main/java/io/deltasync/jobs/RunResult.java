package io.deltasync.jobs;

import java.util.Objects;

/**
 * How a job run ended, as the Jobs API says it.
 *
 * @param runId the run
 * @param state the run's result state ({@code SUCCESS}, {@code FAILED}, {@code CANCELED}, ...)
 * @param message the state message the workspace gave, empty when none
 */
public record RunResult(long runId, String state, String message) {

  public RunResult {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(message, "message");
  }

  public boolean succeeded() {
    return state.equals("SUCCESS");
  }

  public String describe() {
    return "run " + runId + " ended " + state + (message.isBlank() ? "" : ": " + message);
  }
}
