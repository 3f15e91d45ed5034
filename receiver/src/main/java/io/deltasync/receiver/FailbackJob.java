package io.deltasync.receiver;

import io.deltasync.cli.FailbackCommand;
import picocli.CommandLine;

/**
 * The failback job (a JAR task): parameters {@code --config FILE [--json]}, the same code as
 * {@code deltasync failback}. Throws when a step fails (the primary then stays paused); never calls
 * {@code System.exit}.
 */
public final class FailbackJob {

  private FailbackJob() {}

  /** The picocli command line that parses exactly this job's parameters. */
  public static CommandLine commandLine() {
    return new CommandLine(new FailbackCommand());
  }

  public static void main(String[] args) throws Exception {
    DrJobMains.run(commandLine(), args);
  }
}
