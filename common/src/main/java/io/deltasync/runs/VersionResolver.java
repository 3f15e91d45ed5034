package io.deltasync.runs;

import io.deltasync.errors.SyncErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Pins a table to its version at the end of a workflow run: the newest commit made by the run or
 * before it. Pure: it decides from the table's history and the run alone.
 *
 * <p>A table's history holds commits of many jobs: the workflow's own, and on Databricks the
 * receiver's, failover's, a maintenance job's or an upstream ingest's, each with its own run ids.
 * Only commits of the workflow's job (the run's {@link WorkflowRun#jobId}) are read as its runs;
 * run ids of other jobs are never compared with the workflow's. The rule, for the chosen run R of
 * job J (run id r, ended at e):
 * <ul>
 *   <li>a commit of J by a later run (run id &gt; r) never counts, even when clock skew puts its
 *       time before e; nor does any commit after it (a version includes every earlier one);
 *   <li>a commit of J by run r counts, whatever its time (skew between the Jobs API's clock and
 *       the storage's must not drop the run's own last commit);
 *   <li>any other commit (of an earlier run of J, of another job whatever its run id, or of no
 *       known job) counts when its time is not after e;
 *   <li>the pinned version is the newest commit that counts. A table the run did not write thus
 *       resolves to its version as of e.
 * </ul>
 * A run whose job is not known has no commits of its own: every commit is judged by its time.
 * If run R committed after a later run's commit (the runs overlapped and interleaved), no version
 * holds exactly R's end state, and resolving fails rather than pinning a mixed state.
 */
public final class VersionResolver {

  private VersionResolver() {}

  /**
   * @param table the table's name, for messages
   * @param commits the table's history, in any order
   * @param run the chosen run; it must have succeeded (have an end time)
   * @return the pinned commit
   * @throws io.deltasync.errors.SyncException when no commit counts (the table did not exist at
   *     the run's end, or its history was cleaned up), or the run's commits interleave with a
   *     later run's
   */
  public static TableCommit resolve(String table, List<TableCommit> commits, WorkflowRun run) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(run, "run");
    Instant end = run.end().orElseThrow(() -> new IllegalArgumentException(
        "run " + run.runId() + " of " + run.workflow() + " has not ended: it cannot be pinned"));
    long runId = run.runId();
    List<TableCommit> ascending = new ArrayList<>(commits);
    ascending.sort(Comparator.comparingLong(TableCommit::version));

    TableCommit firstLater = null;
    TableCommit pinned = null;
    for (TableCommit commit : ascending) {
      if (byLaterRun(commit, run)) {
        firstLater = commit;
        break;
      }
      if (byRun(commit, run) || !commit.timestamp().isAfter(end)) {
        pinned = commit;
      }
    }
    if (firstLater != null) {
      for (TableCommit commit : ascending) {
        if (commit.version() > firstLater.version() && byRun(commit, run)) {
          throw SyncErrors.runCommitsInterleaved(table, runId, commit.version(),
              firstLater.runId().getAsLong(), firstLater.version());
        }
      }
    }
    if (pinned == null) {
      String earliest = ascending.isEmpty()
          ? "its history is empty"
          : "its oldest commit in the history is " + ascending.get(0);
      throw SyncErrors.noVersionAtRunEnd(table, runId, end, earliest);
    }
    return pinned;
  }

  /** A commit of the run's own job by the run itself. */
  private static boolean byRun(TableCommit commit, WorkflowRun run) {
    return run.jobId().isPresent() && commit.madeBy(run.jobId().getAsLong(), run.runId());
  }

  /** A commit of the run's own job by a later run of it. */
  private static boolean byLaterRun(TableCommit commit, WorkflowRun run) {
    return run.jobId().isPresent() && commit.ofJob(run.jobId().getAsLong())
        && commit.runId().isPresent() && commit.runId().getAsLong() > run.runId();
  }
}
