package io.deltasync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.clone.TableCloner;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.Parallelism;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.faults.FailurePoint;
import io.deltasync.faults.Faults;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.spark.DeltaSyncLedger;
import io.deltasync.spark.PortableCloner;
import io.deltasync.spark.SnapshotFilesCheck;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import io.deltasync.testing.DeltaTables;
import io.deltasync.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Groups and their tables run concurrently in the sender and the receiver, on real Delta tables
 * with the portable cloner and the Delta ledger; a group its time limit stops records TIMED_OUT and
 * nothing else, while the other groups finish.
 */
class ParallelGroupsTest {

  /** How long a test waits for threads that should meet; far beyond what a run needs. */
  private static final long WAIT_SECONDS = 600;

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  private static final List<String> GROUPS = List.of("orders", "stock", "slow", "users");

  private static SyncGroup group(String name) {
    return Configs.standaloneGroup(name, "c." + name + ".a", "c." + name + ".b");
  }

  private WorkspaceConfig workspace(Parallelism parallelism) {
    return Configs.workspace("ws", dir.toString(), 0, Duration.ofMinutes(15),
            GROUPS.stream().map(ParallelGroupsTest::group).toArray(SyncGroup[]::new))
        .withParallelism(parallelism);
  }

  private void writePrimaries(WorkspaceConfig ws) {
    Placement at = Placement.of(ws);
    long n = 0;
    for (SyncGroup group : ws.groups()) {
      for (var table : group.tables()) {
        n += 10;
        spark.range(0, n).selectExpr("id", "concat('row-', id) AS label").repartition(3)
            .write().format("delta").mode("overwrite").save(at.primary(table.source()).toString());
      }
    }
  }

  private Sender sender(TableCloner cloner, GroupTimer timer) {
    return SyncWiring.senderBuilder(spark, cloner, ref -> {
      throw new AssertionError("embedded mode needs no secret");
    }).sleeper(d -> { }).random(new Random(1)).groupTimer(timer).build();
  }

  private Receiver receiver(TableCloner cloner, GroupTimer timer) {
    return new Receiver(SyncWiring.ledgers(spark), cloner, Clock.systemUTC(), d -> { },
        new Random(1), Duration.ofSeconds(1), CloneOptions.defaults(), GroupListener.none(),
        Faults.NONE, new SnapshotFilesCheck(spark)).withGroupTimer(timer);
  }

  private LedgerState ledger(WorkspaceConfig ws) {
    return new LedgerState(SyncWiring.ledgers(spark).apply(ws).read());
  }

  /**
   * Every clone of the 4 groups x 2 tables waits at one barrier of 8 before it starts: the cycle
   * gets through only if all 8 clones are in flight at once, in the sender and in the receiver.
   * Then the ledger holds exactly one sync point per group and one application of it.
   */
  @Test
  void everyGroupAndEveryTableIsClonedAtOnceAndTheLedgerIsExact() throws Exception {
    WorkspaceConfig ws = workspace(new Parallelism(4, 2, Duration.ofHours(1)));
    DeltaSyncConfig config = Configs.config(ws);
    writePrimaries(ws);
    MeetingCloner sending = new MeetingCloner(new PortableCloner(spark), 8);

    CycleResult sent = sender(sending, GroupTimer.system()).run(config, Sender.Request.all());

    assertThat(sending.barrier.isBroken()).as("all 8 clones met").isFalse();
    assertThat(sending.met).hasSize(8);
    assertThat(sent.groups()).extracting(GroupOutcome::group, GroupOutcome::status)
        .containsExactly(GROUPS.stream().map(g -> tuple(g, GroupStatus.SYNCED)).toArray(
            org.assertj.core.groups.Tuple[]::new));
    LedgerState state = ledger(ws);
    assertThat(state.rows()).hasSize(8).allMatch(r -> r.status() == SyncStatus.STAGED);
    Placement at = Placement.of(ws);
    for (SyncGroup group : ws.groups()) {
      var point = state.lastStaged("ws", group.name()).orElseThrow();
      assertThat(point.sequence()).isEqualTo(1);
      assertThat(point.tables()).hasSize(2);
      for (var table : group.tables()) {
        LedgerRow row = point.table(table.source().toString()).orElseThrow();
        assertThat(row.sourceVersion()).hasValue(0);
        DeltaTables.assertSameTable(at.primary(table.source()), 0,
            at.staging(group, table.source()));
        assertThat(row.stagingVersion())
            .hasValue(DeltaTables.latestVersion(at.staging(group, table.source())));
      }
    }

    MeetingCloner applying = new MeetingCloner(new PortableCloner(spark), 8);
    CycleResult received = receiver(applying, GroupTimer.system()).run(config, Optional.empty());

    assertThat(applying.barrier.isBroken()).isFalse();
    assertThat(received.groups()).extracting(GroupOutcome::status)
        .containsOnly(GroupStatus.SYNCED).hasSize(4);
    state = ledger(ws);
    assertThat(state.rows()).hasSize(16);
    for (SyncGroup group : ws.groups()) {
      assertThat(state.lastApplied("ws", group.name()).orElseThrow().syncId())
          .isEqualTo(state.lastStaged("ws", group.name()).orElseThrow().syncId());
      for (var table : group.tables()) {
        DeltaTables.assertSameTable(at.primary(table.source()), 0, at.secondary(table.source()));
      }
    }
  }

  /**
   * The slow group's clone stops after its first file; its time limit expires once every other
   * group has finished (and recorded its sync point). The slow group records one TIMED_OUT row per
   * table and no sync point; its half-copied staging is not visible as a version. The next cycle
   * stages it whole, and the receiver applies every group.
   */
  @Test
  void aTimedOutGroupRecordsTimedOutWhileTheOthersSync() throws Exception {
    WorkspaceConfig ws = workspace(new Parallelism(4, 2, Duration.ofHours(1)));
    DeltaSyncConfig config = Configs.config(ws);
    writePrimaries(ws);
    Placement at = Placement.of(ws);
    SyncGroup slow = ws.group("slow").orElseThrow();
    BlockingFaults stuck = new BlockingFaults();
    TableCloner cloner = new ByGroupCloner(at, slow, new PortableCloner(spark, stuck),
        new PortableCloner(spark));
    ManualTimer timer = new ManualTimer();
    List<GroupOutcome> told = new CopyOnWriteArrayList<>();
    CountDownLatch othersDone = new CountDownLatch(3);
    Sender sender = SyncWiring.senderBuilder(spark, cloner, ref -> "unused")
        .sleeper(d -> { }).groupTimer(timer).listener(o -> {
          told.add(o);
          othersDone.countDown();
        }).build();

    Future<CycleResult> cycle = threads.submit(() -> sender.run(config, Sender.Request.all()));
    assertThat(stuck.blocked.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("slow clone began").isTrue();
    assertThat(othersDone.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("others finished").isTrue();
    assertThat(told).extracting(GroupOutcome::group).containsExactlyInAnyOrder("orders", "stock",
        "users");
    assertThat(ledger(ws).lastStaged("ws", "users")).as("recorded while slow still ran")
        .isPresent();
    timer.expire("slow");
    CycleResult result = cycle.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(stuck.interrupted).as("the running copy was interrupted").isTrue();
    assertThat(result.groups()).extracting(GroupOutcome::group, GroupOutcome::status)
        .containsExactly(tuple("orders", GroupStatus.SYNCED), tuple("stock", GroupStatus.SYNCED),
            tuple("slow", GroupStatus.TIMED_OUT), tuple("users", GroupStatus.SYNCED));
    GroupOutcome timedOut = result.groups().get(2);
    assertThat(timedOut.error().orElseThrow())
        .contains("Sending of group slow (workspace ws) ran longer than group_timeout_mins (60 min)")
        .contains("nothing of it was recorded as synced");
    assertThat(result.failed()).isTrue();
    LedgerState state = ledger(ws);
    assertThat(state.lastStaged("ws", "slow")).isEmpty();
    assertThat(state.rows()).filteredOn(r -> r.groupName().equals("slow"))
        .extracting(LedgerRow::tableName, LedgerRow::status)
        .containsExactlyInAnyOrder(tuple("c.slow.a", SyncStatus.TIMED_OUT),
            tuple("c.slow.b", SyncStatus.TIMED_OUT));
    assertThat(state.lastFailure("ws", "slow").orElseThrow().error().orElseThrow())
        .contains("group_timeout_mins");
    assertThat(state.rows()).filteredOn(r -> r.status() == SyncStatus.STAGED).hasSize(6);
    for (var table : slow.tables()) {
      // Files of the stopped copy may be there, but no commit names them.
      assertThat(io.delta.tables.DeltaTable.isDeltaTable(spark,
          at.staging(slow, table.source()).toString())).isFalse();
    }

    // The next cycle takes the slow group up again, and the receiver applies every group.
    CycleResult next = sender(new PortableCloner(spark), GroupTimer.system())
        .run(config, Sender.Request.group("slow"));
    assertThat(next.groups()).extracting(GroupOutcome::status).containsExactly(GroupStatus.SYNCED);
    for (var table : slow.tables()) {
      DeltaTables.assertSameTable(at.primary(table.source()), 0, at.staging(slow, table.source()));
    }
    CycleResult received = receiver(new PortableCloner(spark), GroupTimer.system())
        .run(config, Optional.empty());
    assertThat(received.groups()).extracting(GroupOutcome::status)
        .containsOnly(GroupStatus.SYNCED).hasSize(4);
  }

  /**
   * The receiver's slow group is stopped while applying: TIMED_OUT rows for its sync point, no
   * APPLIED row, the other groups applied; the next cycle applies the same sync point.
   */
  @Test
  void aTimedOutReceiverGroupAppliesNothingUntilTheNextCycle() throws Exception {
    WorkspaceConfig ws = workspace(new Parallelism(4, 2, Duration.ofMinutes(30)));
    DeltaSyncConfig config = Configs.config(ws);
    writePrimaries(ws);
    Placement at = Placement.of(ws);
    assertThat(sender(new PortableCloner(spark), GroupTimer.system())
        .run(config, Sender.Request.all()).failed()).isFalse();
    SyncGroup slow = ws.group("slow").orElseThrow();
    BlockingFaults stuck = new BlockingFaults();
    ManualTimer timer = new ManualTimer();
    Receiver receiver = receiver(new ByGroupCloner(at, slow, new PortableCloner(spark, stuck),
        new PortableCloner(spark)), timer);

    Future<CycleResult> cycle = threads.submit(() -> receiver.run(config, Optional.empty()));
    assertThat(stuck.blocked.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    timer.expire("slow");
    CycleResult result = cycle.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(result.groups()).extracting(GroupOutcome::group, GroupOutcome::status)
        .containsExactly(tuple("orders", GroupStatus.SYNCED), tuple("stock", GroupStatus.SYNCED),
            tuple("slow", GroupStatus.TIMED_OUT), tuple("users", GroupStatus.SYNCED));
    assertThat(result.groups().get(2).error().orElseThrow())
        .contains("Receiving of group slow (workspace ws) ran longer than group_timeout_mins (30 min)");
    LedgerState state = ledger(ws);
    String slowPoint = state.lastStaged("ws", "slow").orElseThrow().syncId();
    assertThat(state.lastApplied("ws", "slow")).isEmpty();
    assertThat(state.rows()).filteredOn(r -> r.syncId().equals(slowPoint))
        .extracting(LedgerRow::tableName, LedgerRow::status)
        .containsExactlyInAnyOrder(tuple("c.slow.a", SyncStatus.STAGED),
            tuple("c.slow.b", SyncStatus.STAGED), tuple("c.slow.a", SyncStatus.TIMED_OUT),
            tuple("c.slow.b", SyncStatus.TIMED_OUT));
    assertThat(state.rows()).filteredOn(r -> r.status() == SyncStatus.APPLIED).hasSize(6);

    CycleResult next = receiver(new PortableCloner(spark), GroupTimer.system())
        .run(config, Optional.of("slow"));
    assertThat(next.groups()).extracting(GroupOutcome::status).containsExactly(GroupStatus.SYNCED);
    assertThat(ledger(ws).lastApplied("ws", "slow").orElseThrow().syncId()).isEqualTo(slowPoint);
    for (var table : slow.tables()) {
      DeltaTables.assertSameTable(at.primary(table.source()), 0, at.secondary(table.source()));
    }
  }

  /**
   * Eight groups append to a ledger that does not exist yet, all at the same moment: Delta's
   * optimistic concurrency lets every append land (the first creates the table), each once.
   */
  @Test
  void concurrentAppendsToTheRealLedgerAllLandOnce() throws Exception {
    String path = dir.resolve("ledger").toString();
    CyclicBarrier together = new CyclicBarrier(8);
    DeltaSyncLedger ledger = new DeltaSyncLedger(spark, path, point -> {
      if (point == FailurePoint.LEDGER_BEFORE_COMMIT) {
        await(together);
      }
    });
    List<Future<SyncLedger.AppendOutcome>> appends = new ArrayList<>();
    for (int g = 0; g < 8; g++) {
      String group = "g" + g;
      appends.add(threads.submit(() -> ledger.append(List.of(row(group, "t1"), row(group, "t2")),
          Optional.of(LedgerTxn.sender("ws", group, 1)))));
    }
    for (Future<SyncLedger.AppendOutcome> append : appends) {
      assertThat(append.get(WAIT_SECONDS, TimeUnit.SECONDS))
          .isEqualTo(SyncLedger.AppendOutcome.APPENDED);
    }
    LedgerState state = new LedgerState(new DeltaSyncLedger(spark, path).read());
    assertThat(state.rows()).hasSize(16);
    for (int g = 0; g < 8; g++) {
      assertThat(state.lastStaged("ws", "g" + g).orElseThrow().tables()).hasSize(2);
    }
  }

  private static final Map<String, String> SYNC_IDS = new ConcurrentHashMap<>();

  private static LedgerRow row(String group, String table) {
    String syncId = SYNC_IDS.computeIfAbsent(group, g -> UUID.randomUUID().toString());
    return new LedgerRow(LedgerRow.CURRENT_FORMAT, syncId, 1, "ws", group, "c.s." + table,
        "c.s." + table, OptionalLong.empty(), Optional.empty(), OptionalLong.of(0),
        OptionalLong.of(0), OptionalLong.empty(), SyncStatus.STAGED, 1, 10, 0, 0, 10, 1, 5, 1,
        Optional.empty(), Instant.now());
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("threads did not meet: " + e, e);
    }
  }

  /** The real cloner, but every clone first waits until {@code parties} clones are in flight. */
  private static final class MeetingCloner implements TableCloner {
    final CyclicBarrier barrier;
    final Set<String> met = ConcurrentHashMap.newKeySet();
    private final TableCloner delegate;

    MeetingCloner(TableCloner delegate, int parties) {
      this.delegate = delegate;
      this.barrier = new CyclicBarrier(parties);
    }

    @Override
    public CloneResult clone(TableLocation source, long version, TableLocation target,
        CloneOptions options) {
      if (met.add(target.toString())) {
        await(barrier);
      }
      return delegate.clone(source, version, target, options);
    }

    @Override
    public long latestVersion(TableLocation table) {
      return delegate.latestVersion(table);
    }

    @Override
    public OptionalLong clonedVersion(TableLocation source, TableLocation target) {
      return delegate.clonedVersion(source, target);
    }
  }

  /** Clones of one group's tables go through {@code slow}, the others' through {@code normal}. */
  private static final class ByGroupCloner implements TableCloner {
    private final Set<String> slowTargets = ConcurrentHashMap.newKeySet();
    private final TableCloner slow;
    private final TableCloner normal;

    ByGroupCloner(Placement at, SyncGroup group, TableCloner slow, TableCloner normal) {
      for (var table : group.tables()) {
        slowTargets.add(at.staging(group, table.source()).toString());
        slowTargets.add(at.secondary(table.secondary()).toString());
      }
      this.slow = slow;
      this.normal = normal;
    }

    @Override
    public CloneResult clone(TableLocation source, long version, TableLocation target,
        CloneOptions options) {
      return (slowTargets.contains(target.toString()) ? slow : normal)
          .clone(source, version, target, options);
    }

    @Override
    public long latestVersion(TableLocation table) {
      return normal.latestVersion(table);
    }

    @Override
    public OptionalLong clonedVersion(TableLocation source, TableLocation target) {
      return normal.clonedVersion(source, target);
    }
  }

  /** After the first file a clone copied, blocks until interrupted (a copy that never ends). */
  private static final class BlockingFaults implements Faults {
    final CountDownLatch blocked = new CountDownLatch(1);
    volatile boolean interrupted;

    @Override
    public void reach(FailurePoint point) {
      if (point != FailurePoint.CLONE_AFTER_FILE_COPIED) {
        return;
      }
      blocked.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted = true;
        Thread.currentThread().interrupt();
        throw new IllegalStateException("copy interrupted", e);
      }
    }
  }

  /** A group's time limit expires when the test says so. */
  private static final class ManualTimer implements GroupTimer {
    private final Map<String, Runnable> started = new ConcurrentHashMap<>();

    @Override
    public Started start(String workspace, String group, Duration limit, Runnable expire) {
      started.put(group, expire);
      return () -> started.remove(group, expire);
    }

    void expire(String group) {
      Runnable expire = started.get(group);
      assertThat(expire).as("the time limit of %s is running", group).isNotNull();
      expire.run();
    }
  }
}
