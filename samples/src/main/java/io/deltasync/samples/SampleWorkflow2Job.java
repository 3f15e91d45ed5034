package io.deltasync.samples;

import io.deltasync.spark.Sparks;
import io.deltasync.table.TableLocation;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Databricks job main of sample_workflow_2 (a JAR task): parses its parameters and runs
 * {@link SampleWorkflow2#run}; throws on failure, never exits.
 */
@Command(name = "sample_workflow_2", mixinStandardHelpOptions = true,
    description = "Sensor readings of the next day -> daily statistics.")
public final class SampleWorkflow2Job implements Callable<SampleWorkflow2.Result> {

  @Option(names = "--readings", required = true, paramLabel = "TABLE") String readings;

  @Option(names = "--daily", required = true, paramLabel = "TABLE") String daily;

  @Option(names = "--day", paramLabel = "D",
      description = "Day to (re)process; default: the day after the daily table's last day")
  Integer day;

  /** The picocli command line that parses exactly this job's parameters. */
  public static CommandLine commandLine() {
    return new CommandLine(new SampleWorkflow2Job());
  }

  public static void main(String[] args) throws Exception {
    SampleWorkflow2Job job = JobMains.parse(commandLine(), args);
    if (job != null) {
      job.call();
    }
  }

  @Override
  public SampleWorkflow2.Result call() {
    SampleWorkflow2.Options options =
        new SampleWorkflow2.Options(day == null ? OptionalInt.empty() : OptionalInt.of(day));
    SampleWorkflow2.Tables tables = new SampleWorkflow2.Tables(
        TableLocation.parse(readings), TableLocation.parse(daily));
    return SampleWorkflow2.run(Sparks.session(), tables, options);
  }
}
