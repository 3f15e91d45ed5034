package io.deltasync.cli;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.ledger.Region;
import io.deltasync.runtime.SecretProviders;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.Selection;
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
 * {@code receive --config FILE [--region R] [--group G[,G...]] [--json]}: one receiver cycle. The
 * receiver job ({@code io.deltasync.receiver.ReceiverJob}) parses exactly these options and runs
 * this code, in both regions: in the secondary it applies the forward sync points; in the primary
 * it is failback's reverse receive.
 */
@Command(
    name = "receive",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one receiver cycle: applies each group's newest staged sync point to the registered",
      "secondary tables, at the staging versions the sync point recorded.",
      "In the primary region (--region primary) it is failback's reverse receive: the staged",
      "secondary state replaces the primary tables.",
      "Exit code 1 when any group failed (every failed group is named on stderr)."
    })
public final class ReceiveCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Mixin RegionOption region;

  @Option(names = "--group", paramLabel = "G", split = ",",
      description = "Only these sync groups (repeat, or separate with commas).")
  List<String> groups = new ArrayList<>();

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() {
    DeltaSyncConfig loaded = Selection.only(config.load(), groups);
    SecretProvider secrets = SecretProviders.forRuntime();
    CycleResult result;
    if (region.orElse(Region.SECONDARY) == Region.PRIMARY) {
      result = SyncWiring.reverseSync(loaded, secrets).receive(loaded);
    } else {
      DeltaSyncConfig confined = region.confine(loaded, Region.SECONDARY);
      result = SyncWiring.receiver(confined, secrets).run(confined, Optional.empty());
    }
    CycleReport.print(spec.commandLine().getOut(), result, json);
    result.throwIfFailed();
    return ExitCodes.DONE;
  }
}
