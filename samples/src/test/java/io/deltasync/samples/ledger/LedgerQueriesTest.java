package io.deltasync.samples.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.databricks.UnityCatalogLedger;
import io.deltasync.failover.Failover;
import io.deltasync.failover.FailoverReport;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerRows;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.spark.PortableCloner;
import io.deltasync.spark.SnapshotFilesCheck;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.GroupStatus;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.CapturedLogs;
import io.deltasync.testing.DrScenario;
import io.deltasync.testing.LocalWorkspaces;
import io.deltasync.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's and the alert's queries (bundle/ledger/*.sql, as the bundle deploys them) on a
 * ledger written by the real sender, receiver and failover (portable cloner, local run log, Delta
 * ledger), times from a hand-set clock: each query's exact result, with {@code deltasync.ledger}
 * replaced by the ledger's path, and once by its name after {@link UnityCatalogLedger} registered
 * it in the session's catalog.
 */
class LedgerQueriesTest {

  static final Instant DAY1 = Instant.parse("2026-01-05T08:00:00Z");
  static final Instant DAY2 = Instant.parse("2026-01-06T09:00:00Z");

  @TempDir Path root;

  /**
   * Day 1: run 1 (08:00-08:10) and the standalone group sent at 08:15, applied at 08:20. Day 2:
   * run 2 (09:00-09:10) sent at 09:15, when the standalone group's table is gone (it fails), not
   * applied.
   */
  private DrScenario history() throws Exception {
    DrScenario s = new DrScenario(root, DAY1);
    spark().sql("CREATE TABLE " + countries(s).sqlIdentifier() + " (code STRING) USING delta");
    spark().sql("INSERT INTO " + countries(s).sqlIdentifier() + " VALUES ('fr'), ('de')");
    s.runOrders(Duration.ofMinutes(10),
        "CREATE TABLE $bronze (id BIGINT, name STRING) USING delta",
        "INSERT INTO $bronze VALUES (1, 'a'), (2, 'b')",
        "CREATE TABLE $gold (name STRING, total BIGINT) USING delta",
        "INSERT INTO $gold VALUES ('a', 1), ('b', 2)");
    s.clock.set(DAY1.plus(Duration.ofMinutes(15)));
    assertStatuses(s.send(), GroupStatus.SYNCED, GroupStatus.SYNCED);
    s.clock.set(DAY1.plus(Duration.ofMinutes(20)));
    assertStatuses(s.receive(), GroupStatus.SYNCED, GroupStatus.SYNCED);

    s.clock.set(DAY2);
    s.runOrders(Duration.ofMinutes(10), "INSERT INTO $bronze VALUES (3, 'c')",
        "INSERT INTO $gold VALUES ('c', 3)");
    String uri = ((TableLocation.Path) countries(s)).uri();
    deleteTree(uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)) : Path.of(uri));
    s.clock.set(DAY2.plus(Duration.ofMinutes(15)));
    assertStatuses(s.send(), GroupStatus.SYNCED, GroupStatus.FAILED);
    return s;
  }

  @Test
  void theQueriesGiveTheExactPostureOfARealLedger() throws Exception {
    DrScenario s = history();
    String ledger = "delta.`" + s.ledger().location() + "`";
    List<LedgerRow> rows = s.ledger().read();

    // The alert, before anything else changes: at 11:05 run 2's state is 115 minutes old.
    assertThat(query("groups_needing_attention", ledger, "2026-01-06 11:05:00")).containsExactly(
        "ws | reference | null | 0 | true | 2026-01-06T09:15:00Z");
    // At 11:20 it is 130 minutes old, past the 120-minute threshold.
    assertThat(query("groups_needing_attention", ledger, "2026-01-06 11:20:00")).containsExactly(
        "ws | orders | 130 | 1 | false | null",
        "ws | reference | null | 0 | true | 2026-01-06T09:15:00Z");
    // A threshold of 150 minutes (the bundle's lag_alert_mins) does not count it yet.
    assertThat(query("groups_needing_attention", ledger, "2026-01-06 11:20:00", 150))
        .containsExactly("ws | reference | null | 0 | true | 2026-01-06T09:15:00Z");

    // Failover at 11:30: the secondary rolls run 2 forward and becomes active (epoch 1).
    s.clock.set(DAY2.plus(Duration.ofMinutes(150)));
    FailoverReport report = failover(s);
    assertThat(report.groups()).hasSize(2);
    rows = s.ledger().read();

    assertThat(query("lag_per_group", ledger, null)).containsExactly(
        "ws | orders | 1 | 1 | 2026-01-05T08:20:00Z | 600 | 10.0",
        "ws | orders | 2 | 2 | 2026-01-06T11:30:00Z | 8400 | 140.0",
        "ws | reference | 1 | null | 2026-01-05T08:20:00Z | 300 | 5.0");

    assertThat(query("bytes_per_day", ledger, null)).containsExactly(
        "2026-01-05 | ws | send | " + bytes(rows, SyncStatus.STAGED, "2026-01-05") + " | "
            + files(rows, SyncStatus.STAGED, "2026-01-05") + " | 2",
        "2026-01-05 | ws | receive | " + bytes(rows, SyncStatus.APPLIED, "2026-01-05") + " | "
            + files(rows, SyncStatus.APPLIED, "2026-01-05") + " | 2",
        "2026-01-06 | ws | send | " + bytes(rows, SyncStatus.STAGED, "2026-01-06") + " | "
            + files(rows, SyncStatus.STAGED, "2026-01-06") + " | 1",
        "2026-01-06 | ws | receive | " + bytes(rows, SyncStatus.APPLIED, "2026-01-06") + " | "
            + files(rows, SyncStatus.APPLIED, "2026-01-06") + " | 1");
    assertThat(bytes(rows, SyncStatus.STAGED, "2026-01-06")).isPositive();

    List<LedgerRow> failed = rows.stream().filter(r -> r.status() == SyncStatus.FAILED)
        .sorted(Comparator.comparing(LedgerRow::recordedAt).reversed()).toList();
    assertThat(failed).hasSize(1);
    assertThat(query("failures", ledger, null)).containsExactly(
        "2026-01-06T09:15:00Z | ws | reference | c.s.countries | send | FAILED | "
            + failed.get(0).sequence() + " | 0 | 1 | " + failed.get(0).error().orElseThrow());
    assertThat(failed.get(0).error().orElseThrow()).contains(
        "Could not read the Delta table id of table ", "/c/s/countries", "no Delta table at ");

    assertThat(query("epochs", ledger, null)).containsExactly(
        "ws | 1 | SECONDARY | 2026-01-06T11:30:00Z | drill@example.com | 2");

    // After the failover, run 2 is held: only the standalone group's failure is left.
    assertThat(query("groups_needing_attention", ledger, "2026-01-06 11:45:00")).containsExactly(
        "ws | reference | null | 0 | true | 2026-01-06T09:15:00Z");

    // Registered by name (as the sender does on Databricks), the queries run unchanged, as the
    // dashboard runs them: deltasync.ledger resolves in the current catalog.
    UnityCatalogLedger registered = new UnityCatalogLedger(spark(), s.ledger(), "spark_catalog");
    try {
      assertThat(registered.register()).isTrue();
      assertThat(registered.register()).isTrue();
      assertThat(registered.tableName()).isEqualTo("spark_catalog.deltasync.ledger");
      assertThat(query("lag_per_group", "deltasync.ledger", null))
          .isEqualTo(query("lag_per_group", ledger, null));
      assertThat(spark().sql("SELECT count(*) FROM spark_catalog.deltasync.ledger").first().getLong(0))
          .isEqualTo(rows.size());
    } finally {
      spark().sql("DROP SCHEMA IF EXISTS spark_catalog.deltasync CASCADE");
    }
    // DROP of an external table keeps its data.
    assertThat(s.ledger().read()).hasSize(rows.size());
  }

  @Test
  void aRegistrationThatFailsIsAWarningAndTheAppendStands() throws Exception {
    DrScenario s = new DrScenario(root, DAY1);
    s.ledger().append(List.of(LedgerRows.staged("s1", 1, "orders", "c.s.bronze", 0, 0, DAY1)),
        java.util.Optional.empty());
    UnityCatalogLedger ledger = new UnityCatalogLedger(spark(), s.ledger(), "no_such_catalog");

    try (CapturedLogs logs = CapturedLogs.capture()) {
      assertThat(ledger.register()).isFalse();
      assertThat(logs.text()).contains("WARN " + UnityCatalogLedger.class.getName() + " - Ledger "
          + s.ledger().location() + " could not be registered as no_such_catalog.deltasync.ledger (")
          .contains("Grant this job's principal USE CATALOG and CREATE SCHEMA on no_such_catalog")
          .contains("CREATE TABLE IF NOT EXISTS `no_such_catalog`.`deltasync`.`ledger` USING DELTA"
              + " LOCATION '" + s.ledger().location() + "'");
    }
    assertThat(UnityCatalogLedger.statements("c", "abfss://x@y.dfs.core.windows.net/it's"))
        .containsExactly(
            "CREATE SCHEMA IF NOT EXISTS `c`.`deltasync` COMMENT 'deltasync: the DR sync ledger"
                + " (docs/sync.md)'",
            "CREATE TABLE IF NOT EXISTS `c`.`deltasync`.`ledger` USING DELTA LOCATION"
                + " 'abfss://x@y.dfs.core.windows.net/it\\'s'");
  }

  // -----------------------------------------------------------------------------------------------

  private FailoverReport failover(DrScenario s) {
    try (LocalWorkspaces workspaces = LocalWorkspaces.start("dr-scope", s.clock, "orders_flow")) {
      return Failover.builder()
          .primaryJobs(w -> workspaces.primaryJobs())
          .secondaryJobs(w -> workspaces.secondaryJobs())
          .ledgers(SyncWiring.ledgers(spark()))
          .primaryRuns(w -> s.runLog)
          .cloner(new PortableCloner(spark()))
          .stagingCheck(new SnapshotFilesCheck(spark()))
          .principal("drill@example.com")
          .clock(s.clock)
          .sleeper(d -> { })
          .retryBase(Duration.ofMillis(1))
          .build()
          .run(s.config);
    }
  }

  /** {@link #query(String, String, String, int)} at the alert's default threshold, 120 minutes. */
  static List<String> query(String name, String ledger, String now) throws IOException {
    return query(name, ledger, now, 120);
  }

  /**
   * The rows of bundle/ledger/{@code name}.sql on {@code ledger}, at {@code now} when given, with
   * {@code lagAlertMins} as its {@code :lag_alert_mins} parameter if it has one.
   */
  static List<String> query(String name, String ledger, String now, int lagAlertMins)
      throws IOException {
    String sql = Files.readString(repositoryRoot().resolve("bundle/ledger/" + name + ".sql"))
        .replace("deltasync.ledger", ledger);
    if (now != null) {
      sql = sql.replace("current_timestamp()", "TIMESTAMP'" + now + "'");
    }
    List<String> lines = new ArrayList<>();
    Dataset<Row> result = sql.contains(":lag_alert_mins")
        ? spark().sql(sql, Map.<String, Object>of("lag_alert_mins", lagAlertMins))
        : spark().sql(sql);
    for (Row row : result.collectAsList()) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        Object value = row.get(i);
        values.add(value instanceof Timestamp t ? t.toInstant().toString() : String.valueOf(value));
      }
      lines.add(String.join(" | ", values));
    }
    return lines;
  }

  private static long bytes(List<LedgerRow> rows, SyncStatus status, String day) {
    return rows.stream().filter(r -> r.status() == status && r.recordedAt().toString().startsWith(day))
        .mapToLong(LedgerRow::copiedFilesSize).sum();
  }

  private static long files(List<LedgerRow> rows, SyncStatus status, String day) {
    return rows.stream().filter(r -> r.status() == status && r.recordedAt().toString().startsWith(day))
        .mapToLong(LedgerRow::numCopiedFiles).sum();
  }

  private static void assertStatuses(CycleResult cycle, GroupStatus orders, GroupStatus reference) {
    assertThat(cycle.groups()).extracting(GroupOutcome::group, GroupOutcome::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("orders", orders),
            org.assertj.core.groups.Tuple.tuple("reference", reference));
  }

  private static TableLocation countries(DrScenario s) {
    return s.primary("c.s.countries");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }

  private static SparkSession spark() {
    return SharedSpark.spark();
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("databricks.yml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no databricks.yml above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
