package io.deltasync.failover;

import io.deltasync.jobs.ScheduleReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The outcome of a failback: the controlled shutdown, what each group carried back to the primary,
 * and the jobs switched to put the primary back in charge and the secondary on standby.
 *
 * @param started when failback started
 * @param finished when it finished
 * @param secondaryShutdown pausing the secondary's workflows (and cancelling their runs)
 * @param primaryHold keeping the primary's workflows and sender paused until its tables are synced
 * @param groups per group, what the primary now holds
 * @param primaryPromotion unpausing the primary's workflows and sender
 * @param secondaryStandby pausing... the secondary's receiver unpaused, reverse sender paused
 */
public record FailbackReport(
    Instant started, Instant finished, List<ScheduleReport> secondaryShutdown,
    List<ScheduleReport> primaryHold, List<GroupFailback> groups,
    List<ScheduleReport> primaryPromotion, List<ScheduleReport> secondaryStandby) {

  /**
   * @param workspace the workspace
   * @param group the group
   * @param carriedBack false when the secondary held nothing newer of the group (never promoted,
   *     never ran there) and the primary's tables were kept as they were
   * @param note why not carried back, or what the state is (e.g. the recovery point itself)
   * @param secondaryRunId the secondary run whose end state the primary now holds
   * @param secondaryRunEnd when it ended
   * @param tables per table: secondary version copied, primary version holding it
   */
  public record GroupFailback(
      String workspace, String group, boolean carriedBack, Optional<String> note,
      OptionalLong secondaryRunId, Optional<Instant> secondaryRunEnd, List<TableCopy> tables) {
    public GroupFailback {
      tables = List.copyOf(tables);
    }
  }

  /**
   * @param secondaryTable the secondary table (the source of the failback)
   * @param secondaryVersion its version at the secondary's last completed state
   * @param primaryTable the primary table
   * @param primaryVersion the primary table's version holding that state
   */
  public record TableCopy(
      String secondaryTable, OptionalLong secondaryVersion, String primaryTable,
      OptionalLong primaryVersion) {}

  public FailbackReport {
    secondaryShutdown = List.copyOf(secondaryShutdown);
    primaryHold = List.copyOf(primaryHold);
    groups = List.copyOf(groups);
    primaryPromotion = List.copyOf(primaryPromotion);
    secondaryStandby = List.copyOf(secondaryStandby);
  }

  /** True when every job switch of the promotion and standby steps was confirmed. */
  public boolean complete() {
    return primaryPromotion.stream().allMatch(ScheduleReport::allConfirmed)
        && secondaryStandby.stream().allMatch(ScheduleReport::allConfirmed);
  }
}
