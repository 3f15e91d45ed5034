package io.deltasync.runs;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which run of a workflow to sync, as {@link RunSelector} chose it.
 *
 * @param chosen the newest run that succeeded and has an end time; empty when there is none
 * @param overlapping runs whose time overlaps the chosen run's (a later run started before the
 *     chosen one ended, or an earlier one was still running when it started): their commits may
 *     be mixed into the state at the chosen run's end, so they are reported, newest first
 * @param skippedFailedRuns how many runs newer than the chosen one failed or were canceled (all
 *     of them when none was chosen)
 */
public record RunChoice(
    Optional<WorkflowRun> chosen, List<WorkflowRun> overlapping, int skippedFailedRuns) {

  public RunChoice {
    Objects.requireNonNull(chosen, "chosen");
    overlapping = List.copyOf(overlapping);
    if (skippedFailedRuns < 0) {
      throw new IllegalArgumentException("skippedFailedRuns must not be negative: " + skippedFailedRuns);
    }
    if (chosen.isEmpty() && !overlapping.isEmpty()) {
      throw new IllegalArgumentException("overlapping runs without a chosen run");
    }
  }

  /** True when some other run overlapped the chosen one in time. */
  public boolean hasOverlap() {
    return !overlapping.isEmpty();
  }
}
