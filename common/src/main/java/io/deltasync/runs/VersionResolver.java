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
 * <p>The rule, for the chosen run R (id r, ended at e):
 * <ul>
 *   <li>a commit stamped with a later run's id (&gt; r) never counts, even when clock skew puts
 *       its time before e; nor does any commit after it (a version includes every earlier one);
 *   <li>a commit stamped with r counts, whatever its time (skew between the Jobs API's clock and
 *       the storage's must not drop the run's own last commit);
 *   <li>any other commit (unstamped, or stamped with an earlier run) counts when its time is not
 *       after e;
 *   <li>the pinned version is the newest commit that counts. A table the run did not write thus
 *       resolves to its version as of e.
 * </ul>
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
      boolean stampedLater = commit.runId().isPresent() && commit.runId().getAsLong() > runId;
      if (stampedLater) {
        firstLater = commit;
        break;
      }
      if (commit.madeBy(runId) || !commit.timestamp().isAfter(end)) {
        pinned = commit;
      }
    }
    if (firstLater != null) {
      for (TableCommit commit : ascending) {
        if (commit.version() > firstLater.version() && commit.madeBy(runId)) {
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
}
