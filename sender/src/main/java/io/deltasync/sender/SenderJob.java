package io.deltasync.sender;

import io.deltasync.cli.SendCommand;
import picocli.CommandLine;

/**
 * The sender's Databricks job entry point (primary region): the same options and the same code as
 * {@code deltasync send}. It throws on failure and never calls {@code System.exit}, which would
 * kill the shared driver.
 */
public final class SenderJob {

  private SenderJob() {}

  /** {@code --config FILE [--group G] [--dry-run] [--json]}. */
  public static void main(String[] args) {
    CommandLine cli = commandLine();
    cli.parseArgs(args);
    SendCommand command = cli.getCommand();
    command.call();
  }

  /** The command line that parses exactly the job's parameters. */
  public static CommandLine commandLine() {
    return new CommandLine(new SendCommand());
  }
}
