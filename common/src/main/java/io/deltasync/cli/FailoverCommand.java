package io.deltasync.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.failover.DrNotices;
import io.deltasync.failover.DrReports;
import io.deltasync.failover.FailoverReport;
import io.deltasync.ledger.Region;
import io.deltasync.notify.Notifications;
import io.deltasync.runtime.DrEngines;
import io.deltasync.runtime.SecretProviders;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code failover --config FILE [--json]}: brings the secondary region up at the last consistent
 * point of every group (see {@link io.deltasync.failover.Failover}). The failover job in the
 * secondary workspace runs the same code.
 */
@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    description = {
      "Fails over to the secondary region: pauses the primary's workflows and sender (best effort,"
          + " retried every sync_failover_interval_mins until failover_deadline_mins), applies any"
          + " partly applied sync point, reports each group's recovery point and RPO, unpauses the"
          + " groups' workflows in the secondary and pauses its receiver.",
      "Exit code 0 when every group was promoted, 1 when some were not (the report says why)."
    })
public final class FailoverCommand implements Callable<Integer> {

  static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Mixin RegionOption region;

  @Option(names = "--json", description = "Print the report as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() {
    if (region.orElse(Region.SECONDARY) != Region.SECONDARY) {
      throw SyncErrors.usage("failover runs in the secondary region, the one it promotes; it"
          + " reaches the primary only through its Jobs API: use --region secondary");
    }
    DeltaSyncConfig loaded = region.confine(config.load(), Region.SECONDARY);
    FailoverReport report = DrEngines.forRuntime().failover().build().run(loaded);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(DrReports.json(report)));
    } else {
      DrReports.print(report, out);
    }
    out.flush();
    // After the report: a slow mail server must not hold back what the operator needs to read.
    DrNotices.send(DrNotices.events(report),
        Notifications.byWorkspace(loaded, SecretProviders.forRuntime()));
    List<String> problems = DrReports.problems(report);
    if (!problems.isEmpty()) {
      throw SyncErrors.failoverIncomplete(problems);
    }
    return ExitCodes.DONE;
  }

  static String toJson(Object value) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
