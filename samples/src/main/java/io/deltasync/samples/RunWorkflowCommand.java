package io.deltasync.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.cli.ConfigOption;
import io.deltasync.cli.ExitCodes;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.local.LocalRunLog;
import io.deltasync.spark.Sparks;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code run-workflow --config FILE --workflow NAME [--region primary|secondary] [--silver-loops N]
 * [--fail-after-silver-commit K] [--new-batch] [--json]}: runs a sample workflow once in embedded
 * mode, on the tables of its sync group in a region folder, as a recorded run of the region's run
 * log ({@code <region>/_runs}) with every commit stamped with the run id, as Databricks records a
 * job run. Exit code 1 when the run failed (it is recorded FAILED), 2 on bad usage.
 */
@Command(
    name = "run-workflow",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a sample workflow once, locally, on its sync group's tables in a region folder,",
      "recording the run in the region's run log and stamping its commits with the run id."
    })
public final class RunWorkflowCommand implements Callable<Integer> {

  /** The region a local run writes to. */
  public enum Region {
    primary,
    secondary
  }

  /**
   * What a recorded local run did.
   *
   * @param runId the run id the run log allocated
   * @param workflow the workflow
   * @param region where it ran
   * @param result the workflow's own result ({@link SampleWorkflow1.Result} or {@link SampleWorkflow2.Result})
   */
  public record Outcome(long runId, String workflow, Region region, Object result) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--workflow", required = true, paramLabel = "NAME",
      description = "sample_workflow_1 or sample_workflow_2 (the group's `workflow`)")
  String workflow;

  @Option(names = "--region", defaultValue = "primary", paramLabel = "REGION",
      description = "primary or secondary (default: ${DEFAULT-VALUE})")
  Region region;

  @Option(names = "--silver-loops", paramLabel = "N",
      description = "sample_workflow_1: MERGE commits of the silver loop (default: 3)")
  Integer silverLoops;

  @Option(names = "--fail-after-silver-commit", paramLabel = "K",
      description = "sample_workflow_1, drills: stop the run with an error right after silver commit K")
  Integer failAfterSilverCommit;

  @Option(names = "--new-batch",
      description = "sample_workflow_1: first drop the next landing batch into both regions' landing"
          + " folders (as file_transfer.sh does)")
  boolean newBatch;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Outcome outcome = run(config.load(), workflow, region, options(), Sparks.session());
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? toJson(outcome) : describe(outcome));
    out.flush();
    return ExitCodes.DONE;
  }

  /** Command-line options of a local run, validated against the workflow. */
  public record RunOptions(OptionalInt silverLoops, OptionalInt failAfterSilverCommit, boolean newBatch) {
    public RunOptions {
      Objects.requireNonNull(silverLoops, "silverLoops");
      Objects.requireNonNull(failAfterSilverCommit, "failAfterSilverCommit");
    }

    public static RunOptions defaults() {
      return new RunOptions(OptionalInt.empty(), OptionalInt.empty(), false);
    }
  }

  private RunOptions options() {
    return new RunOptions(
        silverLoops == null ? OptionalInt.empty() : OptionalInt.of(silverLoops),
        failAfterSilverCommit == null ? OptionalInt.empty() : OptionalInt.of(failAfterSilverCommit),
        newBatch);
  }

  /**
   * Runs {@code workflow} once in {@code region} as a recorded run of that region's run log.
   *
   * @throws Exception the workflow's failure, after the run was recorded FAILED
   */
  public static Outcome run(
      DeltaSyncConfig config, String workflow, Region region, RunOptions options, SparkSession spark)
      throws Exception {
    WorkspaceConfig workspace = config.workspaces().stream()
        .filter(ws -> ws.groups().stream().anyMatch(g -> g.workflow().equals(Optional.of(workflow))))
        .findFirst()
        .orElseThrow(() -> SyncErrors.usage("No sync group in the config has workflow " + workflow
            + ": add a group with \"workflow\": \"" + workflow + "\" and its tables"));
    SyncGroup group = workspace.groups().stream()
        .filter(g -> g.workflow().equals(Optional.of(workflow))).findFirst().orElseThrow();
    LocalRegions regions = workspace.local().orElseThrow(() -> SyncErrors.usage(
        "Workspace " + workspace.name() + " has no local { primary_dir, secondary_dir }: run-workflow"
            + " runs the sample workflows in embedded mode only; on Databricks they run as bundle jobs"));
    String regionDir = region == Region.primary ? regions.primaryDir() : regions.secondaryDir();
    List<TableName> tables = group.tables().stream()
        .map(region == Region.primary ? TableMapping::source : TableMapping::secondary).toList();

    LocalRunLog runLog = new LocalRunLog(regionDir);
    return switch (workflow) {
      case SampleWorkflow1.NAME -> {
        SampleWorkflow1.Tables where = new SampleWorkflow1.Tables(
            location(regionDir, role(workflow, tables, "bronze")),
            location(regionDir, role(workflow, tables, "silver")),
            location(regionDir, role(workflow, tables, "gold")));
        SampleWorkflow1.Options wf1 = new SampleWorkflow1.Options(
            options.silverLoops().orElse(SampleWorkflow1.DEFAULT_SILVER_LOOPS), options.failAfterSilverCommit());
        Path landing = landing(regionDir);
        if (options.newBatch()) {
          int batch = LandingBatches.next(landing);
          LandingBatches.write(landing(regions.primaryDir()), batch);
          LandingBatches.write(landing(regions.secondaryDir()), batch);
        }
        yield runLog.record(workflow, runId -> new Outcome(runId, workflow, region,
            SampleWorkflow1.run(spark, landing.toString(), where, wf1)));
      }
      case SampleWorkflow2.NAME -> {
        if (options.silverLoops().isPresent() || options.failAfterSilverCommit().isPresent()
            || options.newBatch()) {
          throw SyncErrors.usage("sample_workflow_2 has no silver loop and no landing folder:"
              + " --silver-loops, --fail-after-silver-commit and --new-batch apply to sample_workflow_1 only");
        }
        SampleWorkflow2.Tables where = new SampleWorkflow2.Tables(
            location(regionDir, role(workflow, tables, "readings")),
            location(regionDir, role(workflow, tables, "daily")));
        yield runLog.record(workflow, runId -> new Outcome(runId, workflow, region,
            SampleWorkflow2.run(spark, where, SampleWorkflow2.Options.nextDay())));
      }
      default -> throw SyncErrors.sampleWorkflowUnknown(workflow);
    };
  }

  /** The landing folder of sample_workflow_1 in a region folder. */
  public static Path landing(String regionDir) {
    return Path.of(regionDir, "_landing", SampleWorkflow1.NAME);
  }

  private static TableName role(String workflow, List<TableName> tables, String role) {
    List<TableName> matches = tables.stream().filter(t -> t.table().endsWith(role)).toList();
    if (matches.size() != 1) {
      throw SyncErrors.sampleTableRoleMissing(workflow, role, tables);
    }
    return matches.get(0);
  }

  private static TableLocation location(String regionDir, TableName table) {
    return TableLocation.path(regionDir + "/" + table.relativePath());
  }

  private static String describe(Outcome outcome) {
    String what;
    if (outcome.result() instanceof SampleWorkflow1.Result r) {
      what = (r.pendingBatches().isEmpty() ? "no new batch"
          : "batches " + String.join(", ", r.pendingBatches())) + ", " + r.bronzeRowsAdded()
          + " new landing rows, " + r.silverCommits() + " silver commits, gold through "
          + (r.throughBatch().isEmpty() ? "no batch" : r.throughBatch());
    } else if (outcome.result() instanceof SampleWorkflow2.Result r) {
      what = "day " + r.day() + ", " + r.readings() + " readings";
    } else {
      what = String.valueOf(outcome.result());
    }
    return outcome.workflow() + " run " + outcome.runId() + " in " + outcome.region() + " succeeded: " + what;
  }

  private static String toJson(Outcome outcome) {
    ObjectNode node = JSON.createObjectNode();
    node.put("run_id", outcome.runId());
    node.put("workflow", outcome.workflow());
    node.put("region", outcome.region().name());
    node.put("result", "SUCCESS");
    node.set("details", JSON.valueToTree(outcome.result()));
    return node.toString();
  }
}
