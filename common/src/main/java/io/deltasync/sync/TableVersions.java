package io.deltasync.sync;

import io.deltasync.runs.WorkflowRun;
import io.deltasync.table.TableLocation;

/**
 * A table's version as of a workflow run: the newest commit made by the run or before it (the
 * rule of issue 4, implemented by the runs package's version resolver).
 */
@FunctionalInterface
public interface TableVersions {

  long versionAsOf(TableLocation table, WorkflowRun run);
}
