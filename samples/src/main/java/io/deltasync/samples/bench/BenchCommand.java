package io.deltasync.samples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.cli.ExitCodes;
import io.deltasync.errors.SyncErrors;
import io.deltasync.spark.Sparks;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bench [egress|clone|plan|wide|ledger|placement] [--json]}: deltasync's benchmarks, each printing a table (or
 * JSON on stdout) with its target and PASS/MISS. Progress goes to stderr. Exit code 1 when a
 * target was missed.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a benchmark and prints its figures against its target:",
      "  egress  bytes sent over 20 workflow runs against storage replication, full copies and the"
          + " minimum (target: <= 1.05x the minimum)",
      "  clone   the portable cloner against cp -r and hadoop distcp, no-change and 1%%-changed"
          + " re-clones",
      "  plan    one sender cycle over 200 groups x 5 tables with nothing new, Jobs API +50 ms per"
          + " call (target: < 10 s, one runs-list call per workflow)",
      "  wide    clones of a 1,000,000-file table (--files N): first, 1%% changed, no change, with"
          + " the driver's peak live heap (target: <= 1 GiB for the re-clones; run with -Xmx2g)",
      "  ledger  the sender's ledger read and failover's ledger time on a year-old and a"
          + " week-old ledger of 200 groups x 5 tables (targets: <= 2 s and <= 5 s on both)",
      "  placement  first clones of 10 to 5,000 files copied on the driver and on the executors:"
          + " the measured file count from which the executors pay off (target: the configured"
          + " threshold lies in the measured bracket)",
      "  rpo     event-driven sync on the two simulated workspaces: per run of sample_workflow_2,"
          + " trigger wait, pinning, copy, commit, doorbell wait, apply and RPO, against the cron"
          + " set-up (target: median RPO <= median copy + 60 s)",
      "Exit code 0 when the target was met, 1 when it was missed."
    })
public final class BenchCommand implements Callable<Integer> {

  /** The benchmarks. */
  public enum Which { egress, clone, plan, wide, ledger, placement, rpo }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BENCH", description = "egress, clone, plan, wide, ledger, placement or rpo")
  Which which;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Working folder, wiped at start (default: .deltasync/bench/<BENCH>).")
  Path dir;

  @Option(names = "--json", description = "Print the figures as JSON on stdout.")
  boolean json;

  @Option(names = "--files", paramLabel = "N",
      description = "bench wide: the table's number of files (default: 1000000).")
  Integer files;

  @Option(names = "--in-process",
      description = "bench wide: run Spark's tasks in this JVM (local[2]) instead of executors in"
          + " JVMs of their own (local-cluster[2,1,3072]); the heap measured then holds them too.")
  boolean inProcess;

  @Option(names = "--runs", paramLabel = "N",
      description = "bench rpo: the workflow runs measured (default: 7).")
  Integer runs;

  @Option(names = "--days", paramLabel = "N", split = ",",
      description = "bench ledger: the ledgers' ages in days (default: 7,365).")
  List<Integer> days;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path work = dir != null ? dir : Path.of(".deltasync", "bench", which.name());
    java.util.function.Consumer<String> progress = line -> {
      err.println("  " + line);
      err.flush();
    };
    List<String> lines;
    Map<String, Object> figures;
    boolean pass;
    switch (which) {
      case egress -> {
        EgressBench.Result r =
            new EgressBench(Sparks.session(), EgressBench.Settings.defaults(work), progress).run();
        lines = r.lines();
        figures = r.json();
        pass = r.pass();
      }
      case plan -> {
        PlanBench.Result r =
            new PlanBench(Sparks.session(), PlanBench.Settings.defaults(work), progress).run();
        lines = r.lines();
        figures = r.json();
        pass = r.pass();
      }
      case wide -> {
        boolean localCluster = !inProcess;
        WideBench.Settings settings = new WideBench.Settings(work,
            files == null ? WideBench.Settings.defaults(work).files() : files, localCluster);
        Path home = localCluster ? Files.createTempDirectory("deltasync-spark-home") : null;
        SparkSession spark = localCluster
            ? Sparks.localCluster(2, 3072, "2560m", home) : Sparks.session();
        try {
          WideBench.Result r = new WideBench(spark, settings, progress).run();
          lines = r.lines();
          figures = r.json();
          pass = r.pass();
        } finally {
          if (localCluster) {
            spark.stop();
            BenchSupport.deleteTree(home);
          }
        }
      }
      case ledger -> {
        LedgerBench.Settings settings = LedgerBench.Settings.defaults(work);
        if (days != null) {
          settings = new LedgerBench.Settings(work, settings.groups(), settings.tablesPerGroup(),
              settings.cycle(), days);
        }
        LedgerBench.Result r = new LedgerBench(Sparks.session(), settings, progress).run();
        lines = r.lines();
        figures = r.json();
        pass = r.pass();
      }
      case placement -> {
        CopyPlacementBench.Result r = new CopyPlacementBench(Sparks.session(),
            new CopyPlacementBench.Settings(work), progress).run();
        lines = r.lines();
        figures = r.json();
        pass = r.pass();
      }
      case rpo -> {
        RpoBench.Settings settings = RpoBench.Settings.defaults(work);
        if (runs != null) {
          settings = new RpoBench.Settings(work, runs, settings.fileArrivalCheck());
        }
        RpoBench.Result r = new RpoBench(settings, progress).run();
        lines = r.lines();
        figures = r.json();
        pass = r.pass();
      }
      case clone -> {
        // The cloner's benchmark prints its own table (or JSON) on stdout.
        out.flush();
        PrintStream stdout = new PrintStream(System.out, true, java.nio.charset.StandardCharsets.UTF_8);
        CloneBench.Figures f = CloneBench.run(work, stdout, json);
        stdout.flush();
        pass = f.meetsTargets();
        if (!pass) {
          throw SyncErrors.benchTargetMissed("clone", "see the figures above");
        }
        return ExitCodes.DONE;
      }
      default -> throw new IllegalStateException(which.name());
    }
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(figures));
    } else {
      lines.forEach(out::println);
    }
    out.flush();
    if (!pass) {
      throw SyncErrors.benchTargetMissed(which.name(), lines.get(lines.size() - 1));
    }
    return ExitCodes.DONE;
  }
}
