package io.deltasync.receiver;

import io.deltasync.cli.StatusCommand;
import picocli.CommandLine;

/**
 * The status job (a JAR task, scheduled in both regions): parameters {@code --config FILE [--group
 * G] [--json] [--alert]}, the same code as {@code deltasync status}. The bundle passes {@code
 * --alert}, so the job sends LAG and RECOVERED notifications and keeps their state next to the
 * ledger; the laptop command stays read-only unless asked. A report is never a failure (an
 * unreachable primary or a failed notification is in the report); a bad config throws. Never
 * calls {@code System.exit} (it would kill the shared driver).
 */
public final class StatusJob {

  private StatusJob() {}

  /**
   * The command line that parses exactly the job's parameters: the command's options without the
   * interactive {@code --help}/{@code --version}.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new StatusCommand());
    CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
    for (CommandLine.Model.OptionSpec option : java.util.List.copyOf(spec.options())) {
      if (option.usageHelp() || option.versionHelp()) {
        spec.remove(option);
      }
    }
    return cli;
  }

  public static void main(String[] args) throws Exception {
    DrJobMains.run(commandLine(), args);
  }
}
