package io.deltasync.receiver;

import io.deltasync.cli.PreflightCommand;
import io.deltasync.errors.SyncErrors;
import picocli.CommandLine;

/**
 * The preflight job (a JAR task, in both regions): parameters {@code --config FILE --region
 * primary|secondary [--json]}, the same code as {@code deltasync preflight}. Its run output has one
 * line per check; the run fails when any check failed, so the job's failure mail reaches the
 * on-call list. Never calls {@code System.exit} (it would kill the shared driver).
 */
public final class PreflightJob {

  private PreflightJob() {}

  /**
   * The command line that parses exactly the job's parameters: the command's options without the
   * interactive {@code --help}/{@code --version}.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new PreflightCommand());
    CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
    for (CommandLine.Model.OptionSpec option : java.util.List.copyOf(spec.options())) {
      if (option.usageHelp() || option.versionHelp()) {
        spec.remove(option);
      }
    }
    return cli;
  }

  public static void main(String[] args) throws Exception {
    CommandLine cli = commandLine();
    CommandLine.ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw SyncErrors.usage(cli.getCommandName() + ": " + e.getMessage() + "; see --help");
    }
    if (CommandLine.printHelpIfRequested(parsed)) {
      return;
    }
    PreflightCommand command = cli.getCommand();
    if (command.call() != 0) {
      throw SyncErrors.preflightFailed();
    }
  }
}
