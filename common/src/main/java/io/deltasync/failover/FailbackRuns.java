package io.deltasync.failover;

import io.deltasync.runs.RunSource;
import io.deltasync.runs.WorkflowRun;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The secondary's runs as failback sees them. The secondary's last completed state of a group is
 * the end of its newest successful run since the group's recovery point; when the workflow has not
 * succeeded there since, it is the recovery point itself, which this source presents as a run
 * ending when the recovery point was applied (a <i>baseline</i> run).
 *
 * <p>The baseline's id is the highest id of the runs that started before it ended (0 when none):
 * under the version rule, commits of those older runs count by their time, while a commit stamped by
 * any run started after the recovery point (a failed or cancelled one) has a higher id and never
 * counts, so the baseline pins each secondary table to the version the recovery point wrote. The
 * baseline is a run of the workflow's job (taken from its runs), since only that job's commits are
 * read as runs; with no run to name the job, every commit counts by its time.
 */
public final class FailbackRuns implements RunSource {

  private final RunSource secondary;
  private final Map<String, Instant> recoveredAt;

  /**
   * @param secondary the secondary's runs (Jobs API or run log)
   * @param recoveredAt per workflow, when its recovery point was applied in the secondary
   */
  public FailbackRuns(RunSource secondary, Map<String, Instant> recoveredAt) {
    this.secondary = Objects.requireNonNull(secondary, "secondary");
    this.recoveredAt = Map.copyOf(recoveredAt);
  }

  @Override
  public List<WorkflowRun> runs(String workflow, OptionalLong notBeforeRunId) {
    List<WorkflowRun> runs = secondary.runs(workflow, OptionalLong.empty());
    Instant baseline = recoveredAt.get(workflow);
    if (baseline == null) {
      return runs;
    }
    boolean ranSince = runs.stream()
        .anyMatch(r -> r.succeeded() && r.end().orElseThrow().isAfter(baseline));
    if (ranSince) {
      return runs;
    }
    long id = runs.stream().filter(r -> !r.start().isAfter(baseline))
        .mapToLong(WorkflowRun::runId).max().orElse(0L);
    OptionalLong job = runs.stream().map(WorkflowRun::jobId).filter(OptionalLong::isPresent)
        .findFirst().orElse(OptionalLong.empty());
    return List.of(baselineRun(workflow, job, id, baseline));
  }

  /** The run that stands for a recovery point; of the workflow's job when it is known. */
  public static WorkflowRun baselineRun(
      String workflow, OptionalLong jobId, long id, Instant appliedAt) {
    return new WorkflowRun(id, workflow, jobId, appliedAt, java.util.Optional.of(appliedAt),
        WorkflowRun.Result.SUCCESS);
  }
}
