package io.deltasync.failover;

import io.deltasync.notify.GroupEvent;
import io.deltasync.notify.GroupEvent.Outcome;
import io.deltasync.notify.GroupEvent.Phase;
import io.deltasync.notify.GroupEvent.TableEvent;
import io.deltasync.notify.Notifications;
import io.deltasync.notify.Notifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What failover and failback tell people: one notification per group, through the workspace's
 * channels (the same email and webhook as the sender's and receiver's), once the step has ended.
 *
 * <ul>
 *   <li>Failover: SUCCEEDED for a promoted group, with its recovery point (sync id, the run and
 *       when it ended, each table's versions); FAILED for a group left paused, with the reason and
 *       the sync point its secondary tables hold.
 *   <li>Failback: SUCCEEDED for every group, with the secondary run whose end state the primary
 *       now holds and each table's versions (secondary version as source, primary version as
 *       target); no tables when the secondary held nothing newer.
 * </ul>
 *
 * <p>Best effort, like every notification: a channel that fails is logged by the channel and
 * changes nothing about the failover or failback.
 */
public final class DrNotices {

  private DrNotices() {}

  /** One FAILOVER event per group, in config order. */
  public static List<GroupEvent> events(FailoverReport report) {
    return report.groups().stream().map(g -> event(g, report)).toList();
  }

  /** One FAILBACK event per group, in config order. */
  public static List<GroupEvent> events(FailbackReport report) {
    return report.groups().stream().map(g -> event(g, report)).toList();
  }

  /**
   * Sends each event through the notifier of its workspace ({@link Notifications#byWorkspace});
   * an event of a workspace without one is not sent. Never throws.
   */
  public static void send(List<GroupEvent> events, Map<String, Notifier> byWorkspace) {
    for (GroupEvent event : events) {
      byWorkspace.getOrDefault(event.workspace(), Notifier.NONE).notify(event);
    }
  }

  private static GroupEvent event(GroupRecovery group, FailoverReport report) {
    Optional<RecoveryPoint> point = group.point();
    List<TableEvent> tables = point.map(p -> p.tables().stream()
        .map(t -> new TableEvent(t.table(), t.sourceVersion(), t.stagingVersion(),
            t.targetVersion(), Optional.empty()))
        .toList()).orElse(List.of());
    Optional<String> error = group.promoted()
        ? Optional.empty()
        : Optional.of("Not promoted: " + group.reason().orElse("")
            + point.map(p -> "\nThe secondary tables hold sync point #" + p.sequence() + ".")
                .orElse("\nThe secondary tables hold no sync point."));
    return new GroupEvent(group.workspace(), group.group(), Phase.FAILOVER,
        group.promoted() ? Outcome.SUCCESS : Outcome.FAILURE,
        point.map(RecoveryPoint::syncId),
        point.map(RecoveryPoint::runId).orElse(OptionalLong.empty()),
        point.flatMap(RecoveryPoint::runEnd), tables, error, report.started(), report.finished());
  }

  private static GroupEvent event(FailbackReport.GroupFailback group, FailbackReport report) {
    List<TableEvent> tables = group.tables().stream()
        .map(t -> new TableEvent(t.primaryTable(), t.secondaryVersion(), OptionalLong.empty(),
            t.primaryVersion(), Optional.empty()))
        .toList();
    return new GroupEvent(group.workspace(), group.group(), Phase.FAILBACK, Outcome.SUCCESS,
        Optional.empty(), group.secondaryRunId(), group.secondaryRunEnd(), tables,
        Optional.empty(), report.started(), report.finished());
  }
}
