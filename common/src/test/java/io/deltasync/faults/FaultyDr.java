package io.deltasync.faults;

import io.deltasync.clone.CloneOptions;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.spark.DeltaSyncLedger;
import io.deltasync.spark.PortableCloner;
import io.deltasync.spark.SnapshotFilesCheck;
import io.deltasync.spark.SparkTableHistory;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupListener;
import io.deltasync.sync.Placement;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.Sender;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.DrScenario;
import io.deltasync.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * A {@link DrScenario} whose sender and receiver take a {@link Faults}, plus what the crash tests
 * check: the row set of every {@code orders} table at the end of every completed run, whether a
 * secondary table holds one of them, and the ledger's rows.
 *
 * <p>Also the child JVM of the killed-process tests: {@link #main} runs one sender or receiver
 * cycle over an existing scenario folder and halts the JVM ({@link Runtime#halt}, no shutdown
 * hooks, no finally blocks) at the n-th time it reaches a failure point.
 */
public final class FaultyDr {

  /** The exit status of a child halted at its failure point. */
  public static final int HALTED = 77;
  /** The exit status of a child whose cycle ended without reaching its failure point. */
  public static final int NOT_REACHED = 3;

  public static final List<String> ORDERS = List.of("c.s.bronze", "c.s.gold");

  public final DrScenario dr;
  private final SparkSession spark = SharedSpark.spark();
  private DeltaSyncConfig config;
  /** Per completed run (in order): each orders table's rows at the end of the run. */
  private final List<Map<String, List<String>>> completed = new ArrayList<>();

  public FaultyDr(Path root, Instant start) {
    this.dr = new DrScenario(root, start);
    this.config = dr.config;
  }

  /** Moves staging and the ledger to {@code location} (any Hadoop URI, e.g. {@code faulty://}). */
  public FaultyDr withSyncLocation(String location) {
    WorkspaceConfig w = dr.workspace;
    WorkspaceConfig moved = new WorkspaceConfig(w.name(), w.url(), w.secondaryUrl(),
        w.credentials(), w.syncLocationPrimary(), location, w.syncInterval(),
        w.failoverInterval(), w.failoverDeadline(), w.maxRetries(), w.failureNotification(),
        w.successNotification(), w.groups(), w.local());
    this.config = new DeltaSyncConfig(dr.config.secretScope(), List.of(moved),
        dr.config.notifications());
    return this;
  }

  public DeltaSyncConfig config() {
    return config;
  }

  public WorkspaceConfig workspace() {
    return config.workspaces().get(0);
  }

  /** The staging copy of an {@code orders} table. */
  public TableLocation staging(String table) {
    return Placement.of(workspace()).staging(workspace().group("orders").orElseThrow(),
        io.deltasync.table.TableName.parse(table));
  }

  /**
   * Deletes one data file (the first by name) of {@code table}'s staging at the staging version
   * the group's last sync point recorded, as a hand or a broken tool would; returns its path
   * relative to the table root.
   */
  public String loseStagingFile(String table) throws java.io.IOException {
    long version = ledgerState().lastStaged("ws", "orders").orElseThrow().table(table).orElseThrow()
        .stagingVersion().getAsLong();
    String file = io.deltasync.testing.DeltaTables.snapshot(staging(table), version).allFiles()
        .collectAsList().stream().map(org.apache.spark.sql.delta.actions.AddFile::path).sorted()
        .findFirst().orElseThrow();
    java.nio.file.Files.delete(Path.of(staging(table).toString(), file));
    return file;
  }

  public String ledgerLocation() {
    return Placement.of(workspace()).ledger().uri();
  }

  /** Creates the standalone group's table, so that every group of the scenario can sync. */
  public FaultyDr withReferenceTable() {
    spark.sql("CREATE TABLE " + dr.primary("c.s.countries").sqlIdentifier()
        + " (code STRING, name STRING) USING delta");
    spark.sql("INSERT INTO " + dr.primary("c.s.countries").sqlIdentifier()
        + " VALUES ('FR', 'France'), ('NZ', 'New Zealand')");
    return this;
  }

  /**
   * A completed run of the workflow: creates the tables on the first run, inserts into both tables
   * (two files per insert), and from the third run deletes some gold rows (so clones remove
   * files). Records the row sets at its end. Returns the run's index (0 = first).
   */
  public int completeRun() throws Exception {
    int k = completed.size();
    long from = k * 100L;
    List<String> statements = new ArrayList<>();
    if (k == 0) {
      statements.add("CREATE TABLE $bronze (id BIGINT, label STRING) USING delta");
      statements.add("CREATE TABLE $gold (id BIGINT, total BIGINT) USING delta");
    }
    statements.add("INSERT INTO $bronze SELECT id, concat('b-', id) FROM range(" + from + ", "
        + (from + 40) + ", 1, 2)");
    statements.add("INSERT INTO $bronze SELECT id, concat('b-', id) FROM range(" + (from + 40)
        + ", " + (from + 60) + ", 1, 2)");
    statements.add("INSERT INTO $gold SELECT id, id * 10 FROM range(" + from + ", " + (from + 10)
        + ", 1, 2)");
    if (k >= 2) {
      statements.add("DELETE FROM $gold WHERE id % 7 = " + (k % 7));
    }
    dr.runOrders(Duration.ofMinutes(5), statements.toArray(String[]::new));
    return markCompleted();
  }

  /**
   * Records the primary's current row sets as the end state of a completed run (for runs a test
   * drives itself); returns the run's index.
   */
  public int markCompleted() {
    Map<String, List<String>> state = new HashMap<>();
    for (String table : ORDERS) {
      state.put(table, rows(dr.primary(table)).orElseThrow());
    }
    completed.add(Map.copyOf(state));
    return completed.size() - 1;
  }

  /** The rows of {@code table} at the end of completed run {@code k}. */
  public List<String> completedRows(int k, String table) {
    return completed.get(k).get(table);
  }

  public int completedRuns() {
    return completed.size();
  }

  /** A sender cycle whose cloner, ledger and sender reach {@code faults}. */
  public CycleResult send(Faults faults) {
    return Sender.builder()
        .runSources(ws -> dr.runLog)
        .ledgers(ws -> ledger(faults))
        .versions(SyncWiring.versions(new SparkTableHistory(spark)))
        .cloner(new PortableCloner(spark, faults))
        .clock(dr.clock)
        .sleeper(d -> { })
        .random(new Random(7))
        .retryBase(Duration.ofMillis(1))
        .faults(faults)
        .build()
        .run(config, Sender.Request.all());
  }

  /** A receiver cycle whose cloner, ledger and receiver reach {@code faults}. */
  public CycleResult receive(Faults faults) {
    return new Receiver(ws -> ledger(faults), new PortableCloner(spark, faults), dr.clock,
        d -> { }, new Random(7), Duration.ofMillis(1), CloneOptions.defaults(),
        GroupListener.none(), faults, new io.deltasync.spark.SnapshotFilesCheck(spark))
        .run(config, Optional.empty());
  }

  private DeltaSyncLedger ledger(Faults faults) {
    return new DeltaSyncLedger(spark, ledgerLocation(), faults);
  }

  public List<LedgerRow> ledgerRows() {
    return new DeltaSyncLedger(spark, ledgerLocation()).read();
  }

  public LedgerState ledgerState() {
    return new LedgerState(ledgerRows());
  }

  /** A table's rows as sorted strings; empty when it is not a Delta table (yet). */
  public Optional<List<String>> rows(TableLocation table) {
    if (!io.delta.tables.DeltaTable.isDeltaTable(spark, table.toString())) {
      return Optional.empty();
    }
    return Optional.of(spark.read().format("delta").load(table.toString()).collectAsList().stream()
        .map(Object::toString).sorted().toList());
  }

  /** The newest completed run whose end state {@code rows} equals for {@code table}. */
  public OptionalInt runHolding(String table, List<String> rows) {
    for (int k = completed.size() - 1; k >= 0; k--) {
      if (completed.get(k).get(table).equals(rows)) {
        return OptionalInt.of(k);
      }
    }
    return OptionalInt.empty();
  }

  /** The completed run each registered secondary orders table holds (-1: none yet). */
  public Map<String, Integer> secondaryRuns() {
    Map<String, Integer> held = new HashMap<>();
    for (String table : ORDERS) {
      Optional<List<String>> rows = rows(dr.secondary(table));
      held.put(table, rows.isEmpty() ? -1 : runHolding(table, rows.get()).orElse(-2));
    }
    return held;
  }

  /**
   * Every registered secondary table that exposes a state that is not the primary's at the end of
   * a completed run, described; empty when none does.
   */
  public List<String> exposedNonRunStates() {
    List<String> problems = new ArrayList<>();
    for (String table : ORDERS) {
      Optional<List<String>> rows = rows(dr.secondary(table));
      if (rows.isPresent() && runHolding(table, rows.get()).isEmpty()) {
        problems.add(table + " exposes " + rows.get().size()
            + " rows that are no completed run's state");
      }
    }
    return problems;
  }

  /** The identity of a ledger row (what must never be lost). */
  public static String key(LedgerRow row) {
    return row.syncId() + "/" + row.tableName() + "/" + row.status() + "/" + row.recordedAt();
  }

  public static Set<String> keys(List<LedgerRow> rows) {
    return rows.stream().map(FaultyDr::key).collect(Collectors.toSet());
  }

  /** The sequences of the STAGED sync points of a group, one entry per sync point. */
  public List<Long> stagedSequences(String group) {
    return ledgerState().syncPoints("ws", group, SyncStatus.STAGED).stream()
        .map(SyncPoint::sequence).toList();
  }

  /**
   * Throws (or runs {@code atPoint} then throws) the n-th time the engine reaches {@code point};
   * passes every other time. Thread-safe. Records what {@code atPoint} found, for the test to
   * assert once the cycle is over (an assertion error thrown inside the engine would be swallowed
   * as a step failure).
   */
  public static final class CrashAt implements Faults {
    private final FailurePoint point;
    private final int nth;
    private final Runnable atPoint;
    private final AtomicInteger reached = new AtomicInteger();
    public final List<Throwable> checkFailures = new CopyOnWriteArrayList<>();

    public CrashAt(FailurePoint point, int nth, Runnable atPoint) {
      this.point = point;
      this.nth = nth;
      this.atPoint = atPoint;
    }

    @Override
    public void reach(FailurePoint reachedPoint) {
      if (reachedPoint == point && reached.incrementAndGet() == nth) {
        try {
          atPoint.run();
        } catch (Throwable t) {
          checkFailures.add(t);
        }
        throw new InjectedCrash(point + " #" + nth);
      }
    }

    public boolean fired() {
      return reached.get() >= nth;
    }
  }

  /** The failure a test injects. */
  public static final class InjectedCrash extends RuntimeException {
    public InjectedCrash(String where) {
      super("injected crash at " + where);
    }
  }

  /**
   * Child JVM: {@code <root> <clock-epoch-millis> <send|receive> <FailurePoint> <n>}. Halts with
   * {@link #HALTED} at the n-th reach of the point; exits with {@link #NOT_REACHED} otherwise.
   */
  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    Instant now = Instant.ofEpochMilli(Long.parseLong(args[1]));
    String step = args[2];
    FailurePoint point = FailurePoint.valueOf(args[3]);
    int nth = Integer.parseInt(args[4]);
    AtomicInteger reached = new AtomicInteger();
    Faults halting = p -> {
      if (p == point && reached.incrementAndGet() == nth) {
        System.out.println("halting at " + p + " #" + nth);
        System.out.flush();
        Runtime.getRuntime().halt(HALTED);
      }
    };
    FaultyDr child = new FaultyDr(root, now);
    CycleResult result = step.equals("send") ? child.send(halting) : child.receive(halting);
    System.out.println("cycle ended without reaching " + point + " #" + nth + ": " + result);
    System.exit(NOT_REACHED);
  }
}
