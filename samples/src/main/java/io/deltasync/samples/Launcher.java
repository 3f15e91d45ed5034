package io.deltasync.samples;

/**
 * The local launcher's main, run by {@code ./deltasync}: the engine's commands plus the
 * launcher-only ones (demo and bench, added by their issues). The only main that calls
 * {@code System.exit}; Databricks job mains throw instead, since an exit kills the shared driver.
 */
public final class Launcher {

  private Launcher() {}

  /** The launcher-only subcommands, added to the engine's. */
  static Object[] launcherCommands() {
    return new Object[] {
      new RunWorkflowCommand(),
      new io.deltasync.samples.demo.DemoCommand(),
      new io.deltasync.samples.drill.DrillCommand(),
      new io.deltasync.samples.bench.BenchCommand(),
      new io.deltasync.samples.workspace.WorkspaceCommand(),
    };
  }

  public static void main(String[] args) {
    System.exit(LauncherOutput.execute(args, System.out, System.err, launcherCommands()));
  }
}
