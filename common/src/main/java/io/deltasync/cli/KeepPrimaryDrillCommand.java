package io.deltasync.cli;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.drill.DrillReport;
import io.deltasync.drill.DrillReportWriter;
import io.deltasync.drill.KeepPrimaryReports;
import io.deltasync.errors.SyncErrors;
import io.deltasync.failover.KeepPrimaryDrillReport;
import io.deltasync.ledger.Region;
import io.deltasync.runtime.DrEngines;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drill --config FILE [--dir DIR]}, the drill job of the secondary workspace: a failover
 * drill in which the primary keeps running (see {@link io.deltasync.failover.KeepPrimaryDrill}),
 * reported in the DR test report's form. The launcher's {@code drill --keep-primary} runs the same
 * code ({@link #drill}).
 */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description = {
      "Drills failover while the primary keeps running, from the secondary region: pauses its"
          + " receiver, records the drill in the ledger (no epoch change), runs each group's"
          + " workflow there once (run-now), puts each table back at its version before the drill,"
          + " resumes the receiver, and prints the report (RTO, RPO per group had the outage begun"
          + " at the drill's start, issues and actions) as Markdown.",
      "Exit code 0 when the drill found no problem, 1 naming them."
    })
public final class KeepPrimaryDrillCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Mixin RegionOption region;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Also write drill-<date>.md and drill-<date>.html there (a local folder, or a"
          + " Unity Catalog volume path such as /Volumes/main/deltasync/drills on Databricks).")
  Path dir;

  @Override
  public Integer call() {
    // The region first: a job deployed in the wrong region says so, whatever its config.
    DeltaSyncConfig loaded = confined(config::load, region);
    PrintWriter out = spec.commandLine().getOut();
    Drilled drilled = drill(loaded, Optional.ofNullable(dir));
    for (DrillReport report : drilled.reports()) {
      out.print(DrillReportWriter.markdown(report));
      out.println();
    }
    drilled.written().forEach(w -> out.println("Drill report: " + w.markdown() + ", "
        + w.html()));
    out.flush();
    drilled.requireNoProblem();
    return ExitCodes.DONE;
  }

  /**
   * The config as the secondary region's job sees it, read only once {@code region} is known to
   * be the secondary; a usage error in any other region.
   */
  public static DeltaSyncConfig confined(java.util.function.Supplier<DeltaSyncConfig> config,
      RegionOption region) {
    requireSecondary(region);
    return region.confine(config.get(), Region.SECONDARY);
  }

  private static void requireSecondary(RegionOption region) {
    if (region.orElse(Region.SECONDARY) != Region.SECONDARY) {
      throw SyncErrors.usage("the keep-primary drill runs in the secondary region, whose tables"
          + " it drills; it reaches the primary only through its Jobs API: use --region"
          + " secondary");
    }
  }

  /**
   * What a drill gave: its report, one drill report per workspace, and the files written.
   *
   * @param report the engine's report
   * @param reports the DR test reports, one per workspace
   * @param written the files written (none without a folder)
   */
  public record Drilled(KeepPrimaryDrillReport report, List<DrillReport> reports,
      List<DrillReportWriter.Written> written) {

    /** Throws (exit code 1) naming every problem of the drill, if it had any. */
    public void requireNoProblem() {
      List<String> problems = report.problems();
      if (!problems.isEmpty()) {
        throw SyncErrors.drillIncomplete(problems);
      }
    }
  }

  /**
   * Runs the drill over {@code config}'s workspaces and writes each report into {@code dir} (a
   * workspace's own subfolder when there are several).
   */
  public static Drilled drill(DeltaSyncConfig config, Optional<Path> dir) {
    KeepPrimaryDrillReport report = DrEngines.forRuntime().keepPrimaryDrill().build().run(config);
    String by = Optional.ofNullable(System.getProperty("user.name")).orElse("unknown");
    List<DrillReport> reports = new ArrayList<>();
    List<DrillReportWriter.Written> written = new ArrayList<>();
    for (KeepPrimaryDrillReport.WorkspaceDrill ws : report.workspaces()) {
      WorkspaceConfig workspace = config.workspaces().stream()
          .filter(w -> w.name().equals(ws.workspace())).findFirst().orElseThrow();
      List<io.deltasync.ledger.LedgerRow> ledger;
      try {
        ledger = DrEngines.ledger(workspace).read();
      } catch (RuntimeException e) {
        ledger = List.of(); // the report goes out all the same, without its lag charts
      }
      DrillReport drill = KeepPrimaryReports.of(report, ws, ledger, by);
      reports.add(drill);
      if (dir.isPresent()) {
        Path folder = report.workspaces().size() == 1 ? dir.get()
            : dir.get().resolve(ws.workspace());
        try {
          written.add(DrillReportWriter.write(folder, drill));
        } catch (IOException e) {
          throw new UncheckedIOException("Could not write the drill report into " + folder
              + ": " + e.getMessage() + "; the drill itself is done (see the log)", e);
        }
      }
    }
    return new Drilled(report, reports, written);
  }
}
