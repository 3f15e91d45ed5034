package io.deltasync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.deltasync.clone.CloneOptions;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.failover.Failover;
import io.deltasync.failover.FailoverReport;
import io.deltasync.failover.GroupRecovery;
import io.deltasync.failover.RecoveryPoint;
import io.deltasync.faults.FailurePoint;
import io.deltasync.faults.Faults;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.spark.DeltaSyncLedger;
import io.deltasync.spark.PortableCloner;
import io.deltasync.spark.SnapshotFilesCheck;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import io.deltasync.testing.DeltaTables;
import io.deltasync.testing.LocalWorkspaces;
import io.deltasync.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.actions.AddFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, sequence 3, on real Delta tables: a staging file lost after the sync point was
 * recorded. The receiver applies nothing and records {@code STAGING_DAMAGED}; the sender re-stages
 * the same run at the same source versions; the receiver then applies it. Healed within one sender
 * cycle plus one receiver cycle.
 */
class StagingHealingEndToEndTest {

  private static final String READINGS = "c.iot.readings";
  private static final String DAILY = "c.iot.daily";

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();

  private SyncGroup group;
  private WorkspaceConfig workspace;
  private DeltaSyncConfig config;
  private Placement at;
  private LocalRunLog runLog;

  private void setUp() {
    group = Configs.workflowGroup("wf", "etl", READINGS, DAILY);
    workspace = Configs.workspace("ws", dir.toString(), 0, Duration.ofMinutes(15), group);
    config = Configs.config(workspace);
    at = Placement.of(workspace);
    runLog = LocalRunLog.forPrimary(workspace.local().orElseThrow());
  }

  private Sender sender() {
    return SyncWiring.senderBuilder(spark, new PortableCloner(spark), ref -> {
      throw new AssertionError("embedded mode needs no secret");
    }).sleeper(d -> { }).random(new Random(1)).build();
  }

  private Receiver receiver(Faults faults) {
    return new Receiver(SyncWiring.ledgers(spark), new PortableCloner(spark), Clock.systemUTC(),
        d -> { }, new Random(1), Duration.ofMillis(1), CloneOptions.defaults(),
        GroupListener.none(), faults, new SnapshotFilesCheck(spark));
  }

  private TableLocation primary(String table) {
    return at.primary(TableName.parse(table));
  }

  private TableLocation staging(String table) {
    return at.staging(group, TableName.parse(table));
  }

  private TableLocation secondary(String table) {
    return at.secondary(TableName.parse(table));
  }

  private void write(TableLocation table, long from, long to, String mode) {
    spark.range(from, to).selectExpr("id", "concat('row-', id) AS label").repartition(2)
        .write().format("delta").mode(mode).save(table.toString());
  }

  /** Run 1 synced and applied (sync point 1), run 2 staged (sync point 2), not applied. */
  private void pointOneAppliedPointTwoStaged() throws Exception {
    runLog.record("etl", runId -> {
      write(primary(READINGS), 0, 10, "overwrite");
      write(primary(DAILY), 0, 2, "overwrite");
      return null;
    });
    assertThat(sender().run(config, Sender.Request.all()).failed()).isFalse();
    assertThat(receiver(Faults.NONE).run(config, Optional.empty()).failed()).isFalse();
    runLog.record("etl", runId -> {
      write(primary(READINGS), 10, 20, "append");
      write(primary(DAILY), 0, 4, "overwrite");
      return null;
    });
    CycleResult sent = sender().run(config, Sender.Request.all());
    assertThat(sent.groups().get(0).status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(sent.groups().get(0).sequence()).hasValue(2);
  }

  /** Deletes one data file of the staging table's version; returns its path relative to the root. */
  private String deleteOneStagingFile(String table, long version) throws Exception {
    String file = DeltaTables.snapshot(staging(table), version).allFiles().collectAsList().stream()
        .map(AddFile::path).sorted().findFirst().orElseThrow();
    Files.delete(Path.of(staging(table).toString(), file));
    return file;
  }

  private LedgerState ledger() {
    return new LedgerState(new DeltaSyncLedger(spark, at.ledger().uri()).read());
  }

  private static String damagedMessage(long sequence, String table, TableLocation staging,
      long stagingVersion, String file, long sourceVersion) {
    return "Sync point " + sequence + " of group wf was not applied: the staging copy of " + table
        + " at " + staging + " is damaged at version " + stagingVersion + " (file " + file
        + " is missing). These files were removed or altered in staging outside deltasync; no table"
        + " of the group was applied. The next sender cycle re-stages " + table + " at source"
        + " version " + sourceVersion + " (the same run), and the next receiver cycle applies it;"
        + " nothing to do unless staging keeps losing files.";
  }

  @Test
  void aLostStagingFileIsReportedAppliedNowhereAndHealedByOneSendAndOneReceive() throws Exception {
    setUp();
    pointOneAppliedPointTwoStaged();
    SyncPoint two = ledger().lastStaged("ws", "wf").orElseThrow();
    long dailyStaging = two.table(DAILY).orElseThrow().stagingVersion().getAsLong();
    long readingsStaging = two.table(READINGS).orElseThrow().stagingVersion().getAsLong();
    assertThat(two.table(READINGS).orElseThrow().sourceVersion()).hasValue(1);
    assertThat(two.table(DAILY).orElseThrow().sourceVersion()).hasValue(1);
    String lost = deleteOneStagingFile(DAILY, dailyStaging);

    // Receiver: nothing applied, one STAGING_DAMAGED row naming daily and the file.
    CycleResult refused = receiver(Faults.NONE).run(config, Optional.empty());

    GroupOutcome outcome = refused.groups().get(0);
    assertThat(outcome.status()).isEqualTo(GroupStatus.FAILED);
    String message = damagedMessage(2, DAILY, staging(DAILY), dailyStaging, lost, 1);
    assertThat(outcome.error()).hasValue("sync point 2 not applied: " + DAILY + " (staging version "
        + dailyStaging + " into " + DAILY + "): " + message);
    assertThat(outcome.error().orElseThrow()).doesNotContainIgnoringCase("vacuum")
        .doesNotContainIgnoringCase("retention");
    for (String table : List.of(READINGS, DAILY)) {
      DeltaTables.assertSameTable(primary(table), 0, secondary(table));
    }
    List<LedgerRow> receiverRows = ledger().rows().stream()
        .filter(r -> r.syncId().equals(two.syncId()) && r.status() != SyncStatus.STAGED).toList();
    assertThat(receiverRows).extracting(LedgerRow::tableName, LedgerRow::status, LedgerRow::error,
            LedgerRow::stagingVersion, LedgerRow::sourceVersion)
        .containsExactlyInAnyOrder(
            tuple(READINGS, SyncStatus.SKIPPED,
                Optional.of("not applied: another table of the group failed"),
                java.util.OptionalLong.of(readingsStaging), java.util.OptionalLong.of(1)),
            tuple(DAILY, SyncStatus.STAGING_DAMAGED, Optional.of(message),
                java.util.OptionalLong.of(dailyStaging), java.util.OptionalLong.of(1)));
    assertThat(ledger().lastApplied("ws", "wf").orElseThrow().sequence()).isEqualTo(1);

    // Sender: re-stages run 2 at the same source versions, as sync point 3.
    CycleResult restaged = sender().run(config, Sender.Request.all());

    GroupOutcome sent = restaged.groups().get(0);
    assertThat(sent.status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(sent.sequence()).hasValue(3);
    SyncPoint three = ledger().lastStaged("ws", "wf").orElseThrow();
    assertThat(three.sequence()).isEqualTo(3);
    assertThat(three.runId()).isEqualTo(two.runId());
    assertThat(three.table(READINGS).orElseThrow().sourceVersion()).hasValue(1);
    assertThat(three.table(DAILY).orElseThrow().sourceVersion()).hasValue(1);
    assertThat(three.table(READINGS).orElseThrow().stagingVersion()).hasValue(readingsStaging);
    assertThat(three.table(DAILY).orElseThrow().stagingVersion()).hasValue(dailyStaging + 1);
    assertThat(three.table(READINGS).orElseThrow().numCopiedFiles()).isZero();
    assertThat(three.table(DAILY).orElseThrow().numCopiedFiles()).isEqualTo(1);
    assertThat(Files.exists(Path.of(staging(DAILY).toString(), lost))).isTrue();
    DeltaTables.assertSameTable(primary(DAILY), 1, staging(DAILY));

    // Receiver: applies sync point 3; the secondary equals the primary at run 2, row for row.
    CycleResult healed = receiver(Faults.NONE).run(config, Optional.empty());

    assertThat(healed.groups().get(0).status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(healed.groups().get(0).sequence()).hasValue(3);
    for (String table : List.of(READINGS, DAILY)) {
      DeltaTables.assertSameTable(primary(table), 1, secondary(table));
      assertThat(DeltaTables.read(secondary(table)).collectAsList())
          .containsExactlyInAnyOrderElementsOf(DeltaTables.readAsOf(primary(table), 1)
              .collectAsList());
    }
    assertThat(ledger().lastApplied("ws", "wf").orElseThrow().syncId()).isEqualTo(three.syncId());

    // And then idle.
    assertThat(sender().run(config, Sender.Request.all()).groups().get(0).status())
        .isEqualTo(GroupStatus.UP_TO_DATE);
    assertThat(receiver(Faults.NONE).run(config, Optional.empty()).groups().get(0).status())
        .isEqualTo(GroupStatus.UP_TO_DATE);
  }

  /**
   * A failure after the first table was applied (the receiver dies between the two tables): the
   * next receiver cycle rolls the group forward.
   */
  @Test
  void aReceiverFailingAfterTheFirstTableIsRolledForwardByTheNextCycle() throws Exception {
    setUp();
    pointOneAppliedPointTwoStaged();
    Faults crashBetweenTables = point -> {
      if (point == FailurePoint.RECEIVER_BETWEEN_TABLES) {
        throw new IllegalStateException("receiver killed between tables");
      }
    };

    CycleResult crashed = receiver(crashBetweenTables).run(config, Optional.empty());

    assertThat(crashed.groups().get(0).status()).isEqualTo(GroupStatus.FAILED);
    assertThat(crashed.groups().get(0).error().orElseThrow())
        .contains("receiver killed between tables");
    DeltaTables.assertSameTable(primary(READINGS), 1, secondary(READINGS));
    DeltaTables.assertSameTable(primary(DAILY), 0, secondary(DAILY));

    CycleResult next = receiver(Faults.NONE).run(config, Optional.empty());

    assertThat(next.groups().get(0).status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(next.groups().get(0).sequence()).hasValue(2);
    for (String table : List.of(READINGS, DAILY)) {
      DeltaTables.assertSameTable(primary(table), 1, secondary(table));
    }
  }

  /**
   * Staging loses a file after the receiver's check, while it applies the first table: the second
   * table's clone fails, is recorded STAGING_DAMAGED (not "vacuumed"), the sender re-stages, and
   * the next receiver cycle brings both tables to run 2.
   */
  @Test
  void aFileLostAfterTheCheckIsRecordedDamagedAndTheFailoverReportsEachTablesTruth() throws Exception {
    setUp();
    pointOneAppliedPointTwoStaged();
    SyncPoint two = ledger().lastStaged("ws", "wf").orElseThrow();
    long dailyStaging = two.table(DAILY).orElseThrow().stagingVersion().getAsLong();
    String[] lost = new String[1];
    AtomicInteger reached = new AtomicInteger();
    Faults loseAFile = point -> {
      if (point == FailurePoint.RECEIVER_BETWEEN_TABLES && reached.incrementAndGet() == 1) {
        try {
          lost[0] = deleteOneStagingFile(DAILY, dailyStaging);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };

    CycleResult failed = receiver(loseAFile).run(config, Optional.empty());

    assertThat(failed.groups().get(0).status()).isEqualTo(GroupStatus.FAILED);
    String message = damagedMessage(2, DAILY, staging(DAILY), dailyStaging, lost[0], 1);
    assertThat(failed.groups().get(0).error().orElseThrow()).endsWith(message)
        .doesNotContainIgnoringCase("vacuum");
    assertThat(ledger().rows().stream().filter(r -> r.status() == SyncStatus.STAGING_DAMAGED))
        .extracting(LedgerRow::tableName, LedgerRow::error)
        .containsExactly(tuple(DAILY, Optional.of(message)));
    // The window: readings at run 2, daily at run 1, until the next two cycles.
    DeltaTables.assertSameTable(primary(READINGS), 1, secondary(READINGS));
    DeltaTables.assertSameTable(primary(DAILY), 0, secondary(DAILY));

    // A failover now cannot roll forward, and its report tells each table's truth.
    FailoverReport report;
    try (LocalWorkspaces workspaces = LocalWorkspaces.start("scope", Clock.systemUTC(), "etl")) {
      report = Failover.builder()
          .primaryJobs(w -> workspaces.primaryJobs())
          .secondaryJobs(w -> workspaces.secondaryJobs())
          .ledgers(SyncWiring.ledgers(spark))
          .primaryRuns(w -> runLog)
          .cloner(new PortableCloner(spark))
          .stagingCheck(new SnapshotFilesCheck(spark))
          .sleeper(d -> { })
          .retryBase(Duration.ofMillis(1))
          .build()
          .run(config);
    }
    GroupRecovery recovery = report.groups().get(0);
    assertThat(recovery.status()).isEqualTo(GroupRecovery.Status.NOT_PROMOTED);
    assertThat(recovery.reason().orElseThrow()).startsWith("rolling forward sync point 2 failed:")
        .endsWith(message + ". In a failover the primary's sender does not re-stage it (the epoch"
            + " record fences it): fix the cause (damaged staging: restore its files) and run"
            + " failover again");
    RecoveryPoint held = recovery.point().orElseThrow();
    assertThat(held.sequence()).isEqualTo(1);
    assertThat(held.whole()).isFalse();
    assertThat(held.tables()).extracting(RecoveryPoint.TableVersion::table,
            RecoveryPoint.TableVersion::syncPoint, RecoveryPoint.TableVersion::sourceVersion,
            RecoveryPoint.TableVersion::targetVersion)
        .containsExactly(
            tuple(READINGS, 2L, java.util.OptionalLong.of(1),
                java.util.OptionalLong.of(DeltaTables.latestVersion(secondary(READINGS)))),
            tuple(DAILY, 1L, java.util.OptionalLong.of(0),
                java.util.OptionalLong.of(DeltaTables.latestVersion(secondary(DAILY)))));

    // The failover made the secondary active (epoch 1), so the primary's sender no longer stages:
    // the damaged sync point is healed only by a sender in the active region (see the first test
    // for the same STAGING_DAMAGED rows healed while the primary is active).
    GroupOutcome fenced = sender().run(config, Sender.Request.all()).groups().get(0);
    assertThat(fenced.status()).isEqualTo(GroupStatus.FAILED);
    assertThat(fenced.sequence()).isEmpty();
    assertThat(fenced.error().orElseThrow()).contains("Sender of workspace ws in the PRIMARY region"
        + " refused to stage").contains("is at epoch 1, in which the SECONDARY region is active");
    for (String table : List.of(READINGS, DAILY)) {
      assertThat(DeltaTables.latestVersion(secondary(table)))
          .isEqualTo(held.tables().stream().filter(t -> t.table().equals(table)).findFirst()
              .orElseThrow().targetVersion().getAsLong());
    }
  }
}
