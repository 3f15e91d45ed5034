package io.deltasync.receiver;

import io.deltasync.cli.ReceiveCommand;
import picocli.CommandLine;

/**
 * The receiver's Databricks job entry point (secondary region): the same options and the same code
 * as {@code deltasync receive}. It throws on failure and never calls {@code System.exit}, which
 * would kill the shared driver.
 */
public final class ReceiverJob {

  private ReceiverJob() {}

  /** {@code --config FILE [--group G] [--json]}. */
  public static void main(String[] args) {
    CommandLine cli = commandLine();
    cli.parseArgs(args);
    ReceiveCommand command = cli.getCommand();
    command.call();
  }

  /** The command line that parses exactly the job's parameters. */
  public static CommandLine commandLine() {
    return new CommandLine(new ReceiveCommand());
  }
}
