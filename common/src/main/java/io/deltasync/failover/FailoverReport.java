package io.deltasync.failover;

import io.deltasync.jobs.ScheduleReport;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of a failover: per workspace what the primary confirmed, where each group recovered
 * to, and which jobs the secondary runs now.
 */
public record FailoverReport(Instant started, Instant finished, List<WorkspaceFailover> workspaces) {

  /**
   * @param workspace the workspace
   * @param primaryShutdown pausing the groups' workflows and the sender in the primary (best effort)
   * @param secondaryStandbyJobs pausing the secondary's receiver and keeping the reverse sender paused
   * @param groups per group, in config order
   * @param promotion unpausing the promoted groups' workflows in the secondary
   */
  public record WorkspaceFailover(
      String workspace, ScheduleReport primaryShutdown, ScheduleReport secondaryStandbyJobs,
      List<GroupRecovery> groups, ScheduleReport promotion) {
    public WorkspaceFailover {
      groups = List.copyOf(groups);
    }
  }

  public FailoverReport {
    workspaces = List.copyOf(workspaces);
  }

  public List<GroupRecovery> groups() {
    return workspaces.stream().flatMap(w -> w.groups().stream()).toList();
  }

  public List<GroupRecovery> notPromoted() {
    return groups().stream().filter(g -> !g.promoted()).toList();
  }

  /** True when every group was promoted and every secondary job switch was confirmed. */
  public boolean complete() {
    return notPromoted().isEmpty()
        && workspaces.stream().allMatch(w -> w.promotion().allConfirmed()
            && w.secondaryStandbyJobs().allConfirmed());
  }
}
