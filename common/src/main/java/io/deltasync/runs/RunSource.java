package io.deltasync.runs;

import java.util.List;
import java.util.OptionalLong;

/**
 * Where the runs of a workflow come from: the Jobs API on Databricks, the run log locally.
 */
public interface RunSource {

  /**
   * The completed and in-progress runs of a workflow, newest first (by start time), stopping once
   * runs are older than {@code notBeforeRunId}'s run when given.
   *
   * @throws io.deltasync.errors.SyncException when no workflow, or more than one, has that name,
   *     or the API refuses (naming the status and what to check)
   */
  List<WorkflowRun> runs(String workflow, OptionalLong notBeforeRunId);
}
