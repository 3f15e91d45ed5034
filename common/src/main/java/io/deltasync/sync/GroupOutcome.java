package io.deltasync.sync;

import io.deltasync.runs.WorkflowRun;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How one group fared in one cycle: what notifications and {@code --json} report.
 *
 * @param step SEND or RECEIVE
 * @param workspace the workspace
 * @param group the group
 * @param status the outcome
 * @param run the workflow run chosen (sender) or recorded in the sync point (receiver; the ledger
 *     keeps only its end, so its start reads as its end)
 * @param sequence the sync point's sequence number, when one was recorded, applied or planned
 * @param syncId the sync point's id
 * @param tables per table
 * @param error why the group failed; never a secret
 * @param startedAt when the group's step started
 * @param finishedAt when it ended
 * @param phases where a sender's group spent its time, when it recorded a sync point
 */
public record GroupOutcome(
    Step step,
    String workspace,
    String group,
    GroupStatus status,
    Optional<WorkflowRun> run,
    OptionalLong sequence,
    Optional<String> syncId,
    List<TableOutcome> tables,
    Optional<String> error,
    java.time.Instant startedAt,
    java.time.Instant finishedAt,
    Optional<Phases> phases) {

  /**
   * Where a sender's group spent its time in a cycle that recorded a sync point.
   *
   * @param pinning from the group's start to its first copy: the ledger's view, the run's choice,
   *     each table's version
   * @param copying cloning the tables into staging
   * @param committing building and appending the sync point
   */
  public record Phases(Duration pinning, Duration copying, Duration committing) {
    public Phases {
      Objects.requireNonNull(pinning, "pinning");
      Objects.requireNonNull(copying, "copying");
      Objects.requireNonNull(committing, "committing");
    }
  }

  /** Which side of the sync produced the outcome. */
  public enum Step {
    SEND,
    RECEIVE
  }

  public GroupOutcome {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(status, "status");
    tables = List.copyOf(tables);
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(phases, "phases");
  }

  /** An outcome not timed yet; the cycle stamps it with {@link #timed} when the group is done. */
  public GroupOutcome(Step step, String workspace, String group, GroupStatus status,
      Optional<WorkflowRun> run, OptionalLong sequence, Optional<String> syncId,
      List<TableOutcome> tables, Optional<String> error) {
    this(step, workspace, group, status, run, sequence, syncId, tables, error,
        java.time.Instant.EPOCH, java.time.Instant.EPOCH, Optional.empty());
  }

  public GroupOutcome timed(java.time.Instant started, java.time.Instant finished) {
    return new GroupOutcome(step, workspace, group, status, run, sequence, syncId, tables, error,
        started, finished, phases);
  }

  /** This outcome with where its time went. */
  public GroupOutcome withPhases(Phases value) {
    return new GroupOutcome(step, workspace, group, status, run, sequence, syncId, tables, error,
        startedAt, finishedAt, Optional.of(value));
  }

  public long copiedBytes() {
    return tables.stream().mapToLong(TableOutcome::copiedBytes).sum();
  }

  /** One line for a failure summary: group and why. */
  public String failureLine() {
    return workspace + "/" + group + ": " + error.orElse(status.name());
  }
}
