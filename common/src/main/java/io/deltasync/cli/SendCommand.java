package io.deltasync.cli;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.runtime.SecretProviders;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.Sender;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code send --config FILE [--group G] [--dry-run] [--json]}: one sender cycle. The sender job
 * ({@code io.deltasync.sender.SenderJob}) parses exactly these options and runs this code.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one sender cycle: pins each group's tables to the end of its workflow's last",
      "successful run, clones them into staging and records the group's sync point.",
      "Exit code 1 when any group failed (every failed group is named on stderr)."
    })
public final class SendCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--group", paramLabel = "G", description = "Only this sync group.")
  String group;

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
    DeltaSyncConfig loaded = config.load();
    Sender sender = SyncWiring.sender(loaded, SecretProviders.forRuntime());
    Sender.Request request = new Sender.Request(Optional.ofNullable(group), dryRun);
    CycleResult result = sender.run(loaded, request);
    CycleReport.print(spec.commandLine().getOut(), result, json);
    if (!dryRun) {
      SyncWiring.maintainLedgers(loaded, Duration.ofHours(maintainEveryHours),
          Duration.ofHours(stagingRetentionHours));
    }
    result.throwIfFailed();
    return ExitCodes.DONE;
  }
}
