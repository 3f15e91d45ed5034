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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures and races of the sender on real Delta tables in embedded mode. */
class SyncFailureEndToEndTest {

  private static final String BRONZE = "c.raw.bronze";
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

  private static TableName name(String table) {
    return TableName.parse(table);
  }

  private void write(TableLocation table, long from, long to, String mode) {
    spark.range(from, to).selectExpr("id", "concat('row-', id) AS label")
        .write().format("delta").mode(mode).save(table.toString());
  }

  /** A table that cannot be cloned fails its group only; the group's previous sync point stays. */
  @Test
  void aFailedTableRecordsNoSyncPointAndOtherGroupsStillSync() throws Exception {
    SyncGroup wf = Configs.workflowGroup("wf", "etl", BRONZE, GOLD);
    SyncGroup ref = Configs.standaloneGroup("ref", "c.raw.ref");
    WorkspaceConfig workspace = Configs.workspace("ws", dir.toString(), 1, Duration.ofMinutes(0),
        wf, ref);
    DeltaSyncConfig config = Configs.config(workspace);
    Placement at = Placement.of(workspace);
    LocalRunLog runLog = LocalRunLog.forPrimary(workspace.local().orElseThrow());
    runLog.record("etl", runId -> {
      write(at.primary(name(BRONZE)), 0, 10, "overwrite");
      write(at.primary(name(GOLD)), 0, 2, "overwrite");
      return null;
    });
    write(at.primary(name("c.raw.ref")), 0, 5, "overwrite");
    assertThat(sender().run(config, Sender.Request.all()).failed()).isFalse();

    runLog.record("etl", runId -> {
      write(at.primary(name(BRONZE)), 10, 20, "append");
      write(at.primary(name(GOLD)), 2, 4, "append");
      return null;
    });
    write(at.primary(name("c.raw.ref")), 5, 9, "append");
    // Someone replaced the staging copy of gold with a table that is not a clone of gold.
    TableLocation goldStaging = at.staging(wf, name(GOLD));
    org.apache.hadoop.fs.FileUtil.fullyDelete(new java.io.File(goldStaging.toString()));
    write(goldStaging, 500, 501, "overwrite");

    CycleResult result = sender().run(config, Sender.Request.all());

    assertThat(result.groups()).extracting(GroupOutcome::group, GroupOutcome::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("wf", GroupStatus.FAILED),
            org.assertj.core.groups.Tuple.tuple("ref", GroupStatus.SYNCED));
    assertThat(result.groups().get(0).error().orElseThrow()).contains(GOLD, goldStaging.toString());
    LedgerState state = ledger(workspace);
    assertThat(state.lastStaged("ws", "wf").orElseThrow().sequence()).isEqualTo(1);
    assertThat(state.lastStaged("ws", "ref").orElseThrow().sequence()).isEqualTo(2);
    assertThat(state.lastFailure("ws", "wf").orElseThrow().tableName()).isEqualTo(GOLD);
    assertThat(sleeps).isEmpty();
  }

  /** Two sender cycles started at once record the group's sync point once. */
  @Test
  void twoConcurrentSenderCyclesDoNotDuplicateASyncPoint() throws Exception {
    SyncGroup wf = Configs.workflowGroup("wf", "etl", BRONZE);
    WorkspaceConfig workspace = Configs.workspace("ws", dir.toString(), 3, Duration.ofMinutes(15), wf);
    DeltaSyncConfig config = Configs.config(workspace);
    Placement at = Placement.of(workspace);
    LocalRunLog.forPrimary(workspace.local().orElseThrow()).record("etl", runId -> {
      write(at.primary(name(BRONZE)), 0, 10, "overwrite");
      return null;
    });

    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<CycleResult>> cycles = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      cycles.add(pool.submit(() -> {
        start.await();
        return sender().run(config, Sender.Request.all());
      }));
    }
    start.countDown();
    List<GroupStatus> statuses = new ArrayList<>();
    for (Future<CycleResult> cycle : cycles) {
      statuses.add(cycle.get(300, TimeUnit.SECONDS).groups().get(0).status());
    }
    pool.shutdown();

    assertThat(statuses).containsOnlyOnce(GroupStatus.SYNCED);
    List<LedgerRow> staged = ledger(workspace).rows().stream()
        .filter(r -> r.status() == SyncStatus.STAGED).toList();
    assertThat(staged).hasSize(1);
    assertThat(staged.get(0).sequence()).isEqualTo(1);
    DeltaTables.assertSameTable(at.primary(name(BRONZE)), 0, at.staging(wf, name(BRONZE)));
  }

  private LedgerState ledger(WorkspaceConfig workspace) {
    return new LedgerState(
        new DeltaSyncLedger(spark, Placement.of(workspace).ledger().uri()).read());
  }
}
