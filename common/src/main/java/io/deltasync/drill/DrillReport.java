package io.deltasync.drill;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A failover drill's report, in the form of the DR test report: what was tested and why, the steps
 * with their times, the recovery time (RTO) and point (RPO per group), the rows lost, the issues
 * found and the actions they call for. {@link DrillReportWriter} writes it as Markdown and as an
 * HTML page with a lag timeline per group.
 *
 * @param date the drill's date (UTC), which names the files
 * @param conductedBy who ran it (the OS user)
 * @param workspace the workspace drilled
 * @param objective what the drill sets out to show
 * @param scenario how the outage was simulated
 * @param rtoObjective the recovery time the drill is held against
 * @param rpoObjective the recovery point (data loss in time) it is held against
 * @param steps the steps and when each began
 * @param outageStart when the primary counted as lost
 * @param secondaryRunning when the first workflow run started in the secondary
 * @param groups the recovery point of each group
 * @param lost the rows of each primary table the secondary lacks after the failover
 * @param failedChecks the drill's checks that did not hold, one line each
 * @param lag each group's lag timeline (from the ledger)
 * @param testType the report's test type, e.g. {@code REGION (failover drill)}
 * @param rowsNotMeasured why the rows lost were not counted, when they were not (a keep-primary
 *     drill cannot read the primary's tables: its figures are the runs not recovered)
 */
public record DrillReport(
    LocalDate date,
    String conductedBy,
    String workspace,
    String objective,
    String scenario,
    Duration rtoObjective,
    Duration rpoObjective,
    List<DrillTimeline.Step> steps,
    Optional<Instant> outageStart,
    Optional<Instant> secondaryRunning,
    List<GroupRecovery> groups,
    List<DrillTimeline.LostRows> lost,
    List<String> failedChecks,
    Map<String, List<LagPoint>> lag,
    String testType,
    Optional<String> rowsNotMeasured) {

  /** The test type of a failover drill. */
  public static final String FAILOVER = "REGION (failover drill)";
  /** The test type of a failover drill in which the primary keeps running. */
  public static final String KEEP_PRIMARY = "REGION (failover drill, primary kept running)";

  /** A failover drill's report, its rows lost counted. */
  public DrillReport(LocalDate date, String conductedBy, String workspace, String objective,
      String scenario, Duration rtoObjective, Duration rpoObjective,
      List<DrillTimeline.Step> steps, Optional<Instant> outageStart,
      Optional<Instant> secondaryRunning, List<GroupRecovery> groups,
      List<DrillTimeline.LostRows> lost, List<String> failedChecks,
      Map<String, List<LagPoint>> lag) {
    this(date, conductedBy, workspace, objective, scenario, rtoObjective, rpoObjective, steps,
        outageStart, secondaryRunning, groups, lost, failedChecks, lag, FAILOVER,
        Optional.empty());
  }

  /**
   * A group's recovery point.
   *
   * @param group the group
   * @param promoted whether failover promoted its secondary tables
   * @param recoveredRun the primary run the secondary holds
   * @param recoveredRunEnd when it ended
   * @param runsNotRecovered successful primary runs newer than the recovered one
   * @param dataLoss the RPO: from the recovered run's end to the newest successful run's end
   */
  public record GroupRecovery(String group, boolean promoted, OptionalLong recoveredRun,
      Optional<Instant> recoveredRunEnd, int runsNotRecovered, Optional<Duration> dataLoss) {
    public GroupRecovery {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(recoveredRun, "recoveredRun");
      Objects.requireNonNull(recoveredRunEnd, "recoveredRunEnd");
      Objects.requireNonNull(dataLoss, "dataLoss");
    }
  }

  public DrillReport {
    Objects.requireNonNull(date, "date");
    steps = List.copyOf(steps);
    groups = List.copyOf(groups);
    lost = List.copyOf(lost);
    failedChecks = List.copyOf(failedChecks);
    lag = Map.copyOf(lag);
    Objects.requireNonNull(testType, "testType");
    Objects.requireNonNull(rowsNotMeasured, "rowsNotMeasured");
  }

  /** True for a drill in which the primary kept running (nothing was promoted). */
  public boolean keptPrimary() {
    return testType.equals(KEEP_PRIMARY);
  }

  /** Outage start to the secondary's workflows running; empty when either was not reached. */
  public Optional<Duration> rto() {
    if (outageStart.isEmpty() || secondaryRunning.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(outageStart.get(), secondaryRunning.get()));
  }

  /** Rows the secondary lacks over every table. */
  public long rowsLost() {
    return lost.stream().mapToLong(DrillTimeline.LostRows::rows).sum();
  }

  /** Every problem the drill found, one line each: failed checks, then missed objectives. */
  public List<String> issues() {
    List<String> out = new ArrayList<>(failedChecks);
    for (GroupRecovery g : groups) {
      if (!g.promoted()) {
        out.add(keptPrimary()
            ? "Group " + g.group() + " did not take over in the secondary: its workflow run there"
                + " failed, or its tables are not back at its sync point."
            : "Group " + g.group() + " was not promoted by the failover.");
      }
      if (g.dataLoss().isPresent() && g.dataLoss().get().compareTo(rpoObjective) > 0) {
        out.add("Group " + g.group() + " lost " + DrillReportWriter.duration(g.dataLoss().get())
            + " of data, more than the RPO objective of " + DrillReportWriter.duration(rpoObjective) + ".");
      }
    }
    if (rto().isEmpty()) {
      out.add("The secondary's workflows never ran: no RTO could be measured.");
    } else if (rto().get().compareTo(rtoObjective) > 0) {
      out.add("The recovery took " + DrillReportWriter.duration(rto().get())
          + ", more than the RTO objective of " + DrillReportWriter.duration(rtoObjective) + ".");
    }
    return out;
  }

  /** What each issue calls for, in the same order; one line when there is none. */
  public List<String> actions() {
    List<String> out = new ArrayList<>();
    for (String check : failedChecks) {
      out.add("Find the cause of the failed check and fix it before the next drill: " + check);
    }
    for (GroupRecovery g : groups) {
      if (!g.promoted()) {
        out.add(keptPrimary()
            ? "Fix what the issues above name for group " + g.group() + " and drill it again; a"
                + " drill left open is ended by the next drill or by failover."
            : "Promote group " + g.group() + " by hand (docs/failover.md) and find why failover"
                + " could not.");
      }
      if (g.dataLoss().isPresent() && g.dataLoss().get().compareTo(rpoObjective) > 0) {
        out.add("Sync group " + g.group() + " more often: lower sync_interval_mins, or trigger"
            + " the sender when its workflow ends.");
      }
    }
    if (rto().isEmpty() || rto().get().compareTo(rtoObjective) > 0) {
      out.add("Time each failover step in the log and shorten the slowest (failover_deadline_mins,"
          + " the secondary's job start-up).");
    }
    if (out.isEmpty()) {
      out.add("None: every check held, and the RTO and every group's RPO are within their objectives.");
    }
    return out;
  }
}
