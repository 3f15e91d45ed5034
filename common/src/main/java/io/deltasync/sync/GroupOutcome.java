package io.deltasync.sync;

import io.deltasync.runs.WorkflowRun;
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
 * @param run the workflow run chosen (sender) or recorded in the sync point (receiver)
 * @param sequence the sync point's sequence number, when one was recorded, applied or planned
 * @param syncId the sync point's id
 * @param tables per table
 * @param error why the group failed; never a secret
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
    Optional<String> error) {

  /** Which side of the sync produced the outcome. */
  public enum Step {
    SEND,
    RECEIVE
  }

  public GroupOutcome {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(status, "status");
    tables = List.copyOf(tables);
  }

  public long copiedBytes() {
    return tables.stream().mapToLong(TableOutcome::copiedBytes).sum();
  }

  /** One line for a failure summary: group and why. */
  public String failureLine() {
    return workspace + "/" + group + ": " + error.orElse(status.name());
  }
}
