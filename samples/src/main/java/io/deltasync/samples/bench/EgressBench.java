package io.deltasync.samples.bench;

import io.deltasync.clone.CloneOptions;
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncException;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.samples.LandingBatches;
import io.deltasync.samples.SampleWorkflow1;
import io.deltasync.spark.PortableCloner;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupListener;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.GroupStatus;
import io.deltasync.sync.Placement;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.Sender;
import io.deltasync.sync.Sleeper;
import io.deltasync.sync.TableOutcome;
import io.deltasync.table.TableLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The egress benchmark: sample_workflow_1 runs {@code runs} times in the primary (a silver loop of
 * 3 MERGE commits per run, OPTIMIZE of every table every 5th run, one run failing inside its silver
 * loop), and a sender and a receiver cycle follow each run. It compares the bytes deltasync sent
 * (the sum of {@code copied_files_size} of the sender's clones) with:
 *
 * <ul>
 *   <li><b>storage replication</b>: every file ever written under the tables' folders (data files
 *       and {@code _delta_log}; nothing is vacuumed, so every file written is still there);
 *   <li><b>full copy</b>: a non-incremental copy of each synced snapshot at each sync (the sum of
 *       the snapshot sizes);
 *   <li><b>minimum</b>: for each sync, the bytes of the files in the synced snapshot that were not
 *       in the previous synced snapshot.
 * </ul>
 *
 * <p>Target: deltasync sends at most 1.05 times the minimum.
 */
public final class EgressBench {

  static final String WF1 = SampleWorkflow1.NAME;
  static final List<String> TABLES = List.of("bench.raw.workflow_1_bronze",
      "bench.stage.workflow_1_silver", "bench.main.workflow_1_gold");
  static final double TARGET_RATIO = 1.05;

  /**
   * @param dir the bench folder, wiped at start
   * @param runs workflow runs
   * @param optimizeEvery OPTIMIZE every table in every n-th run
   * @param failedRun the run (1-based) that fails inside its silver loop
   */
  public record Settings(Path dir, int runs, int optimizeEvery, int failedRun) {
    public Settings {
      Objects.requireNonNull(dir, "dir");
    }

    public static Settings defaults(Path dir) {
      return new Settings(dir, 20, 5, 13);
    }
  }

  /**
   * The figures.
   *
   * @param runs workflow runs
   * @param failedRuns of which failed
   * @param syncs sender cycles that recorded a sync point
   * @param deltasyncBytes bytes deltasync sent
   * @param storageBytes storage-level replication
   * @param fullCopyBytes full copy at each sync
   * @param minimumBytes the minimum
   * @param duration wall time
   */
  public record Result(int runs, int failedRuns, int syncs, long deltasyncBytes, long storageBytes,
      long fullCopyBytes, long minimumBytes, Duration duration) {

    public double ratioToMinimum() {
      return minimumBytes == 0 ? Double.NaN : (double) deltasyncBytes / minimumBytes;
    }

    public boolean pass() {
      return ratioToMinimum() <= TARGET_RATIO;
    }

    public List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add(String.format(Locale.ROOT, "egress: %d runs of %s (%d failed), %d syncs, %.0f s",
          runs, WF1, failedRuns, syncs, duration.toMillis() / 1000.0));
      String f = "%-40s %14s %10s";
      out.add(String.format(Locale.ROOT, f, "WHAT CROSSES REGIONS", "BYTES", "x MINIMUM"));
      out.add(row(f, "storage-level replication (every file)", storageBytes));
      out.add(row(f, "full copy at each sync", fullCopyBytes));
      out.add(row(f, "deltasync (copied_files_size)", deltasyncBytes));
      out.add(row(f, "minimum (files new to synced snapshots)", minimumBytes));
      out.add(String.format(Locale.ROOT, "deltasync / minimum = %.3f (target <= %.2f): %s",
          ratioToMinimum(), TARGET_RATIO, pass() ? "PASS" : "MISS"));
      return out;
    }

    private String row(String f, String what, long bytes) {
      return String.format(Locale.ROOT, f, what, bytes,
          String.format(Locale.ROOT, "%.2f", minimumBytes == 0 ? Double.NaN : (double) bytes / minimumBytes));
    }

    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bench", "egress");
      m.put("runs", runs);
      m.put("failed_runs", failedRuns);
      m.put("syncs", syncs);
      m.put("deltasync_bytes", deltasyncBytes);
      m.put("storage_replication_bytes", storageBytes);
      m.put("full_copy_bytes", fullCopyBytes);
      m.put("minimum_bytes", minimumBytes);
      m.put("ratio_to_minimum", ratioToMinimum());
      m.put("target_ratio", TARGET_RATIO);
      m.put("pass", pass());
      m.put("duration_ms", duration.toMillis());
      return m;
    }
  }

  private final SparkSession spark;
  private final Settings settings;
  private final Consumer<String> progress;

  public EgressBench(SparkSession spark, Settings settings, Consumer<String> progress) {
    this.spark = io.deltasync.samples.LocalSpark.tune(spark);
    this.settings = settings;
    this.progress = progress;
  }

  public Result run() throws Exception {
    long t0 = System.nanoTime();
    Path root = settings.dir().toAbsolutePath();
    BenchSupport.wipe(root, ".deltasync-bench");
    DeltaSyncConfig config = config(root);
    WorkspaceConfig ws = config.workspaces().get(0);
    Placement placement = Placement.of(ws);
    List<TableLocation> tables = ws.groups().get(0).tables().stream()
        .map(TableMapping::source).map(placement::primary).toList();
    SampleWorkflow1.Tables wfTables =
        new SampleWorkflow1.Tables(tables.get(0), tables.get(1), tables.get(2));
    Path landing = root.resolve("primary/landing").resolve(WF1);
    LocalRunLog runLog = new LocalRunLog(ws.local().orElseThrow().primaryDir(), new Configuration(),
        Clock.systemUTC(), () -> spark);
    PortableCloner cloner = new PortableCloner(spark);
    Sender sender = SyncWiring.senderBuilder(spark, cloner, ref -> "unused")
        .runSources(w -> runLog).retryBase(Duration.ofMillis(200)).build();
    Receiver receiver = new Receiver(SyncWiring.ledgers(spark), cloner, Clock.systemUTC(),
        Sleeper.system(), new Random(), Duration.ofMillis(200), CloneOptions.defaults(),
        GroupListener.none());

    long deltasync = 0;
    long fullCopy = 0;
    long minimum = 0;
    int syncs = 0;
    int failed = 0;
    Map<Integer, Map<String, Long>> previous = new HashMap<>();
    for (int run = 1; run <= settings.runs(); run++) {
      LandingBatches.write(landing, run);
      boolean optimize = run % settings.optimizeEvery() == 0;
      SampleWorkflow1.Options options = SampleWorkflow1.Options.defaults();
      if (run == settings.failedRun()) {
        options = new SampleWorkflow1.Options(options.silverLoops(), OptionalInt.of(2));
      }
      SampleWorkflow1.Options chosen = options;
      String what;
      try {
        runLog.record(WF1, runId -> {
          SampleWorkflow1.Result result = SampleWorkflow1.run(spark, landing.toString(), wfTables, chosen);
          if (optimize) {
            for (TableLocation t : tables) {
              spark.sql("OPTIMIZE " + t.sqlIdentifier());
            }
          }
          return result;
        });
        what = optimize ? "SUCCESS + OPTIMIZE" : "SUCCESS";
      } catch (SyncException stopped) {
        failed++;
        what = "FAILED in its silver loop";
      }
      CycleResult sent = sender.run(config, Sender.Request.all());
      sent.throwIfFailed();
      receiver.run(config, Optional.empty()).throwIfFailed();
      GroupOutcome g = sent.groups().get(0);
      long copied = g.copiedBytes();
      long full = 0;
      long added = 0;
      if (g.status() == GroupStatus.SYNCED) {
        syncs++;
        for (int i = 0; i < g.tables().size(); i++) {
          TableOutcome t = g.tables().get(i);
          Map<String, Long> files = BenchSupport.snapshotFiles(spark, tables.get(i), t.sourceVersion());
          Map<String, Long> before = previous.getOrDefault(i, Map.of());
          for (Map.Entry<String, Long> f : files.entrySet()) {
            full += f.getValue();
            if (!before.containsKey(f.getKey())) {
              added += f.getValue();
            }
          }
          previous.put(i, files);
        }
      }
      deltasync += copied;
      fullCopy += full;
      minimum += added;
      progress.accept(String.format(Locale.ROOT,
          "run %2d/%d %-26s sync %-10s deltasync %8d B, minimum %8d B, full copy %8d B", run,
          settings.runs(), what, g.status(), copied, added, full));
    }
    long storage = 0;
    for (TableLocation t : tables) {
      storage += BenchSupport.bytesUnder(Path.of(((TableLocation.Path) t).uri()));
    }
    return new Result(settings.runs(), failed, syncs, deltasync, storage, fullCopy, minimum,
        Duration.ofNanos(System.nanoTime() - t0));
  }

  private static DeltaSyncConfig config(Path root) throws IOException {
    Path file = root.resolve("deltasync.json");
    try {
      Files.writeString(file, """
          {
            "secret_scope": "bench",
            "workspaces": [{
              "workspace_name": "bench",
              "workspace_instance_url": "http://127.0.0.1:1",
              "workspace_pat_key": "unused-locally",
              "local": {"primary_dir": "%1$s/primary", "secondary_dir": "%1$s/secondary"},
              "sync_location_primary": "%1$s/sync-primary",
              "sync_location_secondary": "%1$s/sync-secondary",
              "sync_interval_mins": 15,
              "sync_failover_interval_mins": 10,
              "sync_max_retries": 2,
              "sync_groups": [{"group_name": "%2$s", "group_owner_email": "bench@example.com",
                "workflow": "%2$s", "tables": ["%3$s", "%4$s", "%5$s"]}]
            }]
          }
          """.formatted(root, WF1, TABLES.get(0), TABLES.get(1), TABLES.get(2)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ConfigLoader.load(file);
  }
}
