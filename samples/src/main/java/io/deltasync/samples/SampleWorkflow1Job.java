package io.deltasync.samples;

import io.deltasync.errors.SyncErrors;
import io.deltasync.spark.Sparks;
import io.deltasync.table.TableLocation;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Databricks job main of sample_workflow_1 (a JAR task). Parses its parameters and runs
 * {@link SampleWorkflow1#run}; throws on failure, never exits (an exit would kill the shared
 * driver). Table options take a Unity Catalog name or a path.
 */
@Command(name = "sample_workflow_1", mixinStandardHelpOptions = true,
    description = "Landing files -> bronze -> silver (a loop of commits) -> gold.")
public final class SampleWorkflow1Job implements Callable<SampleWorkflow1.Result> {

  @Option(names = "--landing", required = true, paramLabel = "DIR",
      description = "Folder of the landing CSV files, e.g. /Volumes/<catalog>/raw/landing/sample_workflow_1")
  String landing;

  @Option(names = "--bronze", required = true, paramLabel = "TABLE") String bronze;

  @Option(names = "--silver", required = true, paramLabel = "TABLE") String silver;

  @Option(names = "--gold", required = true, paramLabel = "TABLE") String gold;

  @Option(names = "--silver-loops", paramLabel = "N", defaultValue = "" + SampleWorkflow1.DEFAULT_SILVER_LOOPS,
      description = "MERGE commits of the silver loop (default: ${DEFAULT-VALUE})")
  int silverLoops;

  @Option(names = "--fail-after-silver-commit", paramLabel = "K",
      description = "Drill hook: stop the run with an error right after silver commit K")
  Integer failAfterSilverCommit;

  /** The picocli command line that parses exactly this job's parameters. */
  public static CommandLine commandLine() {
    return new CommandLine(new SampleWorkflow1Job());
  }

  public static void main(String[] args) throws Exception {
    SampleWorkflow1Job job = JobMains.parse(commandLine(), args);
    if (job != null) {
      job.call();
    }
  }

  @Override
  public SampleWorkflow1.Result call() {
    SampleWorkflow1.Options options = new SampleWorkflow1.Options(silverLoops,
        failAfterSilverCommit == null ? OptionalInt.empty() : OptionalInt.of(failAfterSilverCommit));
    SampleWorkflow1.Tables tables = new SampleWorkflow1.Tables(
        TableLocation.parse(bronze), TableLocation.parse(silver), TableLocation.parse(gold));
    if (landing.isBlank()) {
      throw SyncErrors.usage("--landing is blank: pass the landing folder of sample_workflow_1");
    }
    return SampleWorkflow1.run(Sparks.session(), landing, tables, options);
  }
}
