package io.deltasync.samples.bench;

import io.deltasync.config.Credentials;
import io.deltasync.config.SecretRef;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.spark.DeltaSyncLedger;
import io.deltasync.spark.LedgerMaintenance;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bench ledger}: the sender's and failover's ledger time against a year-old and a
 * week-old ledger of 200 groups x 5 tables synced every 15 minutes.
 *
 * <p>Each ledger is written with Spark in bulk: one sync point per group per cycle (5 STAGED rows,
 * then 5 APPLIED rows), 1% of the cycles with a failed sender attempt before (1 FAILED and 4
 * SKIPPED rows), 0.2% with the staging found damaged (STAGING_DAMAGED instead of APPLIED), and a
 * failover drill in the middle (epoch 1, the secondary active for 2 hours, then epoch 2 after the
 * failback: the forward sender stages nothing in between). The history goes in four large
 * commits, with the change data feed switched on after the first (as the first maintenance
 * does). Then the newest cycle is written as the jobs write it: 200 sender commits (one sync point
 * each), the sender job's maintenance (the copy of the current rows), 200 receiver commits.
 *
 * <p>Measured, on each ledger: the sender cycle's ledger read ({@code SyncLedger.current}, the
 * median of 3 after one untimed read) and failover's ledger time: its decisions' read and each
 * group's decision, the read for the epoch record's points, and the epoch record (the current
 * epoch read, the append of 1,000 rows, the read back), in the order failover does them, when no
 * group needs rolling forward. Targets: sender read <= 2 s, failover <= 5 s, on both ledgers.
 */
public final class LedgerBench {

  static final Duration TARGET_SENDER = Duration.ofSeconds(2);
  static final Duration TARGET_FAILOVER = Duration.ofSeconds(5);
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  /**
   * @param dir the bench folder, wiped at start
   * @param groups groups
   * @param tablesPerGroup tables per group
   * @param cycle the sync interval
   * @param ages the ledgers' ages, in days
   */
  public record Settings(Path dir, int groups, int tablesPerGroup, Duration cycle,
      List<Integer> ages) {
    public Settings {
      Objects.requireNonNull(dir, "dir");
      ages = List.copyOf(ages);
    }

    public static Settings defaults(Path dir) {
      return new Settings(dir, 200, 5, Duration.ofMinutes(15), List.of(7, 365));
    }
  }

  /**
   * One ledger's figures.
   *
   * @param days its age
   * @param rows rows in the ledger
   * @param bytes bytes of its data files
   * @param commits its commits
   * @param currentRows rows of the current view (every workspace)
   * @param firstCopy building the first copy of the current rows from the whole history
   * @param maintenance the sender job's maintenance after the newest cycle (copy refreshed)
   * @param senderReads the sender's ledger reads (3, timed)
   * @param failover failover's total ledger time
   */
  public record Figures(int days, long rows, long bytes, long commits, int currentRows,
      Duration firstCopy, Duration maintenance, List<Duration> senderReads, Duration failover) {

    Duration senderRead() {
      List<Duration> sorted = senderReads.stream().sorted().toList();
      return sorted.get(sorted.size() / 2);
    }

    boolean pass() {
      return senderRead().compareTo(TARGET_SENDER) <= 0
          && failover.compareTo(TARGET_FAILOVER) <= 0;
    }
  }

  /** Every ledger's figures. */
  public record Result(Settings settings, List<Figures> ledgers) {

    public boolean pass() {
      return ledgers.stream().allMatch(Figures::pass);
    }

    public List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add(String.format(Locale.ROOT, "ledger: %d groups x %d tables, a sync point every %d"
              + " min, with failures and a failover drill", settings.groups(),
          settings.tablesPerGroup(), settings.cycle().toMinutes()));
      String f = "%-44s" + "%16s".repeat(ledgers.size());
      out.add(String.format(Locale.ROOT, f, header(ledgers)));
      out.add(row(f, "rows", l -> String.format(Locale.ROOT, "%,d", l.rows())));
      out.add(row(f, "data (MiB)", l -> BenchSupport.mib(l.bytes())));
      out.add(row(f, "commits", l -> Long.toString(l.commits())));
      out.add(row(f, "current rows (the view)", l -> Integer.toString(l.currentRows())));
      out.add(row(f, "first copy, from the whole history", l -> secs(l.firstCopy())));
      out.add(row(f, "maintenance after a cycle", l -> secs(l.maintenance())));
      out.add(row(f, "sender ledger read (3 runs)", l -> l.senderReads().stream()
          .map(d -> String.format(Locale.ROOT, "%.2f", d.toMillis() / 1000.0))
          .reduce((a, b) -> a + "/" + b).orElse("")));
      out.add(row(f, "sender ledger read, median", l -> secs(l.senderRead())));
      out.add(row(f, "failover total ledger time", l -> secs(l.failover())));
      out.add(String.format(Locale.ROOT, "target: sender read <= %d s and failover <= %d s on"
              + " every ledger: %s", TARGET_SENDER.toSeconds(), TARGET_FAILOVER.toSeconds(),
          pass() ? "PASS" : "MISS"));
      return out;
    }

    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bench", "ledger");
      m.put("groups", settings.groups());
      m.put("tables_per_group", settings.tablesPerGroup());
      m.put("cycle_mins", settings.cycle().toMinutes());
      List<Map<String, Object>> list = new ArrayList<>();
      for (Figures l : ledgers) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("days", l.days());
        e.put("rows", l.rows());
        e.put("bytes", l.bytes());
        e.put("commits", l.commits());
        e.put("current_rows", l.currentRows());
        e.put("first_copy_ms", l.firstCopy().toMillis());
        e.put("maintenance_ms", l.maintenance().toMillis());
        e.put("sender_reads_ms", l.senderReads().stream().map(Duration::toMillis).toList());
        e.put("sender_read_ms", l.senderRead().toMillis());
        e.put("failover_ms", l.failover().toMillis());
        list.add(e);
      }
      m.put("ledgers", list);
      m.put("target_sender_read_ms", TARGET_SENDER.toMillis());
      m.put("target_failover_ms", TARGET_FAILOVER.toMillis());
      m.put("pass", pass());
      return m;
    }

    private static Object[] header(List<Figures> ledgers) {
      List<Object> h = new ArrayList<>();
      h.add("FIGURE");
      ledgers.forEach(l -> h.add(l.days() + " days"));
      return h.toArray();
    }

    private String row(String f, String name, java.util.function.Function<Figures, String> value) {
      List<Object> r = new ArrayList<>();
      r.add(name);
      ledgers.forEach(l -> r.add(value.apply(l)));
      return String.format(Locale.ROOT, f, r.toArray());
    }

    private static String secs(Duration d) {
      return String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }
  }

  private final SparkSession spark;
  private final Settings settings;
  private final Consumer<String> progress;

  public LedgerBench(SparkSession spark, Settings settings, Consumer<String> progress) {
    this.spark = io.deltasync.samples.LocalSpark.tune(spark);
    this.settings = settings;
    this.progress = progress;
  }

  public Result run() {
    Path root = settings.dir().toAbsolutePath();
    BenchSupport.wipe(root, ".deltasync-bench");
    List<Figures> figures = new ArrayList<>();
    for (int days : settings.ages()) {
      figures.add(measure(root.resolve(days + "-days"), days));
    }
    return new Result(settings, figures);
  }

  private Figures measure(Path location, int days) {
    WorkspaceConfig ws = workspace(location);
    String path = location.resolve("_deltasync/ledger").toString();
    long cycles = days * (Duration.ofDays(1).toMinutes() / settings.cycle().toMinutes());
    progress.accept(days + " days: writing " + cycles + " cycles of " + settings.groups()
        + " groups in bulk");
    long drill = cycles / 2;
    long history = cycles - 1; // the newest cycle is written as the jobs write it
    long[] bounds = {0, history / 4, history / 2, 3 * history / 4, history};
    for (int i = 0; i < 4; i++) {
      history(bounds[i], bounds[i + 1], cycles, drill).write().format("delta").mode("append")
          .save(path);
      if (i == 0) {
        spark.sql("ALTER TABLE delta.`" + path
            + "` SET TBLPROPERTIES (delta.enableChangeDataFeed = true)");
        epochs(drill).write().format("delta").mode("append").save(path);
      }
    }
    DeltaSyncLedger ledger = new DeltaSyncLedger(spark, path);
    progress.accept(days + " days: building the first copy of the current rows");
    long started = System.nanoTime();
    ledger.writeCurrent(ledger.currentRows().optimized(NOW));
    Duration firstCopy = since(started);

    progress.accept(days + " days: the newest cycle: the sender's sync points, the sender job's"
        + " maintenance, then one receiver commit per group");
    long last = cycles - 1;
    List<Row> staged = new ArrayList<>();
    for (int g = 0; g < settings.groups(); g++) {
      syncPoint(g, last, SyncStatus.STAGED).forEach(r -> staged.add(sparkRow(r)));
    }
    // Before the copy: what they cost is the copy's, not the readers'.
    spark.createDataFrame(staged, DeltaSyncLedger.SCHEMA).coalesce(1).write().format("delta")
        .mode("append").save(path);
    started = System.nanoTime();
    LedgerMaintenance.Report report = new LedgerMaintenance(spark, Clock.systemUTC(),
        new LedgerMaintenance.Settings(Duration.ofDays(3650), Duration.ofDays(7))).run(ws);
    Duration maintenance = since(started);
    if (!report.problems().isEmpty()) {
      throw new IllegalStateException("maintenance failed: " + report.problems());
    }
    for (int g = 0; g < settings.groups(); g++) {
      // As the receiver appends (one commit per sync point, its transaction id).
      List<Row> rows = syncPoint(g, last, SyncStatus.APPLIED).stream().map(this::sparkRow)
          .toList();
      LedgerTxn txn = LedgerTxn.receiver("ws", group(g), last + 1);
      spark.createDataFrame(rows, DeltaSyncLedger.SCHEMA).coalesce(1).write().format("delta")
          .mode("append").option("txnAppId", txn.appId())
          .option("txnVersion", Long.toString(txn.version())).save(path);
    }

    progress.accept(days + " days: measuring");
    ledger.current("ws"); // untimed: the JVM's first read of this table
    List<Duration> reads = new ArrayList<>();
    int currentRows = 0;
    for (int i = 0; i < 3; i++) {
      // A new instance, as each sender cycle makes: nothing remembered from an earlier read.
      DeltaSyncLedger cycle = new DeltaSyncLedger(spark, path);
      started = System.nanoTime();
      LedgerState state = cycle.current("ws");
      reads.add(since(started));
      currentRows = state.rows().size();
      SyncPoint newest = state.lastApplied("ws", group(0)).orElseThrow();
      if (newest.sequence() != last + 1) {
        throw new IllegalStateException("the view reads sync point " + newest.sequence()
            + " applied, the ledger holds " + (last + 1));
      }
    }
    Duration failover = failover(new DeltaSyncLedger(spark, path));
    Dataset<Row> table = spark.read().format("delta").load(path);
    long rows = table.count();
    long commits = ledger.latestVersion() + 1;
    long bytes = BenchSupport.bytesUnder(Path.of(path));
    progress.accept(String.format(Locale.ROOT, "%d days: %,d rows, sender read %s, failover %s",
        days, rows, reads, failover));
    return new Figures(days, rows, bytes, commits, currentRows, firstCopy, maintenance, reads,
        failover);
  }

  /**
   * Failover's ledger calls when no group needs rolling forward, in its order, through one new
   * ledger instance as failover uses for a workspace.
   */
  private Duration failover(DeltaSyncLedger ledger) {
    long started = System.nanoTime();
    LedgerState before = ledger.current("ws");
    for (int g = 0; g < settings.groups(); g++) {
      String group = group(g);
      before.lastApplicable("ws", group);
      before.lastApplied("ws", group);
      before.fencedOff("ws", group);
      before.syncPoints("ws", group, SyncStatus.STAGED);
    }
    LedgerState points = ledger.current("ws");
    List<LedgerRow> record = new ArrayList<>();
    long number = ledger.current("ws").currentEpoch("ws").number() + 1;
    for (int g = 0; g < settings.groups(); g++) {
      SyncPoint applied = points.lastApplied("ws", group(g)).orElseThrow();
      for (LedgerRow t : applied.tables()) {
        record.add(new LedgerRow(LedgerRow.CURRENT_FORMAT, "epoch-" + number, applied.sequence(),
            "ws", group(g), t.tableName(), t.secondaryTable(), t.runId(), t.runEndTime(),
            t.sourceVersion(), t.stagingVersion(), t.targetVersion(), SyncStatus.EPOCH, 0, 0, 0,
            0, 0, 0, 0, 1, Optional.empty(), NOW, number, Region.SECONDARY, Optional.empty(),
            Optional.of("bench")));
      }
    }
    ledger.append(record, Optional.of(LedgerTxn.epoch("ws", number)));
    long recorded = ledger.current("ws").currentEpoch("ws").number();
    Duration took = since(started);
    if (recorded != number) {
      throw new IllegalStateException("epoch " + number + " not recorded, read " + recorded);
    }
    return took;
  }

  /** The bulk history of cycles {@code [from, to)}. */
  private Dataset<Row> history(long from, long to, long cycles, long drill) {
    int groups = settings.groups();
    long start = NOW.minus(settings.cycle().multipliedBy(cycles)).getEpochSecond();
    long step = settings.cycle().toSeconds();
    int partitions = (int) Math.max(2, (to - from) * groups / 200_000);
    return spark.range(from * groups, to * groups, 1, partitions)
        .selectExpr("id", "id DIV " + groups + " AS cycle", "id % " + groups + " AS g")
        // The forward sender stages nothing while the secondary is active (8 cycles).
        .where("cycle < " + drill + " OR cycle >= " + (drill + 8))
        .selectExpr("*", "explode(sequence(0, " + (settings.tablesPerGroup() - 1) + ")) AS t")
        .selectExpr("*", "explode(CASE"
            + " WHEN (cycle * 7 + g) % 100 = 0 THEN array('FAILED', 'STAGED', 'APPLIED')"
            + " WHEN (cycle * 13 + g) % 500 = 0 THEN array('STAGED', 'STAGING_DAMAGED')"
            + " ELSE array('STAGED', 'APPLIED') END) AS status")
        .selectExpr(
            "2 AS format_version",
            "CASE WHEN status = 'FAILED' THEN md5(concat('failed-', g, '-', cycle))"
                + " ELSE md5(concat(g, '-', cycle)) END AS sync_id",
            "cycle + 1 AS sequence",
            "'ws' AS workspace",
            "concat('group_', lpad(CAST(g AS STRING), 3, '0')) AS group_name",
            "concat('main.sales_', g, '.table_', t) AS table_name",
            "concat('dr.sales_', g, '.table_', t) AS secondary_table",
            "CASE WHEN status = 'FAILED' THEN NULL ELSE 1000000 + id END AS run_id",
            "CASE WHEN status = 'FAILED' THEN NULL ELSE timestamp_seconds(" + start + " + cycle * "
                + step + " - 120) END AS run_end_time",
            "CASE WHEN status = 'FAILED' THEN NULL ELSE (cycle + 1) * 3 + t END AS source_version",
            "CASE WHEN status = 'FAILED' THEN NULL ELSE cycle + 1 END AS staging_version",
            "CASE WHEN status = 'APPLIED' THEN cycle + 1 ELSE NULL END AS target_version",
            "CASE WHEN status = 'FAILED' AND t > 0 THEN 'SKIPPED' ELSE status END AS status",
            "3L AS num_copied_files", "30000L + id % 1000 AS copied_files_size",
            "1L AS num_removed_files", "10000L AS removed_files_size",
            "900000L + id % 5000 AS source_table_size", "90L AS source_num_of_files",
            "1500L + id % 700 AS duration_ms", "1 AS attempt",
            "CASE WHEN status = 'FAILED' THEN concat('Cannot read table main.sales_', g,"
                + " '.table_', t, ': the storage answered 503 Slow Down; retried 3 times')"
                + " ELSE NULL END AS error",
            "timestamp_seconds(" + start + " + cycle * " + step + " + CASE status"
                + " WHEN 'FAILED' THEN -300 WHEN 'STAGED' THEN 60 ELSE 480 END) AS recorded_at",
            "CASE WHEN cycle < " + drill + " THEN 0L ELSE 2L END AS epoch",
            "'PRIMARY' AS source_region",
            "md5(concat('table-', g, '-', t)) AS source_table_id",
            "CAST(NULL AS STRING) AS changed_by")
        .select(Arrays.stream(DeltaSyncLedger.SCHEMA.fieldNames())
            .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
  }

  /** The drill's two epoch records: the failover (epoch 1) and the failback (epoch 2). */
  private Dataset<Row> epochs(long drill) {
    List<Row> rows = new ArrayList<>();
    long start = NOW.minus(settings.cycle().multipliedBy(2 * drill)).getEpochSecond();
    for (int number = 1; number <= 2; number++) {
      Instant at = Instant.ofEpochSecond(start + drill * settings.cycle().toSeconds()
          + (number - 1) * 8 * settings.cycle().toSeconds());
      for (int g = 0; g < settings.groups(); g++) {
        for (int t = 0; t < settings.tablesPerGroup(); t++) {
          rows.add(RowFactory.create(2, "epoch-" + number + "-drill", drill, "ws", group(g),
              "main.sales_" + g + ".table_" + t, "dr.sales_" + g + ".table_" + t, null, null,
              drill * 3 + t, drill, drill, SyncStatus.EPOCH.name(), 0L, 0L, 0L, 0L, 0L, 0L, 0L,
              1, null, Timestamp.from(at), (long) number,
              (number == 1 ? Region.SECONDARY : Region.PRIMARY).name(), null,
              "drill@example.com"));
        }
      }
    }
    return spark.createDataFrame(rows, DeltaSyncLedger.SCHEMA).coalesce(1);
  }

  /** A group's sync point of cycle {@code cycle}, as the sender or the receiver records it. */
  private List<LedgerRow> syncPoint(int g, long cycle, SyncStatus status) {
    List<LedgerRow> rows = new ArrayList<>();
    Instant runEnd = NOW.minusSeconds(120);
    for (int t = 0; t < settings.tablesPerGroup(); t++) {
      rows.add(new LedgerRow(LedgerRow.CURRENT_FORMAT, "newest-" + g + "-" + cycle, cycle + 1,
          "ws", group(g), "main.sales_" + g + ".table_" + t, "dr.sales_" + g + ".table_" + t,
          OptionalLong.of(9_000_000 + g), Optional.of(runEnd),
          OptionalLong.of((cycle + 1) * 3 + t), OptionalLong.of(cycle + 1),
          status == SyncStatus.APPLIED ? OptionalLong.of(cycle + 1) : OptionalLong.empty(),
          status, 3, 30000, 1, 10000, 900000, 90, 1500, 1, Optional.empty(),
          NOW.plusSeconds(status == SyncStatus.APPLIED ? 480 : 60), 2, Region.PRIMARY,
          Optional.of("table-" + g + "-" + t), Optional.empty()));
    }
    return rows;
  }

  private Row sparkRow(LedgerRow r) {
    return RowFactory.create(r.formatVersion(), r.syncId(), r.sequence(), r.workspace(),
        r.groupName(), r.tableName(), r.secondaryTable(), boxed(r.runId()),
        r.runEndTime().map(Timestamp::from).orElse(null), boxed(r.sourceVersion()),
        boxed(r.stagingVersion()), boxed(r.targetVersion()), r.status().name(),
        r.numCopiedFiles(), r.copiedFilesSize(), r.numRemovedFiles(), r.removedFilesSize(),
        r.sourceTableSize(), r.sourceNumOfFiles(), r.durationMs(), r.attempt(),
        r.error().orElse(null), Timestamp.from(r.recordedAt()), r.epoch(),
        r.sourceRegion().name(), r.sourceTableId().orElse(null), r.changedBy().orElse(null));
  }

  private static Long boxed(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : null;
  }

  private static String group(int g) {
    return String.format(Locale.ROOT, "group_%03d", g);
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  private WorkspaceConfig workspace(Path location) {
    return new WorkspaceConfig("ws", URI.create("http://127.0.0.1:1"), Optional.empty(),
        new Credentials.Pat(new SecretRef("scope", "pat")), location.resolve("primary").toString(),
        location.toString(), settings.cycle(), Duration.ofMinutes(10), Duration.ofMinutes(60), 1,
        Optional.empty(), Optional.empty(), List.of(), Optional.empty());
  }
}
