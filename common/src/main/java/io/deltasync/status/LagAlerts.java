package io.deltasync.status;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.notify.Delivery;
import io.deltasync.notify.GroupEvent;
import io.deltasync.notify.Notifier;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.status.LagAlertState.Alerted;
import io.deltasync.status.StatusReport.GroupReport;
import io.deltasync.status.StatusReport.Lag;
import io.deltasync.status.StatusReport.PointSummary;
import io.deltasync.status.StatusReport.Primary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code status --alert}: tells the configured channels when a group's secondary is too stale, and
 * when it is not any more.
 *
 * <ul>
 *   <li><b>LAG</b> when a workflow group's staleness (now minus the end of the OLDEST successful run
 *       the secondary does not hold, {@link Lag.Behind#staleness()}) is more than its {@code
 *       lag_alert_mins}.
 *   <li>No other LAG for that group until {@code lag_alert_mins} after the last one; then a
 *       reminder (a LAG again) while it still lags.
 *   <li><b>RECOVERED</b> once an alerted group's staleness is within its threshold again (or the
 *       secondary holds the newest run).
 *   <li>Standalone groups never alert (no runs to measure against). A group whose lag is unknown
 *       (primary unreachable, ledger unreadable) keeps its state: no alert either way.
 * </ul>
 *
 * <p>What was sent is kept in a {@link LagAlertStore} between runs, read before anything is
 * decided. A state is advanced only when at least one channel took the notification (or none is
 * configured), so a notification every channel refused is tried again on the next run. Nothing
 * here throws: a failed notification, an unreadable or unwritable state is logged at WARN and
 * returned in {@link Result#problems()}, and status goes on.
 */
public final class LagAlerts {

  private static final Logger LOG = LoggerFactory.getLogger(LagAlerts.class);

  /** What was sent for a group. */
  public enum Kind {
    /** The group started lagging. */
    LAG,
    /** Still lagging, {@code lag_alert_mins} after the last LAG: a LAG notification again. */
    REMINDER,
    /** An alerted group is within its threshold again. */
    RECOVERED
  }

  /**
   * One notification sent (or tried) for one group.
   *
   * @param deliveries what each channel did with it; empty when no channel is configured
   */
  public record Sent(String workspace, String group, Kind kind, List<Delivery> deliveries) {
    public Sent {
      deliveries = List.copyOf(deliveries);
    }
  }

  /**
   * What one {@link #run} did.
   *
   * @param sent the notifications, in report order
   * @param problems why a workspace's alerts could not be decided or kept (its state unreadable or
   *     unwritable); empty when all went well
   */
  public record Result(List<Sent> sent, List<String> problems) {
    public Result {
      sent = List.copyOf(sent);
      problems = List.copyOf(problems);
    }
  }

  private final LagAlertStore store;
  private final Map<String, Notifier> notifiers;

  /**
   * @param store where each workspace's alert state is kept between runs
   * @param notifiers the channels of each workspace, by {@code workspace_name} (none when absent)
   */
  public LagAlerts(LagAlertStore store, Map<String, Notifier> notifiers) {
    this.store = Objects.requireNonNull(store, "store");
    this.notifiers = Map.copyOf(notifiers);
  }

  /** Decides and sends the alerts of every group in {@code report}, as of {@code report.at()}. */
  public Result run(DeltaSyncConfig config, StatusReport report) {
    List<Sent> sent = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (WorkspaceConfig workspace : config.workspaces()) {
      List<GroupReport> groups = report.groups().stream()
          .filter(g -> g.workspace().equals(workspace.name())).toList();
      if (!groups.isEmpty()) {
        workspace(workspace, groups, report.at(), sent, problems);
      }
    }
    return new Result(sent, problems);
  }

  private void workspace(WorkspaceConfig workspace, List<GroupReport> groups, Instant now,
      List<Sent> sent, List<String> problems) {
    LagAlertState before;
    try {
      before = store.read(workspace);
    } catch (RuntimeException e) {
      String why = SyncErrors.describe(e);
      LOG.warn("Workspace {}: no lag alert was decided: {}", workspace.name(), why);
      problems.add(workspace.name() + ": " + why);
      return;
    }
    Notifier notifier = notifiers.getOrDefault(workspace.name(), Notifier.NONE);
    Map<String, Alerted> lagging = new HashMap<>(before.lagging());
    // Groups no longer in the config, or standalone now, have nothing left to recover from.
    lagging.keySet().removeIf(name -> workspace.group(name).map(SyncGroup::standalone).orElse(true));
    for (GroupReport g : groups) {
      SyncGroup group = workspace.group(g.group()).orElseThrow();
      decide(workspace, group, g, Optional.ofNullable(lagging.get(g.group())), now, notifier)
          .ifPresent(step -> {
            sent.add(step.sent());
            if (delivered(step.sent().deliveries())) {
              if (step.after().isPresent()) {
                lagging.put(g.group(), step.after().get());
              } else {
                lagging.remove(g.group());
              }
            }
          });
    }
    LagAlertState after = new LagAlertState(LagAlertState.CURRENT_FORMAT, lagging);
    if (after.equals(before)) {
      return;
    }
    try {
      store.write(workspace, after);
    } catch (RuntimeException e) {
      String why = SyncErrors.describe(e);
      LOG.warn("Workspace {}: the lag alert state was not kept (the next run may repeat an"
          + " alert): {}", workspace.name(), why);
      problems.add(workspace.name() + ": " + why);
    }
  }

  /** A notification sent, and the group's alert state if it was delivered (empty: not lagging). */
  private record Step(Sent sent, Optional<Alerted> after) {}

  private static Optional<Step> decide(WorkspaceConfig workspace, SyncGroup group, GroupReport g,
      Optional<Alerted> prior, Instant now, Notifier notifier) {
    if (g.primary() instanceof Primary.Standalone || g.lag() instanceof Lag.Unknown) {
      return Optional.empty();
    }
    Duration threshold = workspace.lagAlert(group);
    if (g.lag() instanceof Lag.Behind behind && behind.staleness().compareTo(threshold) > 0) {
      Kind kind;
      Instant first;
      if (prior.isEmpty()) {
        kind = Kind.LAG;
        first = now;
      } else if (!now.isBefore(prior.get().lastAlertAt().plus(threshold))) {
        kind = Kind.REMINDER;
        first = prior.get().firstAlertAt();
      } else {
        return Optional.empty();
      }
      GroupEvent event = lagEvent(g, behind, threshold, kind == Kind.REMINDER
          ? Optional.of(first) : Optional.empty(), now);
      Sent sent = send(notifier, event, kind);
      return Optional.of(new Step(sent, Optional.of(new Alerted(first, now,
          behind.staleness().toSeconds(), OptionalLong.of(behind.newestNotHeld().runId())))));
    }
    if (prior.isEmpty()) {
      return Optional.empty();
    }
    GroupEvent event = new GroupEvent(g.workspace(), g.group(), GroupEvent.Phase.STATUS,
        GroupEvent.Outcome.RECOVERED, g.lastApplied().map(PointSummary::syncId),
        g.lastApplied().map(PointSummary::runId).orElse(OptionalLong.empty()),
        g.lastApplied().flatMap(PointSummary::runEnd), List.of(), Optional.empty(), now, now);
    return Optional.of(new Step(send(notifier, event, Kind.RECOVERED), Optional.empty()));
  }

  private static GroupEvent lagEvent(GroupReport g, Lag.Behind behind, Duration threshold,
      Optional<Instant> firstAlert, Instant now) {
    WorkflowRun newest = behind.newestNotHeld();
    return new GroupEvent(g.workspace(), g.group(), GroupEvent.Phase.STATUS, GroupEvent.Outcome.LAG,
        g.lastApplied().map(PointSummary::syncId), OptionalLong.of(newest.runId()), newest.end(),
        List.of(), Optional.of(lagText(g, behind, threshold, firstAlert)), now, now);
  }

  /**
   * {@code The secondary is 2h 05m behind (lag_alert_mins: 120): it does not hold run 4, which
   * ended 2026-01-06T08:00:00Z, nor 2 newer successful runs; the newest is run 6, ended
   * 2026-01-06T10:00:00Z. It holds run 3 (sync point #2).}
   */
  static String lagText(GroupReport g, Lag.Behind behind, Duration threshold,
      Optional<Instant> firstAlert) {
    WorkflowRun oldest = behind.oldestNotHeld();
    WorkflowRun newest = behind.newestNotHeld();
    StringBuilder text = new StringBuilder();
    text.append("The secondary is ").append(StatusText.duration(behind.staleness()))
        .append(" behind (lag_alert_mins: ").append(threshold.toMinutes()).append("): it does not hold run ")
        .append(oldest.runId()).append(", which ended ").append(StatusText.time(oldest.end().orElseThrow()));
    int newer = behind.runsBehind() - 1;
    if (newer == 0) {
      text.append(", the newest successful run.");
    } else {
      text.append(", nor ").append(newer).append(" newer successful ")
          .append(newer == 1 ? "run" : "runs").append("; the newest is run ").append(newest.runId())
          .append(", ended ").append(StatusText.time(newest.end().orElseThrow())).append('.');
    }
    if (g.lastApplied().isEmpty()) {
      text.append(" It holds nothing yet: no sync point was applied.");
    } else {
      PointSummary applied = g.lastApplied().get();
      text.append(" It holds ")
          .append(applied.runId().isPresent() ? "run " + applied.runId().getAsLong() + " " : "")
          .append("(sync point #").append(applied.sequence()).append(").");
    }
    firstAlert.ifPresent(at -> text.append(" Lagging since the first alert at ")
        .append(StatusText.time(at)).append('.'));
    return text.toString();
  }

  private static Sent send(Notifier notifier, GroupEvent event, Kind kind) {
    List<Delivery> deliveries;
    try {
      deliveries = notifier.notify(event);
    } catch (RuntimeException | LinkageError e) {
      // The Notifier contract says it never throws; status must not fail if one does.
      LOG.warn("Lag alert {} of group {}/{} was not sent: the notifier threw {}", kind,
          event.workspace(), event.group(), e.getClass().getName());
      deliveries = List.of(new Delivery(notifier.channel(), Delivery.Status.FAILED,
          "threw " + e.getClass().getName()));
    }
    LOG.info("Lag alert {} of group {}/{}: {}", kind, event.workspace(), event.group(),
        deliveries.isEmpty() ? "no channel configured" : deliveries);
    return new Sent(event.workspace(), event.group(), kind, deliveries);
  }

  /** True unless every channel tried failed: a refused notification is tried again next run. */
  private static boolean delivered(List<Delivery> deliveries) {
    return deliveries.isEmpty()
        || deliveries.stream().anyMatch(d -> d.status() != Delivery.Status.FAILED);
  }
}
