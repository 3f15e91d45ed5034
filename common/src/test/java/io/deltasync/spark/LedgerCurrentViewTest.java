package io.deltasync.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.config.Credentials;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.ledger.Epoch;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.sync.Placement;
import io.deltasync.table.TableName;
import io.deltasync.testing.SharedSpark;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compact current-state view ({@code SyncLedger.current}) against the whole history, on real
 * Delta ledgers, and the maintenance's VACUUM of staging against the files sync points need.
 */
class LedgerCurrentViewTest {

  private static final List<String> GROUPS = List.of("g1", "g2", "g3", "g4");
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();
  private int minute;

  @Test
  void theCurrentViewDecidesWhatTheWholeHistoryDecides() {
    String path = dir.resolve("sync/_deltasync/ledger").toString();
    // g1 starts on a format 1 ledger: sync point 1 staged and applied by an old build.
    StructType format1 = new StructType(Arrays.copyOf(DeltaSyncLedger.SCHEMA.fields(), 23));
    spark.createDataFrame(List.of(
            RowFactory.create(1, "g1-1", 1L, "ws", "g1", "c.s.a", "c.s.a", 101L,
                Timestamp.from(T0), 7L, 1L, null, "STAGED", 2L, 200L, 0L, 0L, 200L, 2L, 50L, 1,
                null, Timestamp.from(T0.plusSeconds(10))),
            RowFactory.create(1, "g1-1", 1L, "ws", "g1", "c.s.a", "c.s.a", 101L,
                Timestamp.from(T0), 7L, 1L, 4L, "APPLIED", 2L, 200L, 0L, 0L, 200L, 2L, 50L, 1,
                null, Timestamp.from(T0.plusSeconds(20)))), format1)
        .write().format("delta").save(path);
    DeltaSyncLedger ledger = new DeltaSyncLedger(spark, path);
    assertSameDecisions(ledger);

    // g1: 2 staged and applied, 3 staged, then two sender failures at 4.
    stage(ledger, "g1", 2, 0);
    apply(ledger, "g1", 2, SyncStatus.APPLIED);
    stage(ledger, "g1", 3, 0);
    fail(ledger, "g1", 4, "g1-f1");
    fail(ledger, "g1", 4, "g1-f2");
    // g2: 1 staged, its staging found damaged, re-staged as 2 and applied; 3 staged and damaged.
    stage(ledger, "g2", 1, 0);
    apply(ledger, "g2", 1, SyncStatus.STAGING_DAMAGED);
    stage(ledger, "g2", 2, 0);
    apply(ledger, "g2", 2, SyncStatus.APPLIED);
    stage(ledger, "g2", 3, 0);
    apply(ledger, "g2", 3, SyncStatus.STAGING_DAMAGED);
    // g3: 1..3 staged, 1 applied, the receiver failed on 2.
    stage(ledger, "g3", 1, 0);
    stage(ledger, "g3", 2, 0);
    apply(ledger, "g3", 1, SyncStatus.APPLIED);
    apply(ledger, "g3", 2, SyncStatus.FAILED);
    stage(ledger, "g3", 3, 0);
    // g4: staged only.
    stage(ledger, "g4", 1, 0);
    assertSameDecisions(ledger); // the whole history reduced in Spark (no copy, no change feed)

    // Maintenance switches the change feed on and copies the current rows.
    LedgerMaintenance maintenance = new LedgerMaintenance(spark, Clock.systemUTC(),
        new LedgerMaintenance.Settings(Duration.ofHours(24), Duration.ofDays(7)));
    WorkspaceConfig ws = workspace(dir.resolve("unused").toString(), List.of());
    LedgerMaintenance.Report first = maintenance.run(withLedger(ws, path));
    assertThat(first.problems()).isEmpty();
    assertThat(first.optimized()).isTrue();
    assertThat(first.ledgerVersion()).isEqualTo(ledger.latestVersion() - 1); // OPTIMIZE after
    assertThat(new DeltaSyncLedger(spark, ledger.currentLocation()).latestVersion()).isZero();
    assertSameDecisions(ledger); // the copy, nothing appended since

    // A failover: epoch 1 makes the secondary active, recovery points g1 3, g2 2, g3 2, g4 1.
    epoch(ledger, 1, Region.SECONDARY, List.of(3L, 2L, 2L, 1L));
    // A late sender of the old epoch stages g3 4; the receiver rolls g1 3 forward.
    stage(ledger, "g3", 4, 0);
    apply(ledger, "g1", 3, SyncStatus.APPLIED);
    // The reverse direction's first sync point of g2 under epoch 1.
    stage(ledger, "g2", 4, 1);
    assertSameDecisions(ledger); // the copy plus the change feed
    LedgerState current = ledger.current("ws");
    // 3 and 4 were staged under epoch 0 above the recovery point 2.
    assertThat(current.fencedOff("ws", "g3")).extracting(SyncPoint::sequence)
        .containsExactly(3L, 4L);
    assertThat(current.lastApplicable("ws", "g3").orElseThrow().sequence()).isEqualTo(2);
    assertThat(current.currentEpoch("ws").number()).isEqualTo(1);
    assertThat(current.rows().size()).isLessThan(ledger.read().size());
    // g1's rows before its last applied sync point (format 1 included) are not needed any more.
    assertThat(current.rows()).noneMatch(r -> r.groupName().equals("g1") && r.sequence() < 3
        && r.status() != SyncStatus.EPOCH);

    // Maintenance again inside its period: no compaction, a fresh copy.
    LedgerMaintenance.Report second = maintenance.run(withLedger(ws, path));
    assertThat(second.optimized()).isFalse();
    assertThat(second.ledgerVersion()).isEqualTo(ledger.latestVersion());
    epoch(ledger, 2, Region.PRIMARY, List.of(3L, 4L, 2L, 1L));
    stage(ledger, "g4", 2, 2);
    assertSameDecisions(ledger);
    assertThat(ledger.current("ws").currentEpoch("ws").afterFailback()).isTrue();

    // A copy of another ledger (newer than this one's history) is ignored, not trusted.
    String other = dir.resolve("other").toString();
    new DeltaSyncLedger(spark, other).append(
        List.of(row("x-1", 1, "g1", SyncStatus.STAGED, 0, "c.s.a")), Optional.empty());
    spark.read().format("delta").load(ledger.currentLocation()).write().format("delta")
        .mode("overwrite").save(other + "_current");
    assertThat(new DeltaSyncLedger(spark, other).current("ws").lastStaged("ws", "g1")
        .orElseThrow().syncId()).isEqualTo("x-1");
  }

  @Test
  void aNewerFormatAppendedAfterTheCopyIsRefused() {
    String path = dir.resolve("sync/_deltasync/ledger").toString();
    DeltaSyncLedger ledger = new DeltaSyncLedger(spark, path);
    stage(ledger, "g1", 1, 0);
    WorkspaceConfig ws = withLedger(workspace(dir.toString(), List.of()), path);
    new LedgerMaintenance(spark, Clock.systemUTC(),
        new LedgerMaintenance.Settings(Duration.ofHours(24), Duration.ofDays(7))).run(ws);
    DeltaSyncLedger reader = new DeltaSyncLedger(spark, path);
    reader.current("ws"); // continues from these rows below
    spark.createDataFrame(List.of(RowFactory.create(3, "g1-2", 2L, "ws", "g1", "c.s.a", "c.s.a",
            null, null, null, null, null, "STAGED", 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1, null,
            Timestamp.from(T0), 0L, "PRIMARY", null, null)), DeltaSyncLedger.SCHEMA)
        .write().format("delta").mode("append").save(path);

    assertThatThrownBy(() -> ledger.current("ws"))
        .hasMessageContaining(path).hasMessageContaining("format version 3");
    assertThatThrownBy(() -> reader.current("ws"))
        .hasMessageContaining(path).hasMessageContaining("format version 3");
  }

  @Test
  void aLedgerCreatedAgainAtTheSamePathIsReadFromItsOwnCommits() throws IOException {
    String path = dir.resolve("sync/_deltasync/ledger").toString();
    DeltaSyncLedger ledger = new DeltaSyncLedger(spark, path);
    ledger.append(List.of(row("x-1", 1, "g1", SyncStatus.STAGED, 0, "c.s.a")), Optional.empty());
    spark.sql("ALTER TABLE delta.`" + path
        + "` SET TBLPROPERTIES (delta.enableChangeDataFeed = true)");
    assertThat(ledger.current("ws").lastStaged("ws", "g1").orElseThrow().syncId())
        .isEqualTo("x-1");

    // Dropped and created again: as many commits, another table.
    try (Stream<Path> files = Files.walk(dir.resolve("sync"))) {
      files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile)
          .forEach(java.io.File::delete);
    }
    DeltaSyncLedger writer = new DeltaSyncLedger(spark, path);
    writer.append(List.of(row("y-1", 1, "g2", SyncStatus.STAGED, 0, "c.s.a")), Optional.empty());
    spark.sql("ALTER TABLE delta.`" + path
        + "` SET TBLPROPERTIES (delta.enableChangeDataFeed = true)");
    writer.append(List.of(row("y-2", 2, "g2", SyncStatus.STAGED, 0, "c.s.a")), Optional.empty());

    LedgerState state = ledger.current("ws");
    assertThat(state.lastStaged("ws", "g1")).isEmpty();
    assertThat(state.lastStaged("ws", "g2").orElseThrow().syncId()).isEqualTo("y-2");
  }

  @Test
  void vacuumKeepsEveryFileASyncPointStillNeeds() throws IOException {
    String root = dir.toString();
    SyncGroup kept = group("gx", "c.s.x");
    SyncGroup done = group("gy", "c.s.y");
    WorkspaceConfig ws = workspace(root, List.of(kept, done));
    Placement placement = Placement.of(ws);
    String x = placement.staging(kept, TableName.parse("c.s.x")).uri();
    String y = placement.staging(done, TableName.parse("c.s.y")).uri();
    for (String staging : List.of(x, y)) {
      for (int v = 0; v < 3; v++) { // versions 0, 1, 2: each replaces the files of the one before
        spark.range(v * 10, v * 10 + 10).write().format("delta").mode("overwrite").save(staging);
      }
    }
    DeltaSyncLedger ledger = new DeltaSyncLedger(spark, placement.ledger().uri());
    // gx: sync point 1 (staging version 0) applied, 2 (version 1) and 3 (version 2) not yet.
    // gy: no sync point references its staging.
    List<LedgerRow> rows = new java.util.ArrayList<>();
    for (int seq = 1; seq <= 3; seq++) {
      rows.add(stagingRow("gx", "c.s.x", seq, SyncStatus.STAGED));
    }
    rows.add(stagingRow("gx", "c.s.x", 1, SyncStatus.APPLIED));
    // One commit for the lot (what the jobs append one sync point at a time).
    spark.createDataFrame(rows.stream().map(DeltaSyncLedger::toRow).toList(),
        DeltaSyncLedger.SCHEMA).write().format("delta").save(ledger.location());
    Set<String> xFiles = dataFiles(x);
    Set<String> yFiles = dataFiles(y);
    assertThat(xFiles).hasSize(yFiles.size()).hasSizeGreaterThanOrEqualTo(3);

    spark.conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
    LedgerMaintenance.Report report;
    try {
      report = new LedgerMaintenance(spark, Clock.systemUTC(), new LedgerMaintenance.Settings(
          Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1))).run(ws);
    } finally {
      spark.conf().unset("spark.databricks.delta.retentionDurationCheck.enabled");
    }

    assertThat(report.problems()).isEmpty();
    assertThat(report.vacuumed()).containsOnlyKeys(x, y);
    // gx still needs versions 0, 1 and 2: every file stays, each version reads whole.
    assertThat(dataFiles(x)).isEqualTo(xFiles);
    for (int v = 0; v < 3; v++) {
      assertThat(spark.read().format("delta").option("versionAsOf", v).load(x).count())
          .isEqualTo(10);
    }
    // Nothing needs gy's older versions: their files are gone, version 2 reads whole.
    Set<String> latest = spark.read().format("delta").load(y).inputFiles().length == 0 ? Set.of()
        : Arrays.stream(spark.read().format("delta").load(y).inputFiles())
            .map(f -> f.substring(f.lastIndexOf('/') + 1)).collect(Collectors.toSet());
    assertThat(dataFiles(y)).isEqualTo(latest).isNotEqualTo(yFiles);
    assertThat(spark.read().format("delta").load(y).count()).isEqualTo(10);
  }

  @Test
  void theNeededSyncPointsAreTheLastAppliedAndEveryLaterOne() {
    List<LedgerRow> rows = new java.util.ArrayList<>();
    for (int seq = 1; seq <= 4; seq++) {
      rows.add(stagingRow("g", "c.s.x", seq, SyncStatus.STAGED));
    }
    rows.add(stagingRow("g", "c.s.x", 1, SyncStatus.APPLIED));
    rows.add(stagingRow("g", "c.s.x", 2, SyncStatus.APPLIED));

    assertThat(LedgerMaintenance.needed(new LedgerState(rows), "ws", "g"))
        .extracting(SyncPoint::sequence, SyncPoint::syncId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, "g-2"),
            org.assertj.core.groups.Tuple.tuple(2L, "g-2"),
            org.assertj.core.groups.Tuple.tuple(3L, "g-3"),
            org.assertj.core.groups.Tuple.tuple(4L, "g-4"));
  }

  /**
   * The current view decides what the whole history decides, read by a new ledger instance (from
   * the copy on storage, or the whole history) and by {@code ledger}, which has read before and
   * continues from what it read then.
   */
  private void assertSameDecisions(DeltaSyncLedger ledger) {
    assertSameDecisions(ledger, new DeltaSyncLedger(spark, ledger.location()).current("ws"));
    assertSameDecisions(ledger, ledger.current("ws"));
  }

  private void assertSameDecisions(DeltaSyncLedger ledger, LedgerState current) {
    LedgerState full = new LedgerState(ledger.read());
    assertThat(describe(current.currentEpoch("ws"))).isEqualTo(describe(full.currentEpoch("ws")));
    assertThat(current.epochs("ws").stream().map(this::describe).toList())
        .isEqualTo(full.epochs("ws").stream().map(this::describe).toList());
    for (String g : GROUPS) {
      assertThat(current.lastStaged("ws", g).map(this::describe))
          .as("last staged of %s", g).isEqualTo(full.lastStaged("ws", g).map(this::describe));
      assertThat(current.lastApplied("ws", g).map(this::describe))
          .as("last applied of %s", g).isEqualTo(full.lastApplied("ws", g).map(this::describe));
      assertThat(current.lastApplicable("ws", g).map(this::describe))
          .as("last applicable of %s", g)
          .isEqualTo(full.lastApplicable("ws", g).map(this::describe));
      assertThat(current.fencedOff("ws", g).stream().map(this::describe).toList())
          .as("fenced off of %s", g)
          .isEqualTo(full.fencedOff("ws", g).stream().map(this::describe).toList());
      Optional<SyncPoint> last = full.lastStaged("ws", g);
      if (last.isPresent()) {
        assertThat(new TreeSet<>(current.stagingDamaged(last.get()).stream().map(this::key)
            .toList())).as("staging damaged of %s", g)
            .isEqualTo(new TreeSet<>(full.stagingDamaged(last.get()).stream().map(this::key)
                .toList()));
        assertThat(ofSyncId(current, last.get().syncId())).as("rows of %s's last", g)
            .isEqualTo(ofSyncId(full, last.get().syncId()));
        assertThat(failuresAt(current, g, last.get().sequence() + 1))
            .as("failures after %s's last", g)
            .isEqualTo(failuresAt(full, g, last.get().sequence() + 1));
      }
    }
  }

  private Set<String> ofSyncId(LedgerState state, String syncId) {
    return state.rows().stream().filter(r -> r.syncId().equals(syncId)).map(this::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private Set<String> failuresAt(LedgerState state, String group, long sequence) {
    return state.rows().stream().filter(r -> r.status() == SyncStatus.FAILED
            && r.groupName().equals(group) && r.sequence() == sequence).map(this::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private String describe(SyncPoint p) {
    return p.syncId() + "#" + p.sequence() + "@" + p.recordedAt() + new TreeSet<>(
        p.tables().stream().map(this::key).toList());
  }

  private String describe(Epoch e) {
    return e.number() + " " + e.active() + " " + e.changedAt() + " " + e.syncId() + new TreeSet<>(
        e.rows().stream().map(this::key).toList());
  }

  private String key(LedgerRow r) {
    return r.toString();
  }

  private void stage(DeltaSyncLedger ledger, String group, long sequence, long epoch) {
    String syncId = group + "-" + sequence + (epoch > 0 ? "-e" + epoch : "");
    ledger.append(List.of(row(syncId, sequence, group, SyncStatus.STAGED, epoch, "c.s.a"),
            row(syncId, sequence, group, SyncStatus.STAGED, epoch, "c.s.b")),
        Optional.of(LedgerTxn.sender("ws", group, sequence + 1000 * epoch)));
  }

  private void apply(DeltaSyncLedger ledger, String group, long sequence, SyncStatus status) {
    String syncId = group + "-" + sequence;
    ledger.append(List.of(row(syncId, sequence, group, status, 0, "c.s.a"),
        row(syncId, sequence, group, status, 0, "c.s.b")), Optional.empty());
  }

  private void fail(DeltaSyncLedger ledger, String group, long sequence, String syncId) {
    ledger.append(List.of(row(syncId, sequence, group, SyncStatus.FAILED, 0, "c.s.a"),
        row(syncId, sequence, group, SyncStatus.SKIPPED, 0, "c.s.b")), Optional.empty());
  }

  private void epoch(DeltaSyncLedger ledger, long number, Region active, List<Long> recovery) {
    String syncId = "epoch-" + number;
    Instant at = T0.plusSeconds(60L * ++minute);
    List<LedgerRow> rows = new java.util.ArrayList<>();
    for (int i = 0; i < GROUPS.size(); i++) {
      rows.add(new LedgerRow(LedgerRow.CURRENT_FORMAT, syncId, recovery.get(i), "ws",
          GROUPS.get(i), "c.s.a", "c.s.a", OptionalLong.empty(), Optional.empty(),
          OptionalLong.of(10 + i), OptionalLong.of(i), OptionalLong.of(20 + i), SyncStatus.EPOCH,
          0, 0, 0, 0, 0, 0, 0, 1, Optional.empty(), at, number, active, Optional.empty(),
          Optional.of("operator")));
    }
    ledger.append(rows, Optional.of(LedgerTxn.epoch("ws", number)));
  }

  private LedgerRow row(String syncId, long sequence, String group, SyncStatus status,
      long epoch, String table) {
    Instant at = T0.plusSeconds(60L * ++minute);
    return new LedgerRow(LedgerRow.CURRENT_FORMAT, syncId, sequence, "ws", group, table, table,
        OptionalLong.of(100 + sequence), Optional.of(T0.plusSeconds(sequence)),
        OptionalLong.of(sequence * 3), OptionalLong.of(sequence), status == SyncStatus.APPLIED
            ? OptionalLong.of(sequence + 1) : OptionalLong.empty(), status, 1, 100, 0, 0, 100, 1,
        5, 1, status == SyncStatus.FAILED ? Optional.of("boom") : Optional.empty(), at)
        .under(epoch, epoch % 2 == 1 ? Region.SECONDARY : Region.PRIMARY, Optional.of("id-a"));
  }

  private LedgerRow stagingRow(String group, String table, long sequence, SyncStatus status) {
    // Sync point n staged staging version n - 1.
    return new LedgerRow(LedgerRow.CURRENT_FORMAT, group + "-" + sequence, sequence, "ws", group,
        table, table, OptionalLong.of(sequence), Optional.of(T0), OptionalLong.of(sequence),
        OptionalLong.of(sequence - 1), status == SyncStatus.APPLIED
            ? OptionalLong.of(sequence) : OptionalLong.empty(), status, 1, 100, 0, 0, 100, 1, 5,
        1, Optional.empty(), T0.plusSeconds(sequence));
  }

  private static Set<String> dataFiles(String table) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(table))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static SyncGroup group(String name, String table) {
    return new SyncGroup("ws", name, "owner@example.com", Optional.of("wf-" + name),
        List.of(TableMapping.sameName(TableName.parse(table))));
  }

  private static WorkspaceConfig workspace(String root, List<SyncGroup> groups) {
    return new WorkspaceConfig("ws", URI.create("http://127.0.0.1:1"), Optional.empty(),
        new Credentials.Pat(new SecretRef("scope", "pat")), root + "/sync-primary",
        root + "/sync-secondary", Duration.ofMinutes(15), Duration.ofMinutes(10),
        Duration.ofMinutes(60), 1, Optional.empty(), Optional.empty(), groups,
        Optional.of(new LocalRegions(root + "/primary", root + "/secondary")));
  }

  /** {@code ws} with its ledger at {@code ledgerPath} ({@code <location>/_deltasync/ledger}). */
  private static WorkspaceConfig withLedger(WorkspaceConfig ws, String ledgerPath) {
    String location =
        ledgerPath.substring(0, ledgerPath.length() - "/_deltasync/ledger".length());
    return new WorkspaceConfig(ws.name(), ws.url(), ws.secondaryUrl(), ws.credentials(),
        ws.secondaryCredentials(), ws.syncLocationPrimary(), location, ws.syncInterval(),
        ws.failoverInterval(), ws.failoverDeadline(), ws.maxRetries(), ws.failureNotification(),
        ws.successNotification(), ws.groups(), ws.local());
  }
}
