package io.deltasync.samples.demo;

import io.deltasync.cli.DeltaSyncCli;
import io.deltasync.cli.ExitCodes;
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncException;
import io.deltasync.failover.DrReports;
import io.deltasync.jobs.JobNames;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.local.LocalJobsServer;
import io.deltasync.runtime.DrEngines;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.samples.RunWorkflowCommand;
import io.deltasync.samples.SampleWorkflow2;
import io.deltasync.sync.Placement;
import io.deltasync.sync.RegionWalls;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * Issue 12's three lifecycle sequences, run through the real commands ({@code run-workflow},
 * {@code send}, {@code receive}, {@code verify}) and failover and failback's engines as their
 * commands run them, on sample_workflow_2 only, each on a folder of its own with
 * {@code sync_interval_mins = 1} and two workspaces of its own ({@link LocalJobsServer}s, whose
 * Jobs APIs failover and failback switch the jobs through):
 *
 * <ol>
 *   <li>failback, then the next send: the secondary's rows equal the primary's current rows;
 *   <li>a late primary sender, then failover again: the sender is refused and the secondary's own
 *       writes survive the repeated failover;
 *   <li>one lost staging file: nothing of the group is applied, and one sender cycle plus one
 *       receiver cycle heal it.
 * </ol>
 *
 * <p>"Equal" is row-level equality (EXCEPT ALL both ways, see {@link Rows}).
 */
public final class LifecycleSequences {

  static final String WORKSPACE = "lifecycle";
  /** The principal failover and failback act as, in both workspaces. */
  static final String PRINCIPAL = "deltasync-dr";
  static final SecretRef PRIMARY_PAT = new SecretRef("demo", "primary-jobs-pat");
  static final SecretRef SECONDARY_PAT = new SecretRef("demo", "secondary-jobs-pat");
  static final String WF2 = SampleWorkflow2.NAME;
  static final String READINGS = Demo.READINGS;
  static final String DAILY = Demo.DAILY;
  private static final List<String> TABLES = List.of(READINGS, DAILY);

  private final SparkSession spark;
  private final Path dir;
  private final Consumer<String> progress;
  private final List<Check> checks = new ArrayList<>();
  /** Each sequence's two workspaces (their Jobs APIs), closed when the sequences end. */
  private final List<LocalJobsServer> servers = new ArrayList<>();
  private int step;

  /**
   * @param spark the session the commands run on
   * @param dir the sequences' folder (one sub-folder each); must not exist or be empty
   * @param progress receives one line per command and check
   */
  public LifecycleSequences(SparkSession spark, Path dir, Consumer<String> progress) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /**
   * Runs the three sequences; a failed check is in the list, not thrown.
   *
   * @param step the demo step the checks belong to
   */
  public List<Check> run(int step) throws Exception {
    this.step = step;
    try {
      failbackThenSend();
      lateSenderThenFailoverAgain();
      lostStagingFile();
    } finally {
      servers.forEach(LocalJobsServer::close);
    }
    return List.copyOf(checks);
  }

  /**
   * Day 1 synced; day 2 run in the primary and never sent; failover; days 2 and 3 in the
   * secondary; failback; send and receive. The secondary must hold the primary's current rows
   * (days 1-3), not the primary's old run 2 (days 1-2).
   */
  private void failbackThenSend() throws Exception {
    Sequence s = new Sequence("failback-then-send");
    say("sequence 1: failback, then the next send");
    s.run("primary");
    s.command("send");
    s.command("receive");
    s.run("primary");
    s.failover();
    s.run("secondary");
    s.run("secondary");
    s.failback();
    int sent = s.command("send");
    int received = s.command("receive");
    check("failback-then-send-cycle", sent == ExitCodes.DONE && received == ExitCodes.DONE,
        "send exit " + sent + ", receive exit " + received);
    for (String table : TABLES) {
      Rows.Diff diff = Rows.compare(Rows.latest(spark, s.secondary(table)),
          Rows.latest(spark, s.primary(table)));
      check("failback-then-send-secondary-equals-primary-" + shortName(table), diff.equal(),
          "secondary vs the primary's current rows: " + diff);
    }
    List<Integer> days = s.days(s.secondary(DAILY));
    check("failback-then-send-days", days.equals(List.of(1, 2, 3)),
        "the secondary holds days " + days + " (expected [1, 2, 3]: the primary's current state)");
    int verified = s.command("verify");
    check("failback-then-send-verify", verified == ExitCodes.DONE, "verify exit " + verified);
  }

  /**
   * Day 1 synced; failover; days 2 and 3 in the secondary; a primary run and a sender cycle the
   * failover did not stop; failover again. The sender is refused, and the secondary keeps its own
   * days 2 and 3; its next run processes day 4.
   */
  private void lateSenderThenFailoverAgain() throws Exception {
    Sequence s = new Sequence("late-sender");
    say("sequence 2: a late primary sender, then failover again");
    s.run("primary");
    s.command("send");
    s.command("receive");
    s.failover();
    s.run("secondary");
    s.run("secondary");
    Map<String, List<String>> own = s.contents(Placement::secondary);
    s.run("primary");
    int late = s.command("send");
    check("late-sender-refused", late == ExitCodes.FAILED && s.output.contains("refused to stage"),
        "the primary's sender exit " + late + (s.output.contains("refused to stage")
            ? ", refused to stage (the ledger's epoch makes the secondary active)"
            : ", output: " + s.output));
    int again = s.failover();
    Map<String, List<String>> after = s.contents(Placement::secondary);
    for (String table : TABLES) {
      check("failover-again-keeps-secondary-writes-" + shortName(table),
          again == ExitCodes.DONE && after.get(table).equals(own.get(table)),
          "failover exit " + again + "; secondary " + after.get(table).size() + " rows after, "
              + own.get(table).size() + " before, " + (after.get(table).equals(own.get(table))
              ? "the same rows" : "DIFFERENT rows"));
    }
    s.run("secondary");
    List<Integer> days = s.days(s.secondary(DAILY));
    check("failover-again-next-run-continues", days.equals(List.of(1, 2, 3, 4)),
        "after the secondary's next run it holds days " + days + " (expected [1, 2, 3, 4])");
  }

  /**
   * Sync point 1 applied, sync point 2 staged, one parquet file of the staged daily table deleted.
   * The receiver applies nothing of the group; the next sender cycle re-stages and the next
   * receiver cycle applies it.
   */
  private void lostStagingFile() throws Exception {
    Sequence s = new Sequence("lost-staging-file");
    say("sequence 3: one lost staging file");
    s.run("primary");
    s.command("send");
    s.command("receive");
    SyncPoint first = s.ledger().lastApplied(WORKSPACE, WF2).orElseThrow();
    s.run("primary");
    s.command("send");
    SyncPoint second = s.ledger().lastStaged(WORKSPACE, WF2).orElseThrow();
    long stagingVersion = second.table(DAILY).orElseThrow().stagingVersion().orElseThrow();
    String lost = s.deleteOneFile(s.staging(DAILY), stagingVersion);
    say("deleted %s of staging %s version %d", lost, shortName(DAILY), stagingVersion);

    int refused = s.command("receive");
    boolean named = s.output.contains("is damaged at version " + stagingVersion)
        && !s.output.toLowerCase(java.util.Locale.ROOT).contains("vacuum");
    check("lost-file-reported-damaged", refused == ExitCodes.FAILED && named,
        "receive exit " + refused + (named ? ", staging named damaged (not \"vacuumed\")"
            : ", output: " + s.output));
    for (String table : TABLES) {
      long version = first.table(table).orElseThrow().sourceVersion().orElseThrow();
      Rows.Diff diff = Rows.compare(Rows.latest(spark, s.secondary(table)),
          Rows.at(spark, s.primary(table), version));
      check("lost-file-nothing-applied-" + shortName(table), diff.equal(),
          "secondary vs primary at sync point 1 (version " + version + "): " + diff);
    }

    int sent = s.command("send");
    int received = s.command("receive");
    for (String table : TABLES) {
      Rows.Diff diff = Rows.compare(Rows.latest(spark, s.secondary(table)),
          Rows.latest(spark, s.primary(table)));
      check("lost-file-healed-" + shortName(table),
          sent == ExitCodes.DONE && received == ExitCodes.DONE && diff.equal(),
          "after one send (exit " + sent + ") and one receive (exit " + received
              + "): secondary vs primary " + diff);
    }
  }

  // ----------------------------------------------------------------------------------------------

  /** One sequence's folder, config and commands. */
  private final class Sequence {

    final Path config;
    final LocalJobsServer primaryApi;
    final LocalJobsServer secondaryApi;
    final Map<SecretRef, String> tokens = new HashMap<>();
    final WorkspaceConfig workspace;
    final Placement placement;
    final SyncGroup group;
    String output = "";

    Sequence(String name) throws IOException {
      // Deployed: the primary active; the secondary's workflow and reverse sender paused.
      primaryApi = workspace(name + "-primary", PRIMARY_PAT, "UNPAUSED");
      secondaryApi = workspace(name + "-secondary", SECONDARY_PAT, "PAUSED");
      Path root = Files.createDirectories(dir.resolve(name));
      config = root.resolve("deltasync.json");
      Files.writeString(config, """
          {
            "secret_scope": "demo",
            "workspaces": [{
              "workspace_name": "%2$s",
              "workspace_instance_url": "%6$s",
              "secondary_workspace_instance_url": "%7$s",
              "workspace_pat_key": "%8$s",
              "secondary_workspace_pat_key": "%9$s",
              "local": {"primary_dir": "%1$s/primary", "secondary_dir": "%1$s/secondary"},
              "sync_location_primary": "%1$s/sync-primary",
              "sync_location_secondary": "%1$s/sync-secondary",
              "sync_interval_mins": 1,
              "sync_failover_interval_mins": 1,
              "failover_deadline_mins": 1,
              "sync_max_retries": 0,
              "sync_groups": [
                {"group_name": "%3$s", "group_owner_email": "data-eng@example.com",
                 "workflow": "%3$s", "tables": ["%4$s", "%5$s"]}
              ]
            }]
          }
          """.formatted(root, WORKSPACE, WF2, READINGS, DAILY, primaryApi.host(),
          secondaryApi.host(), PRIMARY_PAT.key(), SECONDARY_PAT.key()));
      workspace = ConfigLoader.load(config).workspaces().get(0);
      placement = Placement.of(workspace);
      group = workspace.group(WF2).orElseThrow();
    }

    /** A workspace with the jobs failover and failback switch, and the principal they act as. */
    private LocalJobsServer workspace(String name, SecretRef pat, String workflowStatus) {
      LocalJobsServer server = LocalJobsServer.start(name, Clock.systemUTC());
      servers.add(server);
      for (String job : List.of(WF2, JobNames.DEFAULT_SENDER, JobNames.DEFAULT_RECEIVER)) {
        String status = job.equals(JobNames.DEFAULT_RECEIVER) ? "UNPAUSED" : workflowStatus;
        server.grant(server.createScheduledJob(job, status, (run, params) -> { }), PRINCIPAL,
            LocalJobsServer.Permission.CAN_MANAGE);
      }
      tokens.put(pat, server.addPrincipal(PRINCIPAL, false));
      return server;
    }

    /**
     * {@code failover}, run as the command runs it (in the secondary, switching jobs through both
     * Jobs APIs), with the workspaces' tokens in hand: in this process the command would read
     * them from the environment.
     */
    int failover() {
      DeltaSyncConfig view = RegionWalls.confine(ConfigLoader.load(config), Region.SECONDARY);
      return dr("failover", () -> DrReports.problems(engines().failover().build().run(view)));
    }

    /** {@code failback}, as the command runs it in embedded mode (see {@link #failover}). */
    int failback() {
      DeltaSyncConfig loaded = ConfigLoader.load(config);
      return dr("failback",
          () -> DrReports.problems(engines().failback(loaded).build().run(loaded)));
    }

    private DrEngines engines() {
      return new DrEngines(Clock.systemUTC(), () -> ref -> {
        String token = tokens.get(ref);
        if (token == null) {
          throw new IllegalArgumentException("no secret " + ref.key() + " in the sequence");
        }
        return token;
      });
    }

    private int dr(String name, Supplier<List<String>> run) {
      int exit;
      try {
        List<String> problems = run.get();
        exit = problems.isEmpty() ? ExitCodes.DONE : ExitCodes.FAILED;
        output = String.join("; ", problems);
      } catch (SyncException e) {
        exit = e.kind().exitCode();
        output = e.getMessage();
      }
      say("$ deltasync %s -> exit %d", name, exit);
      return exit;
    }

    /** One run of sample_workflow_2 in a region, through {@code run-workflow}. */
    void run(String region) {
      int exit = command("run-workflow", "--workflow", WF2, "--region", region);
      if (exit != ExitCodes.DONE) {
        throw new IllegalStateException("run-workflow in the " + region + " failed: " + output);
      }
    }

    /** Runs a deltasync command on this sequence's config; keeps its output; returns its exit. */
    int command(String name, String... args) {
      StringWriter out = new StringWriter();
      CommandLine cli = DeltaSyncCli.commandLine(new RunWorkflowCommand());
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(out, true));
      List<String> all = new ArrayList<>(List.of(name, "--config", config.toString()));
      all.addAll(Arrays.asList(args));
      int exit = cli.execute(all.toArray(String[]::new));
      output = out.toString();
      say("$ deltasync %s%s -> exit %d", name, args.length == 0 ? "" : " " + String.join(" ", args),
          exit);
      return exit;
    }

    LedgerState ledger() {
      return new LedgerState(SyncWiring.ledgers(spark).apply(workspace).read());
    }

    TableLocation primary(String table) {
      return placement.primary(TableName.parse(table));
    }

    TableLocation secondary(String table) {
      return placement.secondary(TableName.parse(table));
    }

    TableLocation staging(String table) {
      return placement.staging(group, TableName.parse(table));
    }

    /** Each table's rows in a region, as sorted strings. */
    Map<String, List<String>> contents(
        java.util.function.BiFunction<Placement, TableName, TableLocation> region) {
      Map<String, List<String>> out = new TreeMap<>();
      for (String table : TABLES) {
        out.put(table, Rows.latest(spark, region.apply(placement, TableName.parse(table)))
            .collectAsList().stream().map(Row::toString).sorted().toList());
      }
      return out;
    }

    List<Integer> days(TableLocation daily) {
      return Rows.latest(spark, daily).select("day").distinct().orderBy("day").collectAsList()
          .stream().map(r -> r.getInt(0)).toList();
    }

    /** Deletes the first (by name) data file of a table's version; returns its name. */
    String deleteOneFile(TableLocation table, long version) throws IOException {
      String file = Arrays.stream(Rows.at(spark, table, version).inputFiles()).sorted()
          .findFirst().orElseThrow(() -> new IllegalStateException(table + " version " + version
              + " has no data file"));
      Path path = file.startsWith("file:") ? Path.of(URI.create(file)) : Path.of(file);
      Files.delete(path);
      return path.getFileName().toString();
    }
  }

  private void say(String format, Object... args) {
    progress.accept(String.format(format, args));
  }

  private void check(String name, boolean held, String detail) {
    checks.add(new Check(step, name, held, detail));
    progress.accept((held ? "ok   " : "FAIL ") + name + ": " + detail);
  }

  private static String shortName(String table) {
    return TableName.parse(table).table();
  }
}
