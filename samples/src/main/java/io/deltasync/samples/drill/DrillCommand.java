package io.deltasync.samples.drill;

import io.deltasync.cli.ExitCodes;
import io.deltasync.errors.SyncErrors;
import io.deltasync.samples.demo.Demo;
import io.deltasync.samples.demo.DemoReport;
import io.deltasync.spark.Sparks;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drill [--dir DIR]}: a failover drill end to end on the demo's engine (two regions as local
 * folders), ending with its report: {@code drill-<date>.md} and {@code drill-<date>.html} in DIR.
 * Progress on stderr; the report's paths and the closing table on stdout.
 */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a failover drill end to end locally (the demo's drill: sync rounds, a run killed, failover,"
          + " verify, the workflows resumed in the secondary, failback) and writes its report:"
          + " drill-<date>.md (objective, steps with times, RTO, RPO per group, rows lost, issues,"
          + " actions) and drill-<date>.html (a lag timeline chart per group).",
      "Exit code 0 when every check held, 1 naming the failed checks."
    })
public final class DrillCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".deltasync/drill",
      description = "The drill's folder, wiped at start; the report is written there (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Override
  public Integer call() throws Exception {
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

  /** The report files in the drill's folder (wiped at the start: this drill's only). */
  private List<Path> reports() throws java.io.IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches("drill-.*\\.(md|html)"))
          .sorted().toList();
    }
  }
}
