package io.deltasync.sync;

import io.deltasync.notify.GroupEvent;
import io.deltasync.notify.Notifier;
import io.deltasync.runs.WorkflowRun;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Turns each group outcome that is a sync (SYNCED) or a failure (FAILED) into a {@link GroupEvent}
 * for the workspace's {@link Notifier}; outcomes where nothing happened (up to date, not due, no
 * run, dry run) notify nobody.
 */
public final class NotifyingListener implements GroupListener {

  private final Map<String, Notifier> byWorkspace;

  /** @param byWorkspace the notifier of each workspace, by {@code workspace_name} */
  public NotifyingListener(Map<String, Notifier> byWorkspace) {
    this.byWorkspace = Map.copyOf(byWorkspace);
  }

  @Override
  public void groupFinished(GroupOutcome outcome) {
    if (outcome.status() != GroupStatus.SYNCED && !outcome.status().failed()) {
      return;
    }
    Notifier notifier = byWorkspace.get(outcome.workspace());
    if (notifier != null) {
      notifier.notify(event(outcome));
    }
  }

  static GroupEvent event(GroupOutcome outcome) {
    return new GroupEvent(
        outcome.workspace(),
        outcome.group(),
        outcome.step() == GroupOutcome.Step.SEND ? GroupEvent.Phase.SEND : GroupEvent.Phase.RECEIVE,
        outcome.status().failed() ? GroupEvent.Outcome.FAILURE : GroupEvent.Outcome.SUCCESS,
        outcome.syncId(),
        outcome.run().map(r -> OptionalLong.of(r.runId())).orElse(OptionalLong.empty()),
        outcome.run().flatMap(WorkflowRun::end),
        outcome.tables().stream()
            .map(t -> new GroupEvent.TableEvent(t.table().toString(),
                outcome.step() == GroupOutcome.Step.SEND ? OptionalLong.of(t.sourceVersion())
                    : OptionalLong.empty(),
                t.stagingVersion(), t.targetVersion(), t.error()))
            .toList(),
        outcome.error(),
        outcome.startedAt(),
        outcome.finishedAt());
  }

}
