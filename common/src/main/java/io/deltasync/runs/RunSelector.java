package io.deltasync.runs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the run of a workflow whose end state is synced: the newest run that succeeded and has
 * an end time. A run still in progress is never chosen, however it looks; failed and canceled runs
 * are skipped and counted. Runs that overlap the chosen one in time are reported, not silently
 * used. Pure: no engine, no clock.
 */
public final class RunSelector {

  private static final Comparator<WorkflowRun> NEWEST_FIRST =
      Comparator.comparing(WorkflowRun::start).thenComparingLong(WorkflowRun::runId).reversed();

  private RunSelector() {}

  /** @param runs the workflow's runs, in any order (sources give them newest first) */
  public static RunChoice choose(List<WorkflowRun> runs) {
    List<WorkflowRun> newestFirst = new ArrayList<>(runs);
    newestFirst.sort(NEWEST_FIRST);
    int skipped = 0;
    WorkflowRun chosen = null;
    for (WorkflowRun run : newestFirst) {
      if (run.succeeded()) {
        chosen = run;
        break;
      }
      if (run.result() == WorkflowRun.Result.FAILED || run.result() == WorkflowRun.Result.CANCELED) {
        skipped++;
      }
    }
    if (chosen == null) {
      return new RunChoice(Optional.empty(), List.of(), skipped);
    }
    Instant chosenStart = chosen.start();
    Instant chosenEnd = chosen.end().orElseThrow();
    List<WorkflowRun> overlapping = new ArrayList<>();
    for (WorkflowRun other : newestFirst) {
      if (other.runId() == chosen.runId()) {
        continue;
      }
      boolean startedBeforeChosenEnded = other.start().isBefore(chosenEnd);
      boolean stillRunningWhenChosenStarted =
          other.end().map(end -> end.isAfter(chosenStart)).orElse(true);
      if (startedBeforeChosenEnded && stillRunningWhenChosenStarted) {
        overlapping.add(other);
      }
    }
    return new RunChoice(Optional.of(chosen), overlapping, skipped);
  }
}
