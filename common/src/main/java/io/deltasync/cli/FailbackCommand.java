package io.deltasync.cli;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.failover.DrNotices;
import io.deltasync.failover.DrReports;
import io.deltasync.failover.FailbackReport;
import io.deltasync.ledger.Region;
import io.deltasync.notify.Notifications;
import io.deltasync.runtime.DrEngines;
import io.deltasync.runtime.SecretProviders;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code failback --config FILE [--json]}: returns to the primary region (see
 * {@link io.deltasync.failover.Failback}). The failback job runs the same code.
 */
@Command(
    name = "failback",
    mixinStandardHelpOptions = true,
    description = {
      "Fails back to the primary region: pauses the secondary's workflows, syncs the secondary's"
          + " last completed state to the primary with the same engine (staging under"
          + " sync_location_primary), then unpauses the primary's workflows and sender and returns"
          + " the secondary to standby (receiver unpaused, reverse sender paused).",
      "The primary's workflows stay paused unless its tables hold the secondary's state.",
      "Exit code 0 when done, 1 when a step failed (the message says which and what to do)."
    })
public final class FailbackCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Mixin RegionOption region;

  @Option(names = "--json", description = "Print the report as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() {
    if (region.orElse(Region.SECONDARY) != Region.SECONDARY) {
      throw SyncErrors.usage("failback runs in the secondary region, whose tables it reads; it"
          + " starts the reverse receive in the primary through that workspace's Jobs API: use"
          + " --region secondary");
    }
    DeltaSyncConfig loaded = config.load();
    // Embedded without local.jobs_api, this process runs both halves, each confined to its region;
    // otherwise it reads only the secondary's tables and starts the halves as jobs.
    boolean inProcess = loaded.workspaces().stream().allMatch(WorkspaceConfig::halvesInProcess);
    DeltaSyncConfig view = inProcess ? loaded : region.confine(loaded, Region.SECONDARY);
    FailbackReport report = DrEngines.forRuntime().failback(view).build().run(view);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(FailoverCommand.toJson(DrReports.json(report)));
    } else {
      DrReports.print(report, out);
    }
    out.flush();
    // After the report: a slow mail server must not hold back what the operator needs to read.
    DrNotices.send(DrNotices.events(report),
        Notifications.byWorkspace(loaded, SecretProviders.forRuntime()));
    List<String> problems = DrReports.problems(report);
    if (!problems.isEmpty()) {
      throw SyncErrors.failbackIncomplete(problems);
    }
    return ExitCodes.DONE;
  }
}
