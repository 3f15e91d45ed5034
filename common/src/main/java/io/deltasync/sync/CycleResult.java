package io.deltasync.sync;

import io.deltasync.errors.SyncErrors;
import java.util.List;

/**
 * The outcome of one sender or receiver cycle over every selected group of every workspace.
 *
 * @param step SEND or RECEIVE
 * @param dryRun true when nothing was changed
 * @param groups per group, in config order
 */
public record CycleResult(GroupOutcome.Step step, boolean dryRun, List<GroupOutcome> groups) {

  public CycleResult {
    groups = List.copyOf(groups);
  }

  public List<GroupOutcome> failures() {
    return groups.stream().filter(g -> g.status().failed()).toList();
  }

  public boolean failed() {
    return !failures().isEmpty();
  }

  /** Throws, naming every failed group and why, when any group failed. */
  public CycleResult throwIfFailed() {
    if (failed()) {
      throw SyncErrors.groupsFailed(step == GroupOutcome.Step.SEND ? "Send" : "Receive",
          failures().stream().map(GroupOutcome::failureLine).toList());
    }
    return this;
  }
}
