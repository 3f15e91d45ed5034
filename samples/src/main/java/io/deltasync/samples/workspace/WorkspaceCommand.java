package io.deltasync.samples.workspace;

import io.deltasync.samples.RunWorkflowCommand.Region;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code workspace --region primary|secondary --spec FILE}: serves one simulated workspace
 * ({@link LocalWorkspace}) until the process is terminated. The demo starts one per region.
 */
@Command(
    name = "workspace",
    mixinStandardHelpOptions = true,
    description = {
      "Serves one simulated Databricks workspace: its Jobs API on a loopback port, with its own",
      "principals, tokens (from DELTASYNC_SECRET_* variables) and job permissions, running its",
      "jobs on its own region's tables. Runs until terminated; writes the spec's ready file."
    })
public final class WorkspaceCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--region", required = true, paramLabel = "REGION",
      description = "The workspace's region: primary or secondary.")
  Region region;

  @Option(names = "--spec", required = true, paramLabel = "FILE",
      description = "The workspace spec (JSON, as WorkspaceSpec writes it).")
  Path specFile;

  @Override
  public Integer call() throws Exception {
    LocalWorkspace.serve(specFile, region, spec.commandLine().getOut());
    return 0;
  }
}
