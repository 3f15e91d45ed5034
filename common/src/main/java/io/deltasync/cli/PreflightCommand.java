package io.deltasync.cli;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.ledger.Region;
import io.deltasync.preflight.PreflightReport;
import io.deltasync.runtime.PreflightWiring;
import io.deltasync.sync.RegionWalls;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code preflight --region primary|secondary --config FILE [--json]}: checks, from the region it
 * runs in, what the sync and a failover will need ({@link io.deltasync.preflight.Preflight}). One
 * line per check, OK, WARN or FAIL with the fix; exit code 1 when any check failed.
 */
@Command(
    name = "preflight",
    mixinStandardHelpOptions = true,
    description = {
      "Checks, from the region it runs in, what the sync and a failover need: secrets, both"
          + " Jobs APIs and the permissions on every job failover and failback switch, this"
          + " region's tables, the staging and ledger locations, the tables' retention, and drift"
          + " between the two workspaces' jobs and between the tables and their staged copies.",
      "One line per check: OK, WARN or FAIL with the fix. Exit code 1 when any check failed,"
          + " 2 for a bad config."
    })
public final class PreflightCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--region", required = true, paramLabel = "primary|secondary",
      converter = RegionConverter.class,
      description = "The region this runs in; it resolves table names only there.")
  Region region;

  @Option(names = "--json", description = "Print the report as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() {
    DeltaSyncConfig loaded = RegionWalls.confine(config.load(), region);
    PreflightReport report = PreflightWiring.forRuntime().run(loaded, region);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(StatusCommand.toJson(report.json()));
    } else {
      report.lines().forEach(out::println);
    }
    out.flush();
    return report.failed() ? ExitCodes.FAILED : ExitCodes.DONE;
  }
}
