package io.deltasync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.GroupStatus;
import io.deltasync.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrency on real Delta tables, with the interleavings forced through failure points (latches
 * and barriers with time-outs, no sleeps): the workflow committing while the sender stages, two
 * sender cycles at once, and the sender and the receiver appending to the ledger at once.
 */
class ConcurrencyTest {

  private static final long WAIT_SECONDS = 180;

  @TempDir Path dir;

  /** Two real threads (the common pool has one worker on a two-core machine). */
  private final java.util.concurrent.ExecutorService threads =
      java.util.concurrent.Executors.newFixedThreadPool(2);

  @org.junit.jupiter.api.AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** Waits at the n-th reach of a point until {@code gate} opens; records time-outs. */
  private static final class WaitAt implements Faults {
    private final FailurePoint point;
    private final int nth;
    private final Gate gate;
    private final AtomicInteger reached = new AtomicInteger();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    WaitAt(FailurePoint point, int nth, Gate gate) {
      this.point = point;
      this.nth = nth;
      this.gate = gate;
    }

    @Override
    public void reach(FailurePoint p) {
      if (p == point && reached.incrementAndGet() == nth) {
        try {
          gate.pass();
        } catch (Exception e) {
          failures.add(e);
        }
      }
    }
  }

  @FunctionalInterface
  private interface Gate {
    void pass() throws Exception;
  }

  private static Gate barrier(CyclicBarrier barrier) {
    return () -> barrier.await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Run 2 of the workflow commits to both tables while the sender is copying bronze's files:
   * versions were pinned at the end of run 1 before the copy, and the clones are AS OF those
   * versions, so staging and then the secondary hold exactly run 1.
   */
  @Test
  void theWorkflowCommittingDuringASyncDoesNotLeakIntoStaging() throws Exception {
    FaultyDr scenario = new FaultyDr(dir, Instant.now()).withReferenceTable();
    int run1 = scenario.completeRun();
    CountDownLatch senderCopying = new CountDownLatch(1);
    CountDownLatch workflowCommitted = new CountDownLatch(1);
    CountDownLatch senderDone = new CountDownLatch(1);
    String bronze = scenario.dr.primary("c.s.bronze").sqlIdentifier();
    String gold = scenario.dr.primary("c.s.gold").sqlIdentifier();

    CompletableFuture<Long> run2 = CompletableFuture.supplyAsync(() -> {
      try {
        return scenario.dr.runLog.record("orders_flow", runId -> {
          if (!senderCopying.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the sender never started copying");
          }
          SharedSpark.spark().sql("INSERT INTO " + bronze + " VALUES (9001, 'mid-sync')");
          SharedSpark.spark().sql("DELETE FROM " + bronze + " WHERE id < 10");
          SharedSpark.spark().sql("INSERT INTO " + gold + " VALUES (9001, 1)");
          workflowCommitted.countDown();
          if (!senderDone.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the sender never finished");
          }
          SharedSpark.spark().sql("INSERT INTO " + gold + " VALUES (9002, 2)");
          scenario.dr.clock.advance(Duration.ofMinutes(5));
          return runId;
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, threads);
    WaitAt duringCopy = new WaitAt(FailurePoint.CLONE_AFTER_FILE_COPIED, 1, () -> {
      senderCopying.countDown();
      if (!workflowCommitted.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("the workflow never committed");
      }
    });

    CycleResult sent;
    try {
      sent = scenario.send(duringCopy);
    } finally {
      senderDone.countDown();
    }
    run2.get(WAIT_SECONDS, TimeUnit.SECONDS);
    int run2Index = scenario.markCompleted();

    assertThat(duringCopy.failures).isEmpty();
    assertThat(sent.groups().get(0).status()).isEqualTo(GroupStatus.SYNCED);
    for (String table : FaultyDr.ORDERS) {
      assertThat(scenario.rows(scenario.staging(table)))
          .as("staging of %s = end of run 1", table)
          .hasValue(scenario.completedRows(run1, table));
      LedgerRow recorded = scenario.ledgerState().lastStaged("ws", "orders").orElseThrow()
          .table(table).orElseThrow();
      assertThat(recorded.sourceVersion().getAsLong()).as("pinned version of %s", table)
          .isLessThan(io.deltasync.testing.DeltaTables.latestVersion(scenario.dr.primary(table)));
    }
    assertThat(scenario.receive(Faults.NONE).failed()).isFalse();
    assertThat(scenario.secondaryRuns()).containsOnly(Map.entry("c.s.bronze", run1),
        Map.entry("c.s.gold", run1));

    // Run 2 has ended: the next cycle brings it whole.
    assertThat(scenario.send(Faults.NONE).failed()).isFalse();
    assertThat(scenario.receive(Faults.NONE).failed()).isFalse();
    assertThat(scenario.secondaryRuns()).containsOnly(Map.entry("c.s.bronze", run2Index),
        Map.entry("c.s.gold", run2Index));
  }

  /**
   * Two sender cycles started at once, forced to commit their staging clones together and then to
   * record the same sync point together: one records it, the other reports it already recorded;
   * staging is not corrupted and the secondary gets exactly the run.
   */
  @Test
  void twoSenderCyclesAtOnceRecordOneSyncPoint() throws Exception {
    FaultyDr scenario = new FaultyDr(dir, Instant.now()).withReferenceTable();
    scenario.completeRun();
    assertThat(scenario.send(Faults.NONE).failed()).isFalse();
    int run = scenario.completeRun();
    List<Long> before = scenario.stagedSequences("orders");
    CyclicBarrier commitTogether = new CyclicBarrier(2);
    CyclicBarrier recordTogether = new CyclicBarrier(2);

    List<WaitAt> waits = new java.util.ArrayList<>();
    List<CompletableFuture<CycleResult>> cycles = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      WaitAt commit = new WaitAt(FailurePoint.CLONE_BEFORE_COMMIT, 1, barrier(commitTogether));
      WaitAt record = new WaitAt(FailurePoint.SENDER_BEFORE_SYNC_POINT, 1,
          barrier(recordTogether));
      waits.add(commit);
      waits.add(record);
      Faults both = p -> {
        commit.reach(p);
        record.reach(p);
      };
      cycles.add(CompletableFuture.supplyAsync(() -> scenario.send(both), threads));
    }
    List<GroupStatus> statuses = new java.util.ArrayList<>();
    for (CompletableFuture<CycleResult> cycle : cycles) {
      GroupOutcome orders = cycle.get(WAIT_SECONDS * 2, TimeUnit.SECONDS).groups().get(0);
      assertThat(orders.error()).isEmpty();
      statuses.add(orders.status());
    }

    assertThat(waits).allSatisfy(w -> assertThat(w.failures).isEmpty());
    assertThat(statuses).containsExactlyInAnyOrder(GroupStatus.SYNCED,
        GroupStatus.ALREADY_RECORDED);
    assertThat(commitTogether.isBroken()).isFalse();
    assertThat(recordTogether.isBroken()).isFalse();

    List<Long> after = scenario.stagedSequences("orders");
    assertThat(after).hasSize(before.size() + 1).doesNotHaveDuplicates();
    SyncPoint point = scenario.ledgerState().lastStaged("ws", "orders").orElseThrow();
    for (String table : FaultyDr.ORDERS) {
      assertThat(scenario.rows(scenario.staging(table))).as("staging of %s", table)
          .hasValue(scenario.completedRows(run, table));
      assertThat(point.table(table).orElseThrow().stagingVersion().getAsLong())
          .isEqualTo(io.deltasync.testing.DeltaTables.latestVersion(
              scenario.staging(table)));
    }
    assertThat(scenario.receive(Faults.NONE).failed()).isFalse();
    assertThat(scenario.secondaryRuns()).containsOnly(Map.entry("c.s.bronze", run),
        Map.entry("c.s.gold", run));
  }

  /**
   * The sender records run 2's sync point while the receiver records that it applied run 1's, both
   * appends forced to commit at the same moment: every row of both lands.
   */
  @Test
  void senderAndReceiverAppendingToTheLedgerAtOnceLoseNoRow() throws Exception {
    FaultyDr scenario = new FaultyDr(dir, Instant.now()).withReferenceTable();
    scenario.completeRun();
    assertThat(scenario.send(Faults.NONE).failed()).isFalse();
    scenario.completeRun();
    Set<String> before = FaultyDr.keys(scenario.ledgerRows());
    CyclicBarrier appendTogether = new CyclicBarrier(2);
    WaitAt senderAppend = new WaitAt(FailurePoint.LEDGER_BEFORE_COMMIT, 1,
        barrier(appendTogether));
    WaitAt receiverAppend = new WaitAt(FailurePoint.LEDGER_BEFORE_COMMIT, 1,
        barrier(appendTogether));

    CompletableFuture<CycleResult> send = CompletableFuture.supplyAsync(
        () -> scenario.send(senderAppend), threads);
    CompletableFuture<CycleResult> receive = CompletableFuture.supplyAsync(
        () -> scenario.receive(receiverAppend), threads);
    CycleResult sent = send.get(WAIT_SECONDS * 2, TimeUnit.SECONDS);
    CycleResult received = receive.get(WAIT_SECONDS * 2, TimeUnit.SECONDS);

    assertThat(senderAppend.failures).isEmpty();
    assertThat(receiverAppend.failures).isEmpty();
    assertThat(appendTogether.isBroken()).isFalse();
    GroupOutcome staged = sent.groups().get(0);
    GroupOutcome applied = received.groups().get(0);
    assertThat(staged.status()).as("%s", staged).isEqualTo(GroupStatus.SYNCED);
    assertThat(applied.status()).as("%s", applied).isEqualTo(GroupStatus.SYNCED);
    List<LedgerRow> rows = scenario.ledgerRows();
    assertThat(FaultyDr.keys(rows)).containsAll(before);
    assertThat(rows).filteredOn(r -> r.syncId().equals(staged.syncId().orElseThrow()))
        .extracting(LedgerRow::status, LedgerRow::tableName)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(SyncStatus.STAGED, "c.s.bronze"),
            org.assertj.core.groups.Tuple.tuple(SyncStatus.STAGED, "c.s.gold"));
    assertThat(rows).filteredOn(r -> r.syncId().equals(applied.syncId().orElseThrow())
            && r.status() == SyncStatus.APPLIED)
        .extracting(LedgerRow::tableName)
        .containsExactlyInAnyOrder("c.s.bronze", "c.s.gold");
    assertThat(rows).hasSize(before.size() + 4 + rowsOfOtherGroups(rows, before));
  }

  /** Rows of the standalone group written by the two cycles (it may sync and apply too). */
  private static int rowsOfOtherGroups(List<LedgerRow> rows, Set<String> before) {
    return (int) rows.stream()
        .filter(r -> !r.groupName().equals("orders") && !before.contains(FaultyDr.key(r)))
        .count();
  }
}
