package io.deltasync.cli;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.ledger.Region;
import io.deltasync.runtime.OpsWiring;
import io.deltasync.sync.RegionWalls;
import io.deltasync.verify.VerifyReport;
import io.deltasync.verify.VerifyText;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verify --config FILE [--group G] [--json]}: compares each secondary table of each group's
 * last applied sync point with staging and the primary at the recorded versions (schema, row count,
 * content checksum). Prints the report on stdout; exit code 1 (with every problem on stderr) when
 * anything differs or could not be compared.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Compares each table of each group's last applied sync point with staging (at the recorded"
          + " staging version) and the primary (at the recorded source version, when reachable):"
          + " schema, row count and an order-independent content checksum.",
      "Exit code 0 when everything matches (or nothing was applied yet), 1 when anything differs"
          + " or could not be read, 2 for a bad config."
    })
public final class VerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--region", paramLabel = "secondary", converter = RegionConverter.class,
      description = "Run as a job of the secondary region: compare with staging only. Without it,"
          + " in embedded mode, also compare with the primary's folder (an observer's view).")
  Region region;

  @Option(names = "--group", paramLabel = "G", description = "Only this sync group.")
  String group;

  @Option(names = "--json", description = "Print the report as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() {
    DeltaSyncConfig loaded = config.load();
    if (region == Region.PRIMARY) {
      throw SyncErrors.usage("verify checks the secondary tables, so it runs in the secondary"
          + " region: use --region secondary");
    }
    if (region != null) {
      loaded = RegionWalls.confine(loaded, region);
    }
    VerifyReport report = OpsWiring.verify().verify(loaded, Optional.ofNullable(group));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(StatusCommand.toJson(VerifyText.json(report)));
    } else {
      VerifyText.lines(report).forEach(out::println);
    }
    out.flush();
    if (report.failed()) {
      throw SyncErrors.verifyFailed(report.problems());
    }
    return ExitCodes.DONE;
  }
}
