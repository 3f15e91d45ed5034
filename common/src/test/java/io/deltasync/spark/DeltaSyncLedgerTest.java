package io.deltasync.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerRows;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncLedgerContract;
import io.deltasync.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaSyncLedgerTest extends SyncLedgerContract {

  @TempDir Path dir;
  private int ledgers;

  @Override
  protected SyncLedger newLedger() {
    return new DeltaSyncLedger(SharedSpark.spark(), dir.resolve("ledger" + ledgers++).toString());
  }

  @Test
  void theHeadReadThroughThePublicApiAsOnDatabricksEqualsTheOneFromTheDeltaLog() {
    String path = dir.resolve("head").toString();
    DeltaSyncLedger ledger = new DeltaSyncLedger(SharedSpark.spark(), path);
    assertThat(ledger.headThroughPublicApi()).isEqualTo(DeltaSyncLedger.Head.NONE);
    assertThat(ledger.head()).isEqualTo(DeltaSyncLedger.Head.NONE);

    ledger.append(List.of(LedgerRows.staged("s1", 1, "g", "c.s.a", 1, 1, Instant.now())),
        Optional.of(LedgerTxn.sender("ws", "g", 1)));
    DeltaSyncLedger.Head first = ledger.head();
    assertThat(first.version()).isZero();
    assertThat(first.changeFeed()).isFalse();
    assertThat(ledger.headThroughPublicApi()).isEqualTo(first);

    SharedSpark.spark().sql("ALTER TABLE delta.`" + path
        + "` SET TBLPROPERTIES (delta.enableChangeDataFeed = true)");
    DeltaSyncLedger.Head second = ledger.head();
    assertThat(second).isEqualTo(new DeltaSyncLedger.Head(1, first.tableId(), true));
    assertThat(ledger.headThroughPublicApi()).isEqualTo(second);
  }

  @Test
  void withTheChangeFeedOnAnAppendIsLookedForInTheCommitsAfterItOnly() {
    String path = dir.resolve("feed").toString();
    DeltaSyncLedger ledger = new DeltaSyncLedger(SharedSpark.spark(), path);
    ledger.append(List.of(LedgerRows.staged("s1", 1, "g", "c.s.a", 1, 1, Instant.now())),
        Optional.of(LedgerTxn.sender("ws", "g", 1)));
    SharedSpark.spark().sql("ALTER TABLE delta.`" + path
        + "` SET TBLPROPERTIES (delta.enableChangeDataFeed = true)");

    assertThat(ledger.append(List.of(LedgerRows.staged("s2", 2, "g", "c.s.a", 2, 2,
        Instant.now())), Optional.of(LedgerTxn.sender("ws", "g", 2))))
        .isEqualTo(SyncLedger.AppendOutcome.APPENDED);
    assertThat(ledger.append(List.of(LedgerRows.staged("s2-again", 2, "g", "c.s.a", 2, 2,
        Instant.now())), Optional.of(LedgerTxn.sender("ws", "g", 2))))
        .isEqualTo(SyncLedger.AppendOutcome.ALREADY_COMMITTED);
    // Another group's append in between: the skipped one is still told apart.
    ledger.append(List.of(LedgerRows.staged("h1", 1, "h", "c.s.b", 1, 1, Instant.now())),
        Optional.of(LedgerTxn.sender("ws", "h", 1)));
    assertThat(ledger.append(List.of(LedgerRows.staged("s1-again", 1, "g", "c.s.a", 1, 1,
        Instant.now())), Optional.of(LedgerTxn.sender("ws", "g", 1))))
        .isEqualTo(SyncLedger.AppendOutcome.ALREADY_COMMITTED);
    assertThat(ledger.read()).extracting(LedgerRow::syncId)
        .containsExactlyInAnyOrder("s1", "s2", "h1");
  }

  @Test
  void twoRacingAppendsOfTheSameSyncPointRecordItOnce() throws Exception {
    String path = dir.resolve("race").toString();
    new DeltaSyncLedger(SharedSpark.spark(), path).append(
        List.of(LedgerRows.staged("s1", 1, "g", "c.s.a", 1, 1, Instant.now())),
        Optional.of(LedgerTxn.sender("ws", "g", 1)));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> results = new ArrayList<>();
    for (String id : List.of("a", "b")) {
      results.add(pool.submit(() -> {
        start.await();
        try {
          return new DeltaSyncLedger(SharedSpark.spark(), path).append(
              List.of(LedgerRows.staged(id, 2, "g", "c.s.a", 2, 2, Instant.now())),
              Optional.of(LedgerTxn.sender("ws", "g", 2)));
        } catch (RuntimeException e) {
          return e;
        }
      }));
    }
    start.countDown();
    List<Object> outcomes = new ArrayList<>();
    for (Future<Object> result : results) {
      outcomes.add(result.get(120, TimeUnit.SECONDS));
    }
    pool.shutdown();

    List<LedgerRow> rows = new DeltaSyncLedger(SharedSpark.spark(), path).read();
    assertThat(rows.stream().filter(r -> r.sequence() == 2)).hasSize(1);
    assertThat(outcomes).containsOnlyOnce(SyncLedger.AppendOutcome.APPENDED);
  }
}
