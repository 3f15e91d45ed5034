package io.deltasync.cli;

import io.deltasync.errors.SyncException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code deltasync} command line, shared by the local launcher and the Databricks job mains: a
 * job's main parses the same options and runs the same code.
 *
 * <p>Exit codes: {@link ExitCodes#DONE}, {@link ExitCodes#FAILED} when the operation failed,
 * {@link ExitCodes#USAGE} for bad usage or bad config, with the reason on stderr.
 */
@Command(
    name = "deltasync",
    mixinStandardHelpOptions = true,
    versionProvider = DeltaSyncCli.Version.class,
    description = "Keeps a secondary region at the last completed state of each workflow.",
    subcommands = {
      CommandLine.HelpCommand.class,
      CheckCommand.class,
      CloneCommand.class,
      SendCommand.class,
      ReceiveCommand.class,
      StatusCommand.class,
      VerifyCommand.class,
      FailoverCommand.class,
      FailbackCommand.class,
      PreflightCommand.class,
    })
public final class DeltaSyncCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: see --help");
  }

  /**
   * A command line with the engine's commands and any extra ones (the launcher adds demo and
   * bench), wired to deltasync's exit codes and error reporting.
   */
  public static CommandLine commandLine(Object... extraSubcommands) {
    CommandLine cli = new CommandLine(new DeltaSyncCli());
    for (Object subcommand : extraSubcommands) {
      cli.addSubcommand(subcommand);
    }
    cli.setExecutionExceptionHandler(DeltaSyncCli::reportFailure);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  /** Runs one command and returns its exit code; never calls {@code System.exit}. */
  public static int execute(String[] args, Object... extraSubcommands) {
    return commandLine(extraSubcommands).execute(args);
  }

  private static int reportFailure(
      Exception failure, CommandLine cli, CommandLine.ParseResult parseResult) {
    PrintWriter err = cli.getErr();
    if (failure instanceof SyncException sync) {
      err.println("deltasync: " + sync.getMessage());
      err.flush();
      return sync.kind().exitCode();
    }
    err.println("deltasync: " + cli.getCommandName() + " failed: " + failure);
    failure.printStackTrace(err);
    err.flush();
    return ExitCodes.FAILED;
  }

  /** The version from the jar's manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = DeltaSyncCli.class.getPackage().getImplementationVersion();
      return new String[] {"deltasync " + (version == null ? "dev" : version)};
    }
  }
}
