package io.deltasync.sync;

import io.deltasync.runs.WorkflowRun;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Chooses the run whose end state a group is synced to. */
@FunctionalInterface
public interface RunChooser {

  /**
   * @param runs the workflow's runs, newest first
   * @return the run to sync to; empty when no run has succeeded
   */
  Optional<WorkflowRun> choose(String workflow, List<WorkflowRun> runs);

  /** The run that ended last among the successful ones. */
  static RunChooser newestSuccessful() {
    return (workflow, runs) -> runs.stream()
        .filter(WorkflowRun::succeeded)
        .max(Comparator.comparing((WorkflowRun r) -> r.end().orElseThrow())
            .thenComparingLong(WorkflowRun::runId));
  }
}
