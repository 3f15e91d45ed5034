package io.deltasync.samples.demo;

import io.deltasync.errors.SyncException;
import io.deltasync.local.LocalRunLog;
import io.deltasync.samples.SampleWorkflow1;
import io.deltasync.spark.Sparks;
import io.deltasync.table.TableLocation;
import java.time.Clock;
import org.apache.hadoop.conf.Configuration;

/**
 * The demo's killed run, in a JVM of its own: records a run of sample_workflow_1 in the primary's
 * run log, and right after silver commit K halts the JVM ({@code Runtime.halt}, as a killed
 * driver: no finally block, no run-log update). The run log keeps the run RUNNING and silver keeps
 * K of its loop's commits, stamped with the run's id.
 *
 * <p>Arguments: {@code primaryDir landingDir bronze silver gold silverLoops killAfterCommit}.
 */
public final class KilledRun {

  /** The exit status of the halted JVM, as a shell reports a SIGKILLed process. */
  public static final int KILLED = 137;

  private KilledRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 7) {
      System.err.println("usage: KilledRun primaryDir landingDir bronze silver gold silverLoops"
          + " killAfterCommit");
      System.exit(2);
    }
    SampleWorkflow1.Tables tables = new SampleWorkflow1.Tables(TableLocation.parse(args[2]),
        TableLocation.parse(args[3]), TableLocation.parse(args[4]));
    SampleWorkflow1.Options options = SampleWorkflow1.Options.defaults()
        .withSilverLoops(Integer.parseInt(args[5]))
        .failingAfterSilverCommit(Integer.parseInt(args[6]));
    LocalRunLog log = new LocalRunLog(args[0], new Configuration(), Clock.systemUTC(), Sparks::session);
    log.record(SampleWorkflow1.NAME, runId -> {
      try {
        return SampleWorkflow1.run(Sparks.session(), args[1], tables, options);
      } catch (SyncException stopped) {
        if (!stopped.getMessage().contains("stopped on purpose")) {
          throw stopped; // a real failure: recorded FAILED, exit 1
        }
        System.out.println("KILLED run " + runId + " after silver commit " + args[6] + " of " + args[5]);
        System.out.flush();
        Runtime.getRuntime().halt(KILLED);
        return null;
      }
    });
    System.exit(1); // the hook did not fire: the run completed, which the demo counts as a failure
  }
}
