package io.deltasync.cli;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.runtime.SecretProviders;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.sync.CycleResult;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code receive --config FILE [--group G] [--json]}: one receiver cycle. The receiver job
 * ({@code io.deltasync.receiver.ReceiverJob}) parses exactly these options and runs this code.
 */
@Command(
    name = "receive",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one receiver cycle: applies each group's newest staged sync point to the registered",
      "secondary tables, at the staging versions the sync point recorded.",
      "Exit code 1 when any group failed (every failed group is named on stderr)."
    })
public final class ReceiveCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--group", paramLabel = "G", description = "Only this sync group.")
  String group;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() {
    DeltaSyncConfig loaded = config.load();
    CycleResult result = SyncWiring.receiver(loaded, SecretProviders.forRuntime())
        .run(loaded, Optional.ofNullable(group));
    CycleReport.print(spec.commandLine().getOut(), result, json);
    result.throwIfFailed();
    return ExitCodes.DONE;
  }
}
