package io.deltasync.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.Region;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runtime.Cloners;
import io.deltasync.runtime.DrEngines;
import io.deltasync.spark.SparkFingerprinter;
import io.deltasync.spark.SparkTableIds;
import io.deltasync.spark.Sparks;
import io.deltasync.sync.GroupListener;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.GroupStatus;
import io.deltasync.sync.Placement;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.Sender;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import io.deltasync.testing.DeltaTables;
import io.deltasync.testing.LocalWorkspaces;
import io.deltasync.testing.SharedSpark;
import io.deltasync.verify.Verify;
import io.deltasync.verify.VerifyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.actions.AddFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 12's property: random interleavings of primary runs, sender and receiver cycles,
 * failovers, failbacks, secondary runs and a lost staging file, through the real sender, receiver,
 * failover, failback, portable cloner and Delta ledger on real Delta tables (embedded regions).
 *
 * <p>The workflow writes one labelled row to {@code bronze} and rewrites {@code gold} as bronze's
 * row count and newest label, so a group at one run's end always has {@code gold} derived from
 * {@code bronze}; a half-applied group does not. A model predicts each region's bronze labels
 * step by step. After every step and at the end of every sequence the test checks:
 *
 * <ul>
 *   <li>each region holds exactly the rows the model predicts, and every row that the active
 *       region wrote and a sync point recorded is still in the active region (no loss);
 *   <li>every group is whole (gold derived from bronze) once a cycle has run, in both regions;
 *   <li>{@code verify} agrees with a direct row comparison (the same multiset of rows both ways)
 *       on every side it compared.
 * </ul>
 *
 * <p>Each sequence ends by settling: failback if the secondary is active, then sender and receiver
 * cycles until the group is applied; the secondary then equals the primary row for row.
 *
 * <p>{@code -Ddeltasync.interleavings=N} runs N sequences (200 by default), seeds
 * {@code base..base+N-1} with {@code -Ddeltasync.seed=base}, on
 * {@code -Ddeltasync.interleavings.threads} threads (2 by default: a sequence waits on Spark's
 * scheduler and the file system for part of its time, so two share the two cores well). Each
 * sequence has its own folders, regions and Jobs APIs; only the workflow runs take turns, because a
 * run's commit stamp is the shared session's userMetadata. {@code
 * -Ddeltasync.interleavings.budget} (seconds, 2,700 by default; 0 for none) is a safety net for a
 * slow machine, not a sampling rate: past it no new sequence starts and a WARN says how many ran.
 * {@code -Ddeltasync.replay=S} runs the one sequence of seed S. A failed sequence does not stop the
 * others: the test fails at the end naming every failing seed, each with its steps.
 */
class LifecycleInterleavingTest {

  private static final Logger LOG = LoggerFactory.getLogger(LifecycleInterleavingTest.class);
  private static final String GROUP = "orders";
  private static final String WORKFLOW = "orders_flow";
  private static final String BRONZE = "c.s.bronze";
  private static final String GOLD = "c.s.gold";
  private static final String OPERATOR = "interleaver@example.com";
  private static final Object RUNS = new Object();

  @TempDir Path dir;

  /** What a sequence may do at a step. */
  enum Step {
    PRIMARY_RUN, SEND, RECEIVE, FAILOVER, FAILBACK, SECONDARY_RUN, LOSE_STAGING_FILE
  }

  @Test
  void randomInterleavingsNeverLoseRecordedWritesNorLeaveAGroupHalfApplied() throws Exception {
    Optional<Long> replay = Optional.ofNullable(System.getProperty("deltasync.replay"))
        .map(Long::parseLong);
    long base = Long.getLong("deltasync.seed", 20261202L);
    int count = replay.isPresent() ? 1 : Integer.getInteger("deltasync.interleavings", 200);
    Duration budget = Duration.ofSeconds(Long.getLong("deltasync.interleavings.budget", 2700));
    int threads = Integer.getInteger("deltasync.interleavings.threads", 2);
    long started = System.nanoTime();
    AtomicInteger steps = new AtomicInteger();
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    NavigableMap<Long, AssertionError> failures = new ConcurrentSkipListMap<>();
    Runnable worker = () -> {
      while (true) {
        int i = next.getAndIncrement();
        Duration spent = Duration.ofNanos(System.nanoTime() - started);
        if (i >= count || i > 0 && !budget.isZero() && spent.compareTo(budget) > 0) {
          return;
        }
        long seed = replay.orElse(base + i);
        List<Step> plan = plan(seed);
        Sequence sequence = null;
        try {
          sequence = new Sequence(seed, plan, Files.createDirectories(dir.resolve("s" + i)));
          sequence.run();
          steps.addAndGet(plan.size());
          ran.incrementAndGet();
          LOG.info("Interleaving {} (seed {}): passed, {} steps: {}", i + 1, seed,
              sequence.done.size(), sequence.done);
          deleteTree(sequence.root);
        } catch (Throwable failure) {
          // The other sequences go on: one run shows every failing seed.
          AssertionError error = new AssertionError("Interleaving seed " + seed
              + " failed at step " + (sequence == null ? 0 : sequence.done.size()) + " of " + plan
              + "\nsteps done: " + (sequence == null ? List.of() : sequence.done)
              + "\nreplay: -Ddeltasync.replay=" + seed + "\n" + failure.getMessage(), failure);
          LOG.error("Interleaving {} (seed {}): FAILED", i + 1, seed, error);
          failures.put(seed, error);
        }
      }
    };
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < Math.min(threads, count); t++) {
      Thread thread = new Thread(worker, "interleaver-" + t);
      thread.start();
      workers.add(thread);
    }
    for (Thread thread : workers) {
      thread.join();
    }
    if (!failures.isEmpty()) {
      AssertionError first = failures.firstEntry().getValue();
      AssertionError all = new AssertionError(failures.size() + " of " + (ran.get()
          + failures.size()) + " interleavings failed, seeds " + failures.keySet()
          + "; the first:\n" + first.getMessage(), first);
      failures.values().stream().skip(1).forEach(all::addSuppressed);
      throw all;
    }
    if (ran.get() < count) {
      LOG.warn("Interleavings: the budget of {} s is spent after {} of {} sequences"
          + " (seeds from {}); -Ddeltasync.interleavings.budget=0 runs them all",
          budget.toSeconds(), ran.get(), count, base);
    }
    LOG.info("Interleavings: {} sequences, {} steps (plus settling), {} s, {} threads", ran.get(),
        steps.get(), Duration.ofNanos(System.nanoTime() - started).toSeconds(), threads);
  }

  /**
   * The steps of seed {@code seed}: 4 to 10, drawn with weights. A sequence starts with a primary
   * run (before one, every step finds nothing to do); failback comes only after a failover (the
   * operator's order), secondary runs only while the secondary is (or may be) active, and a
   * staging file is lost only after a send, so that no step is spent on a no-op.
   */
  static List<Step> plan(long seed) {
    Random random = new Random(seed);
    int length = 4 + random.nextInt(7);
    List<Step> steps = new ArrayList<>(List.of(Step.PRIMARY_RUN));
    boolean failedOver = false;
    boolean sent = false;
    while (steps.size() < length) {
      int draw = random.nextInt(100);
      Step step = draw < 22 ? Step.PRIMARY_RUN
          : draw < 42 ? Step.SEND
          : draw < 62 ? Step.RECEIVE
          : draw < 72 ? Step.FAILOVER
          : draw < 80 ? Step.FAILBACK
          : draw < 94 ? Step.SECONDARY_RUN
          : Step.LOSE_STAGING_FILE;
      if ((step == Step.FAILBACK || step == Step.SECONDARY_RUN) && !failedOver
          || step == Step.LOSE_STAGING_FILE && !sent) {
        continue;
      }
      failedOver = step == Step.FAILOVER || failedOver && step != Step.FAILBACK;
      sent = sent || step == Step.SEND;
      steps.add(step);
    }
    return steps;
  }

  /**
   * A new session over the shared context, made the calling thread's active one (what
   * {@code Sparks.session()} answers there, with deltasync's settings applied to it).
   */
  private static SparkSession isolatedSession() {
    SparkSession.setActiveSession(SharedSpark.spark().newSession());
    return Sparks.session();
  }

  /** One sequence on its own folder: the regions, the model, the steps done. */
  private final class Sequence {

    final long seed;
    final List<Step> plan;
    final Path root;
    final List<String> done = new ArrayList<>();
    final Random random;
    final DeltaSyncConfig config;
    final WorkspaceConfig ws;
    final Placement placement;
    final LocalWorkspaces workspaces;
    final JobsControl secondaryJobs;
    /**
     * The sequence's own session (SQL conf) over the shared Spark context, active in its thread and
     * the threads it starts. A workflow run's commit stamp is the session's userMetadata: in one
     * shared session it also stamped the other sequence's commits made meanwhile (seed 20261341: a
     * failover's clone into the secondary's table read as a commit of a later run of the
     * workflow, and failback then refused the table as overlapped).
     */
    final SparkSession spark = isolatedSession();

    /** The model: each region's bronze labels, in write order. */
    List<String> primary = new ArrayList<>();
    List<String> secondary = new ArrayList<>();
    /** The labels of the sync point staged last (what the next receive applies), if any. */
    Optional<List<String>> staged = Optional.empty();
    /** Staged and not applied yet. */
    boolean pending;
    /**
     * A sync point was staged since the last role change. One staged under an older epoch is never
     * applied unless the epoch record names it (a carried-back group's applied point), so a
     * receiver may then find nothing to apply (seed 20261238: staged, a failover that found the
     * staging damaged, a failback; the receiver answers NO_RUN).
     */
    boolean stagedInEpoch;
    /** The receiver found staging damaged: the next send re-stages the same point. */
    boolean damageRecorded;
    /**
     * A staging file was deleted, and since then neither a re-stage after recorded damage nor a
     * whole apply has shown staging complete. An ordinary send builds on the staging table's log,
     * so the sync point it stages may still reference the lost file (seed 20261221: failback
     * carried back the very files staging had lost); the receiver then finds it damaged.
     */
    boolean fileLost;
    /** The labels the active region wrote and a sync point recorded (or the secondary wrote). */
    final List<String> durable = new ArrayList<>();
    Region active = Region.PRIMARY;
    int label;

    Sequence(long seed, List<Step> plan, Path root) throws IOException {
      this.seed = seed;
      this.plan = plan;
      this.root = root;
      this.random = new Random(seed ^ 0x5DEECE66DL);
      this.workspaces = LocalWorkspaces.start("interleave", Clock.systemUTC(), WORKFLOW);
      String json = """
          {
            "secret_scope": "interleave",
            "workspaces": [{
              "workspace_name": "ws",
              %2$s
              "sync_location_primary": "%1$s/east-sync",
              "sync_location_secondary": "%1$s/west-sync",
              "sync_interval_mins": 1,
              "sync_failover_interval_mins": 1,
              "failover_deadline_mins": 2,
              "sync_max_retries": 0,
              "local": {"primary_dir": "%1$s/east", "secondary_dir": "%1$s/west"},
              "sync_groups": [{
                "group_name": "orders", "group_owner_email": "owner@example.com",
                "workflow": "orders_flow", "tables": ["c.s.bronze", "c.s.gold"]
              }]
            }]
          }
          """.formatted(root.toAbsolutePath(), workspaces.jsonKeys());
      this.config = ConfigLoader.load(Files.writeString(root.resolve("deltasync.json"), json));
      this.ws = config.workspaces().get(0);
      this.placement = Placement.of(ws);
      this.secondaryJobs = workspaces.secondaryJobs();
      // Deployed: the secondary passive (workflow and reverse sender paused, receiver running).
      secondaryJobs.setPauseStatus(secondaryJobs.job(WORKFLOW), PauseStatus.PAUSED);
      secondaryJobs.setPauseStatus(secondaryJobs.job("deltasync_sender"), PauseStatus.PAUSED);
    }

    void run() throws Exception {
      SparkSession.setActiveSession(spark);
      try {
        for (Step step : plan) {
          done.add(step.name());
          long began = System.nanoTime();
          switch (step) {
            case PRIMARY_RUN -> primaryRun();
            case SEND -> send();
            case RECEIVE -> receive();
            case FAILOVER -> failover();
            case FAILBACK -> failback();
            case SECONDARY_RUN -> secondaryRun();
            case LOSE_STAGING_FILE -> loseStagingFile();
            default -> throw new IllegalStateException(step.name());
          }
          done.set(done.size() - 1, done.get(done.size() - 1) + " [" + millisSince(began)
              + " ms]");
        }
        long settling = System.nanoTime();
        settle();
        done.add("settled and verified [" + millisSince(settling) + " ms]");
      } finally {
        workspaces.close();
        SparkSession.clearActiveSession();
      }
    }

    // --- steps -----------------------------------------------------------------------------------

    void primaryRun() throws Exception {
      String row = "p" + (++label);
      write(ws.local().orElseThrow().primaryDir(), Region.PRIMARY, row);
      primary.add(row);
      if (active == Region.PRIMARY) {
        durable.add(row); // the active region's write: it must stay in the primary
      }
      assertRegion(Region.PRIMARY);
    }

    void secondaryRun() throws Exception {
      if (!secondaryJobs.state(secondaryJobs.job(WORKFLOW)).is(PauseStatus.UNPAUSED)) {
        done.set(done.size() - 1, "SECONDARY_RUN (skipped: workflow paused there)");
        return;
      }
      assertThat(active).as("the secondary's workflow runs only while it is active")
          .isEqualTo(Region.SECONDARY);
      String row = "s" + (++label);
      write(ws.local().orElseThrow().secondaryDir(), Region.SECONDARY, row);
      secondary.add(row);
      durable.add(row);
      assertRegion(Region.SECONDARY);
    }

    void send() {
      GroupOutcome sent = sender().run(config, Sender.Request.all()).groups().get(0);
      done.set(done.size() - 1, "SEND -> " + sent.status());
      if (active == Region.SECONDARY) {
        assertThat(sent.status()).as("a sender in the passive primary")
            .isEqualTo(GroupStatus.FAILED);
        assertThat(sent.error().orElseThrow()).contains("refused to stage");
        return;
      }
      if (sent.status() == GroupStatus.NO_RUN) {
        assertThat(primary).as("no run to sync, yet the primary holds rows").isEmpty();
        return;
      }
      assertThat(sent.status()).as(sent.error().orElse("")).isIn(GroupStatus.SYNCED,
          GroupStatus.UP_TO_DATE);
      if (sent.status() == GroupStatus.SYNCED) {
        if (!damageRecorded) {
          staged = Optional.of(List.copyOf(primary));
        }
        if (damageRecorded) {
          fileLost = false; // the re-stage copies again what the damaged tables miss
        }
        damageRecorded = false;
        pending = true;
        stagedInEpoch = true;
      } else {
        assertThat(staged).as("up to date").hasValue(primary);
      }
    }

    void receive() {
      GroupOutcome received = receiver().run(config, Optional.empty()).groups().get(0);
      done.set(done.size() - 1, "RECEIVE -> " + received.status());
      if (received.status() == GroupStatus.FAILED) {
        assertThat(fileLost).as("the receiver failed without a lost staging file: "
            + received.error().orElse("")).isTrue();
        assertThat(received.error().orElseThrow()).contains("is damaged at version");
        damageRecorded = true;
      } else if (received.status() == GroupStatus.SYNCED) {
        assertThat(pending).as("applied with nothing pending").isTrue();
        assertThat(active).as("the receiver applied a sync point while the secondary is active")
            .isEqualTo(Region.PRIMARY);
        secondary = new ArrayList<>(staged.orElseThrow());
        pending = false;
        // Every file of the staged versions was there: later sends build only on present files.
        fileLost = false;
        recorded(secondary);
      } else if (received.status() == GroupStatus.NO_RUN) {
        assertThat(staged.isEmpty() || !stagedInEpoch)
            .as("the receiver found nothing staged in this epoch").isTrue();
      } else {
        assertThat(received.status()).isEqualTo(GroupStatus.UP_TO_DATE);
        assertThat(pending && active == Region.PRIMARY).as("a staged sync point was not applied")
            .isFalse();
      }
      assertRegion(Region.SECONDARY);
    }

    void failover() {
      FailoverReport report = workspaces.engines(Clock.systemUTC()).failover().principal(OPERATOR)
          .retryBase(Duration.ofMillis(1)).sleeper(d -> { }).build().run(config);
      GroupRecovery group = report.groups().get(0);
      done.set(done.size() - 1, "FAILOVER -> " + group.status()
          + (group.rolledForward().isPresent() ? " (rolled forward)" : ""));
      // A sync point applied (by a receiver or a roll forward) left its rows in the secondary;
      // one dropped by a failback was never applied (seed 20261251).
      boolean everApplied = !secondary.isEmpty();
      if (active == Region.PRIMARY && pending) {
        if (group.status() == GroupRecovery.Status.PROMOTED) {
          assertThat(group.rolledForward()).as("the pending sync point").isPresent();
          secondary = new ArrayList<>(staged.orElseThrow());
          pending = false;
          recorded(secondary);
        } else {
          assertThat(fileLost || damageRecorded).as("not promoted with intact staging: "
              + group.reason().orElse("")).isTrue();
          // Its roll forward found the staging damaged and recorded it: the next send re-stages.
          damageRecorded = damageRecorded || group.reason().orElse("").contains("is damaged at");
        }
      } else if (active == Region.PRIMARY) {
        assertThat(group.status()).as(group.reason().orElse(""))
            .isEqualTo(everApplied ? GroupRecovery.Status.PROMOTED
                : GroupRecovery.Status.NOT_PROMOTED);
        assertThat(group.rolledForward()).isEmpty();
      } else {
        assertThat(group.rolledForward()).as("a repeated failover rolled forward").isEmpty();
      }
      active = Region.SECONDARY;
      stagedInEpoch = false;
      assertThat(epoch().active()).isEqualTo(Region.SECONDARY);
      // What the secondary holds now is the active region's state.
      durable.clear();
      durable.addAll(secondary);
      assertRegion(Region.SECONDARY);
    }

    void failback() {
      FailbackReport report = workspaces.engines(Clock.systemUTC()).failback().principal(OPERATOR)
          .retryBase(Duration.ofMillis(1)).sleeper(d -> { }).build().run(config);
      FailbackReport.GroupFailback group = report.groups().get(0);
      done.set(done.size() - 1, "FAILBACK -> " + (group.carriedBack() ? "carried back" : "kept"));
      assertThat(report.complete()).isTrue();
      if (group.carriedBack()) {
        primary = new ArrayList<>(secondary);
      } else {
        assertThat(secondary.stream().anyMatch(l -> l.startsWith("s")))
            .as("the secondary's own writes were not carried back: " + group.note()).isFalse();
      }
      active = Region.PRIMARY;
      stagedInEpoch = false;
      assertThat(epoch().active()).isEqualTo(Region.PRIMARY);
      // After failback the primary is the active region; it holds what it received.
      assertThat(primary).as("the secondary's writes survive failback").containsAll(durable);
      durable.clear();
      durable.addAll(primary);
      // The primary's old runs are never synced: the next sync point is what the primary holds.
      if (staged.isPresent() || group.carriedBack()) {
        pending = false;
      }
      assertRegion(Region.PRIMARY);
    }

    void loseStagingFile() throws IOException {
      String table = random.nextBoolean() ? BRONZE : GOLD;
      TableLocation staging = placement.staging(ws.group(GROUP).orElseThrow(),
          TableName.parse(table));
      if (!Files.exists(Path.of(staging.toString(), "_delta_log"))) {
        done.set(done.size() - 1, "LOSE_STAGING_FILE (skipped: nothing staged)");
        return;
      }
      long version = DeltaTables.latestVersion(staging);
      // A file an earlier step already lost is not lost twice.
      Optional<String> file = DeltaTables.snapshot(staging, version).allFiles().collectAsList()
          .stream().map(AddFile::path).sorted()
          .filter(f -> Files.exists(Path.of(staging.toString(), f))).findFirst();
      if (file.isEmpty()) {
        done.set(done.size() - 1, "LOSE_STAGING_FILE (skipped: " + table + " version " + version
            + " has no file left)");
        return;
      }
      Files.delete(Path.of(staging.toString(), file.get()));
      done.set(done.size() - 1, "LOSE_STAGING_FILE (" + table + " version " + version + ")");
      fileLost = true;
    }

    /**
     * The end of a sequence: the primary active again, then full cycles until nothing is pending
     * (at most two: a damaged sync point re-staged, then the newest state). The secondary then
     * equals the primary, and {@code verify} says so.
     */
    void settle() {
      if (active == Region.SECONDARY) {
        done.add("FAILBACK (settling)");
        failback();
      }
      for (int cycle = 0; cycle < 3; cycle++) {
        done.add("SEND (settling)");
        send();
        done.add("RECEIVE (settling)");
        receive();
        if (!pending && !damageRecorded && staged.map(primary::equals).orElse(primary.isEmpty())) {
          break;
        }
      }
      assertThat(pending).as("still pending after settling").isFalse();
      assertThat(secondary).as("settled: the secondary holds the primary's rows")
          .isEqualTo(primary);
      assertRegion(Region.PRIMARY);
      assertRegion(Region.SECONDARY);
      VerifyReport report = verifyAgreesWithRows();
      if (!primary.isEmpty()) {
        assertThat(report.failed()).as(report.problems().toString()).isFalse();
      }
    }

    // --- checks ----------------------------------------------------------------------------------

    private void recorded(List<String> applied) {
      for (String row : applied) {
        if (!durable.contains(row)) {
          durable.add(row);
        }
      }
    }

    /** The region holds exactly the model's rows, whole (gold derived from bronze), no loss. */
    private void assertRegion(Region region) {
      List<String> expected = region == Region.PRIMARY ? primary : secondary;
      TableLocation bronze = location(region, BRONZE);
      if (!Files.exists(Path.of(bronze.toString(), "_delta_log"))) {
        assertThat(expected).as(region + " holds no bronze table").isEmpty();
        return;
      }
      List<Row> rows = spark.read().format("delta").load(bronze.toString()).collectAsList();
      List<String> labels = rows.stream().sorted(Comparator.comparingLong(r -> r.getLong(1)))
          .map(r -> r.getString(0)).toList();
      assertThat(labels).as(region + " bronze").isEqualTo(expected);
      List<Row> gold = spark.read().format("delta").load(location(region, GOLD).toString())
          .collectAsList();
      assertThat(gold).as(region + " gold is derived from bronze (the group is whole)").hasSize(1);
      assertThat(gold.get(0).getLong(0)).as(region + " gold count").isEqualTo(labels.size());
      assertThat(gold.get(0).getString(1)).as(region + " gold newest label")
          .isEqualTo(labels.get(labels.size() - 1));
      if (region == active) {
        assertThat(labels).as("the active " + region + " keeps every recorded write")
            .containsAll(durable);
      }
    }

    /**
     * Runs {@code verify} and checks each comparison it made against the rows: MATCH exactly when
     * the secondary table and the other side's version hold the same rows (as multisets).
     */
    private VerifyReport verifyAgreesWithRows() {
      VerifyReport report = new Verify(DrEngines::ledger, new SparkFingerprinter(spark))
          .verify(config, Optional.empty());
      for (VerifyReport.GroupResult g : report.groups()) {
        for (VerifyReport.TableResult t : g.tables()) {
          for (VerifyReport.Comparison c : t.comparisons()) {
            if (c.result() == VerifyReport.Result.NOT_COMPARED) {
              continue;
            }
            Map<Row, Long> mine = rowCounts(spark.read().format("delta")
                .load(t.secondaryLocation()));
            Map<Row, Long> theirs = rowCounts(spark.read().format("delta")
                .option("versionAsOf", c.version()).load(c.location()));
            boolean same = mine.equals(theirs);
            assertThat(c.result()).as("verify of " + t.table() + " vs " + c.side() + " version "
                    + c.version() + " against the rows")
                .isEqualTo(same ? VerifyReport.Result.MATCH : VerifyReport.Result.MISMATCH);
          }
        }
      }
      return report;
    }

    // --- engines ---------------------------------------------------------------------------------

    private void write(String regionDir, Region region, String row) throws Exception {
      String bronze = location(region, BRONZE).sqlIdentifier();
      String gold = location(region, GOLD).sqlIdentifier();
      // The run's commit stamp is the sequence's session's userMetadata; runs still take turns
      // (the run log refuses two at once per session, and the turns keep the load even).
      synchronized (RUNS) {
        new LocalRunLog(regionDir).record(WORKFLOW, runId -> {
          spark.sql("CREATE TABLE IF NOT EXISTS " + bronze
              + " (label STRING, ord BIGINT) USING delta");
          spark.sql("CREATE TABLE IF NOT EXISTS " + gold
              + " (n BIGINT, newest STRING) USING delta");
          spark.sql("INSERT INTO " + bronze + " VALUES ('" + row + "', " + label + ")");
          spark.sql("INSERT OVERWRITE " + gold + " SELECT count(*), max_by(label, ord) FROM "
              + bronze);
          return null;
        });
      }
    }

    private TableLocation location(Region region, String table) {
      TableName name = TableName.parse(table);
      return region == Region.PRIMARY ? placement.primary(name) : placement.secondary(name);
    }

    private Sender sender() {
      return Sender.builder()
          .runSources(w -> LocalRunLog.forPrimary(w.local().orElseThrow()))
          .ledgers(DrEngines::ledger)
          .versions(DrEngines.versions())
          .cloner(DrEngines.cloner())
          .tableIds(new SparkTableIds(spark))
          .sleeper(d -> { })
          .retryBase(Duration.ofMillis(1))
          .build();
    }

    private Receiver receiver() {
      return Receiver.create(DrEngines::ledger, DrEngines.cloner(), Cloners.stagingCheck(),
          GroupListener.none());
    }

    private io.deltasync.ledger.Epoch epoch() {
      return new LedgerState(DrEngines.ledger(ws).read()).currentEpoch(ws.name());
    }
  }

  /**
   * The rows as a multiset (each row with how often it occurs): two are equal exactly when EXCEPT
   * ALL is empty both ways. The tables hold a few rows, so the driver compares them.
   */
  private static Map<Row, Long> rowCounts(Dataset<Row> rows) {
    return rows.collectAsList().stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
