package io.deltasync.receiver;

import io.deltasync.cli.FailoverCommand;
import picocli.CommandLine;

/**
 * The failover job in the secondary workspace (a JAR task): parameters {@code --config FILE
 * [--json]}, the same code as {@code deltasync failover}. Throws when a group could not be
 * promoted or the config is bad; never calls {@code System.exit} (it would kill the shared driver).
 */
public final class FailoverJob {

  private FailoverJob() {}

  /** The picocli command line that parses exactly this job's parameters. */
  public static CommandLine commandLine() {
    return new CommandLine(new FailoverCommand());
  }

  public static void main(String[] args) throws Exception {
    DrJobMains.run(commandLine(), args);
  }
}
