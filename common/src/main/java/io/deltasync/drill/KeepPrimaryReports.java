package io.deltasync.drill;

import io.deltasync.failover.KeepPrimaryDrillReport;
import io.deltasync.failover.KeepPrimaryDrillReport.GroupDrill;
import io.deltasync.failover.KeepPrimaryDrillReport.WorkspaceDrill;
import io.deltasync.failover.Rpo;
import io.deltasync.jobs.RunResult;
import io.deltasync.ledger.LedgerRow;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A keep-primary drill's report for one workspace, in the DR test report's form. */
public final class KeepPrimaryReports {

  /** The objectives the drill is held against (the DR plan's: RTO 4 hours, RPO 1 hour). */
  public static final Duration RTO_OBJECTIVE = Duration.ofHours(4);
  public static final Duration RPO_OBJECTIVE = Duration.ofHours(1);
  static final String ROWS_NOT_MEASURED = "the primary kept running, and the secondary cannot read"
      + " its tables (it reaches the primary only through its Jobs API). The loss is given as the"
      + " completed primary runs the secondary did not hold at the outage start, per group above.";

  private KeepPrimaryReports() {}

  /**
   * The report of {@code drill}.
   *
   * @param ledger the workspace's ledger rows after the drill, for the lag timelines
   * @param conductedBy who ran it
   */
  public static DrillReport of(KeepPrimaryDrillReport report, WorkspaceDrill drill,
      List<LedgerRow> ledger, String conductedBy) {
    List<DrillTimeline.Step> steps = new ArrayList<>();
    for (int i = 0; i < drill.steps().size(); i++) {
      KeepPrimaryDrillReport.Step s = drill.steps().get(i);
      steps.add(new DrillTimeline.Step(i + 1, s.title(), s.at()));
    }
    List<DrillReport.GroupRecovery> groups = drill.groups().stream()
        .map(g -> new DrillReport.GroupRecovery(g.group(), tookOver(g), g.recoveredRun(),
            g.recoveredRunEnd(), g.rpo().map(Rpo::runsNotRecovered).orElse(0),
            g.rpo().map(Rpo::dataLoss)))
        .toList();
    List<String> problems = new ArrayList<>(drill.problems());
    for (GroupDrill g : drill.groups()) {
      g.problems().forEach(p -> problems.add("Group " + g.group() + ": " + p));
    }
    return new DrillReport(LocalDate.ofInstant(report.started(), ZoneOffset.UTC), conductedBy,
        drill.workspace(),
        "Show that the secondary region can take over each workflow from the last completed state"
            + " it holds, while the primary keeps running, and measure how long it takes and what"
            + " an outage at the drill's start would have lost.",
        "The primary kept running and syncing. The drill paused the secondary's receiver, recorded"
            + " the drill in the ledger (the simulated outage start, no epoch change), ran each"
            + " workflow once in the secondary on the state it held, then put each table back at"
            + " the version it found it at, undoing the drill's writes, and resumed the receiver.",
        RTO_OBJECTIVE, RPO_OBJECTIVE, steps, drill.outageStart(), drill.secondaryRunning(), groups,
        List.of(), problems, LagPoint.fromLedger(ledger, drill.workspace()),
        DrillReport.KEEP_PRIMARY, Optional.of(ROWS_NOT_MEASURED));
  }

  /** Whether the secondary took the group over: its workflow ran there, its tables are back. */
  private static boolean tookOver(GroupDrill g) {
    boolean ran = g.workflow().isEmpty()
        || g.secondaryResult().map(RunResult::dataSucceeded).orElse(false);
    return ran && g.restored();
  }
}
