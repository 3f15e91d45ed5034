package io.deltasync.samples.drill;

import io.deltasync.cli.ExitCodes;
import io.deltasync.cli.KeepPrimaryDrillCommand;
import io.deltasync.cli.RegionOption;
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.drill.DrillReport;
import io.deltasync.drill.DrillReportWriter;
import io.deltasync.errors.SyncErrors;
import io.deltasync.samples.demo.Demo;
import io.deltasync.samples.demo.DemoReport;
import io.deltasync.spark.Sparks;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drill [--dir DIR]}: a failover drill end to end on the demo's engine (two regions as local
 * folders), ending with its report: {@code drill-<date>.md} and {@code drill-<date>.html} in DIR.
 * {@code drill --keep-primary --config FILE}: the drill for real workspaces, in which the primary
 * keeps running ({@link KeepPrimaryDrill}); it runs in the secondary region and writes the same
 * report for each workspace. Progress on stderr; the report's paths and the closing table on stdout.
 */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a failover drill end to end locally (the demo's drill: sync rounds, a run killed, failover,"
          + " verify, the workflows resumed in the secondary, failback) and writes its report:"
          + " drill-<date>.md (objective, steps with times, RTO, RPO per group, rows lost, issues,"
          + " actions) and drill-<date>.html (a lag timeline chart per group).",
      "With --keep-primary --config FILE, drills the config's workspaces while the primary keeps"
          + " running: in the secondary it pauses the receiver, records the drill in the ledger"
          + " (no epoch change), runs each group's workflow once (run-now), puts each table back"
          + " at its version before the drill and resumes the receiver; the report gives the RTO"
          + " and each group's RPO had the outage begun at the drill's start.",
      "Exit code 0 when every check held, 1 naming the failed checks."
    })
public final class DrillCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".deltasync/drill",
      description = "The drill's folder, wiped at start (the local drill); the report is written"
          + " there (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--keep-primary",
      description = "Drill the workspaces of --config while the primary keeps running.")
  boolean keepPrimary;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The deltasync config (with --keep-primary): seed 004's JSON or HOCON.")
  Path config;

  @Mixin RegionOption region;

  @Override
  public Integer call() throws Exception {
    if (keepPrimary) {
      return keepPrimary();
    }
    if (config != null) {
      throw SyncErrors.usage("--config goes with --keep-primary: the local drill builds its own"
          + " regions and config");
    }
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Demo demo = new Demo(Sparks.session(), Demo.Settings.defaults(dir), line -> {
      err.println(line);
      err.flush();
    });
    DemoReport report = demo.run();
    for (Path file : reports()) {
      out.println("Drill report: " + file.toAbsolutePath());
    }
    out.println();
    report.lines().forEach(out::println);
    out.flush();
    if (!report.passed()) {
      throw SyncErrors.demoChecksFailed(report.failed().stream()
          .map(c -> "step " + c.step() + " " + c.name() + ": " + c.detail()).toList());
    }
    return ExitCodes.DONE;
  }

  private Integer keepPrimary() {
    if (config == null) {
      throw SyncErrors.usage("drill --keep-primary needs --config FILE: the workspaces to drill");
    }
    DeltaSyncConfig loaded = KeepPrimaryDrillCommand.confined(() -> ConfigLoader.load(config),
        region);
    KeepPrimaryDrillCommand.Drilled drilled = KeepPrimaryDrillCommand.drill(loaded,
        Optional.of(dir));
    PrintWriter out = spec.commandLine().getOut();
    for (DrillReportWriter.Written w : drilled.written()) {
      out.println("Drill report: " + w.markdown().toAbsolutePath());
      out.println("Drill report: " + w.html().toAbsolutePath());
    }
    for (DrillReport r : drilled.reports()) {
      out.println(r.workspace() + ": RTO " + r.rto().map(DrillReportWriter::duration)
          .orElse("not measured") + ", " + r.issues().size() + " issue(s)");
    }
    out.flush();
    drilled.requireNoProblem();
    return ExitCodes.DONE;
  }

  /** The report files in the drill's folder (wiped at the start: this drill's only). */
  private List<Path> reports() throws java.io.IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches("drill-.*\\.(md|html)"))
          .sorted().toList();
    }
  }
}
