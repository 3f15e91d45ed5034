package io.deltasync.samples;

import io.deltasync.cli.DeltaSyncCli;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;

/**
 * The launcher's output modes. By default: the result on stdout, logs and progress on stderr, and
 * per-group cycle progress ({@link io.deltasync.status.CycleProgress}) when the {@code deltasync}
 * script found stderr to be a terminal ({@value #PROGRESS_PROPERTY}). With the global
 * {@value #QUIET}, anywhere on the command line: only the result (stdout) and, when the command
 * fails, its error message (stderr); no log line, no progress.
 */
public final class LauncherOutput {

  /** The global option. */
  public static final String QUIET = "--quiet";
  /** The system property that turns cycle progress on (set by the script when stderr is a tty). */
  public static final String PROGRESS_PROPERTY = io.deltasync.runtime.SyncWiring.PROGRESS_PROPERTY;

  private LauncherOutput() {}

  /** Runs the command {@code args} names with the launcher's commands; returns its exit code. */
  public static int execute(String[] args, PrintStream out, PrintStream err, Object... commands) {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean quiet = rest.removeIf(QUIET::equals);
    CommandLine cli = DeltaSyncCli.commandLine(commands);
    cli.setOut(new PrintWriter(out, true));
    PrintWriter errors = new PrintWriter(err, true);
    cli.setErr(errors);
    if (quiet) {
      quiet(cli, errors);
    }
    return cli.execute(rest.toArray(String[]::new));
  }

  /** Silences logs, progress and anything a command writes to stderr, except its failure. */
  private static void quiet(CommandLine cli, PrintWriter errors) {
    Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.OFF);
    System.clearProperty(PROGRESS_PROPERTY);
    cli.setErr(new PrintWriter(OutputStream.nullOutputStream()));
    CommandLine.IExecutionExceptionHandler failures = cli.getExecutionExceptionHandler();
    cli.setExecutionExceptionHandler((failure, command, parsed) -> {
      command.setErr(errors);
      return failures.handleExecutionException(failure, command, parsed);
    });
    CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
    cli.setParameterExceptionHandler((problem, args) -> {
      problem.getCommandLine().setErr(errors);
      return usage.handleParseException(problem, args);
    });
  }
}
