package io.deltasync.samples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.drill.DrillReport;
import io.deltasync.drill.DrillTimeline;
import io.deltasync.drill.LagPoint;
import io.deltasync.table.TableLocation;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** The demo's drill report: what its timeline, its checks and the ledger say, written to files. */
final class DrillReports {

  /** The objectives the drill is held against (the DR plan's: RTO 4 hours, RPO 1 hour). */
  static final Duration RTO_OBJECTIVE = Duration.ofHours(4);
  static final Duration RPO_OBJECTIVE = Duration.ofHours(1);

  private DrillReports() {}

  /**
   * Records in {@code timeline}, per table of each group's recovery point, the rows of the primary
   * table's newest state that the promoted secondary table does not hold.
   */
  static void recordLoss(SparkSession spark, DrillTimeline timeline, JsonNode failover,
      Function<String, TableLocation> primary, Function<String, TableLocation> secondary) {
    for (JsonNode ws : failover.path("workspaces")) {
      for (JsonNode g : ws.path("groups")) {
        for (JsonNode t : g.path("recovery_point").path("tables")) {
          String table = t.path("table").asText();
          Rows.Diff diff = Rows.compare(Rows.latest(spark, primary.apply(table)),
              Rows.latest(spark, secondary.apply(t.path("secondary_table").asText())));
          timeline.lost(g.path("group").asText(), table, diff.onlyLeft());
        }
      }
    }
  }

  /** The report of the demo's drill. */
  static DrillReport of(DemoReport demo, DrillTimeline timeline, List<LedgerRow> ledger,
      String workspace) {
    List<DrillReport.GroupRecovery> groups = demo.groups().stream()
        .map(g -> new DrillReport.GroupRecovery(g.group(), g.status().equals("PROMOTED"), g.runId(),
            g.runEnd(), g.rpo().map(r -> r.runsNotRecovered()).orElse(0),
            g.rpo().map(r -> r.dataLoss())))
        .toList();
    List<String> failed = demo.failed().stream()
        .map(c -> "Step " + c.step() + ", check " + c.name() + ": " + c.detail()).toList();
    return new DrillReport(
        timeline.steps().isEmpty() ? LocalDate.now(ZoneOffset.UTC)
            : LocalDate.ofInstant(timeline.steps().get(0).at(), ZoneOffset.UTC),
        Optional.ofNullable(System.getProperty("user.name")).orElse("unknown"),
        workspace,
        "Show that the secondary region takes over the sample workflows after the primary is lost,"
            + " holding the state of each workflow's last completed run, and measure how long it"
            + " takes and what is lost.",
        "Two regions as local folders. The primary runs both workflows and syncs for a few rounds;"
            + " then sample_workflow_1 is killed in its silver loop and sample_workflow_2 runs once"
            + " more without a sync. The outage starts when failover is declared; the secondary is"
            + " verified, runs the workflows, and fails back.",
        RTO_OBJECTIVE, RPO_OBJECTIVE, timeline.steps(), timeline.outageStart(),
        timeline.secondaryRunning(), groups, timeline.lost(), failed,
        LagPoint.fromLedger(ledger, workspace));
  }
}
