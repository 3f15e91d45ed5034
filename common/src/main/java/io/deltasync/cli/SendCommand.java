package io.deltasync.cli;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.ledger.Region;
import io.deltasync.runtime.SecretProviders;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.Selection;
import io.deltasync.sync.Sender;
import java.time.Duration;
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
 * {@code send --config FILE [--region R] [--group G[,G...]] [--dry-run] [--json]}: one sender
 * cycle. The sender job ({@code io.deltasync.sender.SenderJob}) parses exactly these options and
 * runs this code, in both regions: in the primary it syncs primary to secondary; in the secondary
 * it is failback's reverse send.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one sender cycle: pins each group's tables to the end of its workflow's last",
      "successful run, clones them into staging and records the group's sync point.",
      "In the secondary region (--region secondary) it is failback's reverse send: the",
      "secondary's last completed state, staged under sync_location_primary.",
      "Exit code 1 when any group failed (every failed group is named on stderr)."
    })
public final class SendCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Mixin RegionOption region;

  @Option(names = "--group", paramLabel = "G", split = ",",
      description = "Only these sync groups (repeat, or separate with commas).")
  List<String> groups = new ArrayList<>();

  @Option(names = "--dry-run", description = "Print the plan (run, versions, bytes); change nothing.")
  boolean dryRun;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Option(names = "--maintain-every-hours", paramLabel = "H", defaultValue = "24",
      description = "Compact the ledger and vacuum staging at most every H hours (default 24).")
  long maintainEveryHours;

  @Option(names = "--staging-retention-hours", paramLabel = "H", defaultValue = "168",
      description = "Keep staging files no sync point needs for H hours before VACUUM deletes"
          + " them (default 168).")
  long stagingRetentionHours;

  @Override
  public Integer call() {
    DeltaSyncConfig loaded = Selection.only(config.load(), groups);
    SecretProvider secrets = SecretProviders.forRuntime();
    CycleResult result;
    if (region.orElse(Region.PRIMARY) == Region.SECONDARY) {
      if (dryRun) {
        throw io.deltasync.errors.SyncErrors.usage(
            "--dry-run plans the forward send only; drop it, or run in the primary region");
      }
      result = SyncWiring.reverseSync(loaded, secrets).send(loaded);
    } else {
      DeltaSyncConfig confined = region.confine(loaded, Region.PRIMARY);
      Sender sender = SyncWiring.sender(confined, secrets);
      result = sender.run(confined, new Sender.Request(Optional.empty(), dryRun));
    }
    CycleReport.print(spec.commandLine().getOut(), result, json);
    if (!dryRun) {
      SyncWiring.maintainLedgers(loaded, Duration.ofHours(maintainEveryHours),
          Duration.ofHours(stagingRetentionHours));
    }
    result.throwIfFailed();
    return ExitCodes.DONE;
  }
}
