package io.deltasync.receiver;

import io.deltasync.errors.SyncErrors;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** Argument handling shared by the failover, failback and status job mains. */
final class DrJobMains {

  private DrJobMains() {}

  /**
   * Parses {@code args} with the job's command line and runs the command; prints help instead
   * when asked. Bad parameters become a usage error naming them. Throws on failure, never exits.
   */
  static void run(CommandLine cli, String[] args) throws Exception {
    CommandLine.ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw SyncErrors.usage(cli.getCommandName() + ": " + e.getMessage() + "; see --help");
    }
    if (CommandLine.printHelpIfRequested(parsed)) {
      return;
    }
    Callable<?> command = cli.getCommand();
    command.call();
  }
}
