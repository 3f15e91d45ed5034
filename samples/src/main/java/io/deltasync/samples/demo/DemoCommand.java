package io.deltasync.samples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.cli.ExitCodes;
import io.deltasync.errors.SyncErrors;
import io.deltasync.spark.Sparks;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo [--dir DIR] [--rounds N] [--json]}: the end-to-end DR drill ({@link Demo}) on an
 * embedded config with no cloud account. Progress on stderr; the closing table (or JSON) on stdout.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an end-to-end DR drill locally: two regions as folders, the sample workflows, sender"
          + " and receiver cycles, a run killed in its silver loop, failover, verify, the workflows"
          + " resumed in the secondary, failback. Every claim is checked.",
      "Exit code 0 when every check held, 1 naming the failed checks."
    })
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".deltasync/demo",
      description = "The drill's folder, wiped at start (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
      description = "Rounds of runs and sync before the killed run (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--json", description = "Print the report as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Demo.Settings defaults = Demo.Settings.defaults(dir);
    Demo demo = new Demo(Sparks.session(),
        new Demo.Settings(dir, rounds, defaults.silverLoops(), defaults.killAfter()), line -> {
          err.println(line);
          err.flush();
        });
    DemoReport report = demo.run();
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.json()));
    } else {
      out.println();
      report.lines().forEach(out::println);
    }
    out.flush();
    if (!report.passed()) {
      throw SyncErrors.demoChecksFailed(report.failed().stream()
          .map(c -> "step " + c.step() + " " + c.name() + ": " + c.detail()).toList());
    }
    return ExitCodes.DONE;
  }
}
