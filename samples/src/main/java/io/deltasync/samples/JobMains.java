package io.deltasync.samples;

import io.deltasync.errors.SyncErrors;
import picocli.CommandLine;

/** Argument parsing shared by the sample job mains. */
final class JobMains {

  private JobMains() {}

  /**
   * Parses a job's parameters into its command object; null when only help or the version was
   * asked for (printed on stdout). Bad parameters become a usage error naming them.
   */
  static <T> T parse(CommandLine cli, String[] args) {
    CommandLine.ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw SyncErrors.usage(cli.getCommandName() + ": " + e.getMessage() + "; see --help");
    }
    if (CommandLine.printHelpIfRequested(parsed)) {
      return null;
    }
    return cli.getCommand();
  }
}
