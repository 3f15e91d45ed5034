package io.deltasync.receiver;

import io.deltasync.cli.KeepPrimaryDrillCommand;
import picocli.CommandLine;

/**
 * The keep-primary drill job in the secondary workspace (a JAR task): parameters {@code --config
 * FILE [--dir DIR]}, the same code as the launcher's {@code deltasync drill --keep-primary}. The
 * report goes to the run's output (and to DIR, e.g. a Unity Catalog volume, when given). Throws
 * when the drill found a problem or the config is bad; never calls {@code System.exit}.
 */
public final class DrillJob {

  private DrillJob() {}

  /** The picocli command line that parses exactly this job's parameters. */
  public static CommandLine commandLine() {
    return new CommandLine(new KeepPrimaryDrillCommand());
  }

  public static void main(String[] args) throws Exception {
    DrJobMains.run(commandLine(), args);
  }
}
