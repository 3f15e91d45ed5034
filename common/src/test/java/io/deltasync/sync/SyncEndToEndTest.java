package io.deltasync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
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
import io.deltasync.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender and the receiver on real Delta tables in embedded mode: the local run log, the real
 * version resolver, the portable cloner and the Delta ledger.
 */
class SyncEndToEndTest {

  private static final String BRONZE = "c.raw.bronze";
  private static final String SILVER = "c.stage.silver";
  private static final String GOLD = "c.main.gold";

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();
  private final List<Duration> sleeps = java.util.Collections.synchronizedList(new ArrayList<>());

  private Sender sender() {
    PortableCloner cloner = new PortableCloner(spark);
    return SyncWiring.senderBuilder(spark, cloner, ref -> {
      throw new AssertionError("embedded mode needs no secret");
    }).sleeper(sleeps::add).random(new Random(1)).build();
  }

  private Receiver receiver() {
    return new Receiver(SyncWiring.ledgers(spark), new PortableCloner(spark),
        java.time.Clock.systemUTC(), sleeps::add, new Random(1), Duration.ofSeconds(1),
        io.deltasync.clone.CloneOptions.defaults(), GroupListener.none(),
        io.deltasync.faults.Faults.NONE, new io.deltasync.spark.SnapshotFilesCheck(spark));
  }

  private static TableName name(String table) {
    return TableName.parse(table);
  }

  private void write(TableLocation table, long from, long to, String mode) {
    spark.range(from, to).selectExpr("id", "concat('row-', id) AS label")
        .write().format("delta").mode(mode).save(table.toString());
  }

  /**
   * The key scenario: run 1 of the workflow completes (bronze, a silver loop of three commits,
   * gold). Run 2 is in the middle of its silver loop when the sender runs. Staging must hold
   * exactly the state at the end of run 1 for every table; then the receiver applies exactly the
   * recorded versions, whatever staging holds by then.
   */
  @Test
  void midRunTheSenderStagesTheLastCompletedRunAndTheReceiverAppliesIt() throws Exception {
    SyncGroup group = Configs.workflowGroup("wf", "etl", BRONZE, SILVER, GOLD);
    WorkspaceConfig workspace = Configs.workspace("ws", dir.toString(), 2, Duration.ofMinutes(15),
        group);
    DeltaSyncConfig config = Configs.config(workspace);
    Placement at = Placement.of(workspace);
    TableLocation bronze = at.primary(name(BRONZE));
    TableLocation silver = at.primary(name(SILVER));
    TableLocation gold = at.primary(name(GOLD));
    LocalRunLog runLog = LocalRunLog.forPrimary(workspace.local().orElseThrow());

    runLog.record("etl", runId -> {
      write(bronze, 0, 100, "overwrite");
      write(silver, 0, 10, "overwrite");
      for (int i = 1; i <= 2; i++) {
        write(silver, i * 10, i * 10 + 10, "append");
      }
      write(gold, 0, 3, "overwrite");
      return null;
    });
    // End of run 1: bronze v0, silver v2, gold v0.
    Map<String, Long> run1 = Map.of(BRONZE, 0L, SILVER, 2L, GOLD, 0L);

    CycleResult[] midRun = new CycleResult[1];
    runLog.record("etl", runId -> {
      write(bronze, 100, 200, "append");
      write(silver, 30, 40, "append"); // the silver loop has begun...
      midRun[0] = sender().run(config, Sender.Request.all()); // ...when the sender runs
      write(silver, 40, 50, "append");
      write(gold, 3, 6, "append");
      return null;
    });

    GroupOutcome sent = midRun[0].groups().get(0);
    assertThat(sent.status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(sent.run().orElseThrow().runId()).isEqualTo(1);
    SyncPoint point = ledger(workspace).lastStaged("ws", "wf").orElseThrow();
    assertThat(point.runId()).hasValue(1);
    for (String table : List.of(BRONZE, SILVER, GOLD)) {
      LedgerRow row = point.table(table).orElseThrow();
      assertThat(row.sourceVersion()).as(table).hasValue(run1.get(table));
      assertThat(row.status()).isEqualTo(SyncStatus.STAGED);
      TableLocation staging = at.staging(group, name(table));
      DeltaTables.assertSameTable(at.primary(name(table)), run1.get(table), staging);
      assertThat(row.stagingVersion()).hasValue(DeltaTables.latestVersion(staging));
      assertThat(row.copiedFilesSize()).isPositive();
    }
    assertThat(DeltaTables.rowCount(at.staging(group, name(SILVER)))).isEqualTo(30);
    assertThat(DeltaTables.rowCount(at.staging(group, name(BRONZE)))).isEqualTo(100);

    // Staging changes after the sync point was recorded (as a later cycle that recorded nothing
    // would do): the receiver reads the recorded staging versions only.
    write(at.staging(group, name(GOLD)), 1000, 1010, "append");

    CycleResult received = receiver().run(config, Optional.empty());

    assertThat(received.groups().get(0).status()).isEqualTo(GroupStatus.SYNCED);
    SyncPoint applied = ledger(workspace).lastApplied("ws", "wf").orElseThrow();
    assertThat(applied.syncId()).isEqualTo(point.syncId());
    for (String table : List.of(BRONZE, SILVER, GOLD)) {
      TableLocation secondary = at.secondary(name(table));
      DeltaTables.assertSameTable(at.primary(name(table)), run1.get(table), secondary);
      assertThat(applied.table(table).orElseThrow().targetVersion())
          .hasValue(DeltaTables.latestVersion(secondary));
    }
    assertThat(DeltaTables.rowCount(at.secondary(name(GOLD)))).isEqualTo(3);

    // Run 2 has ended by now: the next cycle moves every table to its end.
    CycleResult next = sender().run(config, Sender.Request.all());
    assertThat(next.groups().get(0).run().orElseThrow().runId()).isEqualTo(2);
    SyncPoint second = ledger(workspace).lastStaged("ws", "wf").orElseThrow();
    assertThat(second.sequence()).isEqualTo(2);
    Map<String, Long> run2 = Map.of(BRONZE, 1L, SILVER, 4L, GOLD, 1L);
    for (String table : List.of(BRONZE, SILVER, GOLD)) {
      assertThat(second.table(table).orElseThrow().sourceVersion()).as(table).hasValue(run2.get(table));
    }

    // Nothing new: no bytes copied, nothing recorded.
    long rowsBefore = ledger(workspace).rows().size();
    CycleResult idle = sender().run(config, Sender.Request.all());
    assertThat(idle.groups().get(0).status()).isEqualTo(GroupStatus.UP_TO_DATE);
    assertThat(idle.groups().get(0).copiedBytes()).isZero();
    assertThat(ledger(workspace).rows()).hasSize((int) rowsBefore);

    CycleResult receivedRun2 = receiver().run(config, Optional.empty());
    assertThat(receivedRun2.groups().get(0).sequence()).hasValue(2);
    assertThat(DeltaTables.rowCount(at.secondary(name(SILVER)))).isEqualTo(50);
    assertThat(DeltaTables.rowCount(at.secondary(name(GOLD)))).isEqualTo(6);
    assertThat(sleeps).isEmpty();
  }

  private LedgerState ledger(WorkspaceConfig workspace) {
    return new LedgerState(
        new DeltaSyncLedger(spark, Placement.of(workspace).ledger().uri()).read());
  }
}
