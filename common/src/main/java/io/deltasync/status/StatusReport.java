package io.deltasync.status;

import io.deltasync.runs.WorkflowRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The DR posture of every group, as {@link Status#report} saw it at {@link #at()}.
 *
 * @param at when the report was made (the injected clock)
 * @param groups one entry per group, in config order
 */
public record StatusReport(Instant at, List<GroupReport> groups) {

  public StatusReport {
    Objects.requireNonNull(at, "at");
    groups = List.copyOf(groups);
  }

  /**
   * One group's state.
   *
   * @param workspace {@code workspace_name}
   * @param group {@code group_name}
   * @param workflow the workflow; empty for a standalone group
   * @param primary the primary's last successful run, or why it is not known
   * @param lastStaged the newest sync point the sender recorded
   * @param lastApplied the newest sync point the receiver applied (what the secondary holds)
   * @param lag how far the secondary is behind the primary's newest completed run
   * @param lastError the newest FAILED row of the group
   * @param bytesSentLast24h sum of {@code copied_files_size} of the group's STAGED rows recorded in
   *     the 24 hours before {@code at}
   * @param ledgerProblem why the ledger could not be read; the ledger-derived fields are then empty
   * @param epoch the workspace's current epoch: which region is active, since when, by whom
   */
  public record GroupReport(
      String workspace,
      String group,
      Optional<String> workflow,
      Primary primary,
      Optional<PointSummary> lastStaged,
      Optional<PointSummary> lastApplied,
      Lag lag,
      Optional<ErrorSummary> lastError,
      long bytesSentLast24h,
      Optional<String> ledgerProblem,
      Optional<io.deltasync.ledger.Epoch> epoch) {

    public GroupReport {
      Objects.requireNonNull(workspace, "workspace");
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(workflow, "workflow");
      Objects.requireNonNull(primary, "primary");
      Objects.requireNonNull(lastStaged, "lastStaged");
      Objects.requireNonNull(lastApplied, "lastApplied");
      Objects.requireNonNull(lag, "lag");
      Objects.requireNonNull(lastError, "lastError");
      Objects.requireNonNull(ledgerProblem, "ledgerProblem");
      Objects.requireNonNull(epoch, "epoch");
    }
  }

  /** What the primary's run source said. */
  public sealed interface Primary {
    /** A standalone group has no workflow, so no runs. */
    record Standalone() implements Primary {}

    /** The run source answered; {@code lastSuccess} is empty when no run has succeeded. */
    record Reachable(Optional<WorkflowRun> lastSuccess) implements Primary {
      public Reachable {
        Objects.requireNonNull(lastSuccess, "lastSuccess");
      }
    }

    /** The run source could not be asked; {@code why} says what failed. */
    record Unreachable(String why) implements Primary {
      public Unreachable {
        Objects.requireNonNull(why, "why");
      }
    }
  }

  /** How far the secondary is behind. */
  public sealed interface Lag {
    /** The secondary holds the newest completed run (or no run has completed): lag zero. */
    record UpToDate() implements Lag {}

    /**
     * The secondary does not hold the primary's newest completed run.
     *
     * @param lag time from the end of {@code newestNotHeld} to the report
     * @param newestNotHeld the primary's newest completed (successful) run
     * @param runsBehind successful runs that ended after the one the secondary holds
     * @param oldestNotHeld the oldest successful run the secondary does not hold: the first
     *     completed state it lacks
     * @param staleness time from the end of {@code oldestNotHeld} to the report: how long a
     *     completed state has been missing from the secondary (what lag alerts measure; with a run
     *     every few minutes {@code lag} stays small however far behind the secondary is)
     */
    record Behind(Duration lag, WorkflowRun newestNotHeld, int runsBehind,
        WorkflowRun oldestNotHeld, Duration staleness) implements Lag {

      public Behind {
        Objects.requireNonNull(lag, "lag");
        Objects.requireNonNull(newestNotHeld, "newestNotHeld");
        Objects.requireNonNull(oldestNotHeld, "oldestNotHeld");
        Objects.requireNonNull(staleness, "staleness");
      }

      /** One run not held: it is both the newest and the oldest, and its lag is the staleness. */
      public Behind(Duration lag, WorkflowRun newestNotHeld, int runsBehind) {
        this(lag, newestNotHeld, runsBehind, newestNotHeld, lag);
      }
    }

    /** Lag cannot be computed: standalone group, primary unreachable, ledger unreadable. */
    record Unknown(String why) implements Lag {}

    /** The lag in seconds, empty when unknown. */
    default OptionalLong seconds() {
      if (this instanceof Behind behind) {
        return OptionalLong.of(behind.lag().toSeconds());
      }
      return this instanceof UpToDate ? OptionalLong.of(0) : OptionalLong.empty();
    }
  }

  /**
   * A recorded sync point, as status shows it.
   *
   * @param sequence the group's sync point number
   * @param syncId the sync id
   * @param runId the workflow run it holds; empty for standalone groups
   * @param runEnd when that run ended
   * @param recordedAt when the rows were written
   * @param tables how many tables it holds
   */
  public record PointSummary(
      long sequence,
      String syncId,
      OptionalLong runId,
      Optional<Instant> runEnd,
      Instant recordedAt,
      int tables) {}

  /**
   * The newest failure recorded for a group.
   *
   * @param at when the FAILED row was recorded
   * @param step {@code send} (staging failed) or {@code receive} (applying failed)
   * @param table the table that failed
   * @param error the error text of the row
   * @param resolved true when the same step recorded a sync point after the failure
   */
  public record ErrorSummary(Instant at, String step, String table, String error, boolean resolved) {}
}
