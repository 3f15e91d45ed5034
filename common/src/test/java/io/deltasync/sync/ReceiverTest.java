package io.deltasync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.clone.CloneOptions;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncException;
import io.deltasync.ledger.InMemorySyncLedger;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerRows;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The receiver's decisions, on fakes (no Spark). */
class ReceiverTest {

  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

  private final FakeCloner cloner = new FakeCloner();
  private final InMemorySyncLedger ledger = new InMemorySyncLedger();
  private final List<Duration> sleeps = new ArrayList<>();
  private final SyncGroup wf = Configs.workflowGroup("g", "etl", "c.raw.a", "c.main.b");
  private final WorkspaceConfig workspace =
      Configs.workspace("ws", "/r", 2, Duration.ofMinutes(15), wf);
  private final DeltaSyncConfig config = Configs.config(workspace);
  private final Placement placement = Placement.of(workspace);

  private Receiver receiver() {
    return new Receiver(w -> ledger, cloner, Clock.fixed(T0.plusSeconds(7200), ZoneOffset.UTC),
        sleeps::add, new Random(3), Duration.ofSeconds(1), CloneOptions.defaults(),
        GroupListener.none());
  }

  private TableLocation staging(String table) {
    return placement.staging(wf, TableName.parse(table));
  }

  private TableLocation secondary(String table) {
    return placement.secondary(TableName.parse(table));
  }

  /** staging a: v0 "a0", v1 "a1", v2 "a2"; b: v0 "b0", v1 "b1". */
  private void stagingTables() {
    for (String v : List.of("a0", "a1", "a2")) {
      cloner.commit(staging("c.raw.a"), v);
    }
    for (String v : List.of("b0", "b1")) {
      cloner.commit(staging("c.main.b"), v);
    }
  }

  private void staged(String syncId, long sequence, long aVersion, long bVersion, Instant at) {
    ledger.append(List.of(LedgerRows.staged(syncId, sequence, "g", "c.raw.a", 10 + aVersion, aVersion, at),
        LedgerRows.staged(syncId, sequence, "g", "c.main.b", 20 + bVersion, bVersion, at)),
        Optional.empty());
  }

  @Test
  void appliesTheNewestSyncPointAtItsRecordedStagingVersions() {
    stagingTables();
    staged("s1", 1, 0, 0, T0);
    staged("s2", 2, 1, 1, T0.plusSeconds(60));
    // Staging moved on after the sync point (a sender cycle that recorded nothing): ignored.

    CycleResult result = receiver().run(config, Optional.empty());

    GroupOutcome group = result.groups().get(0);
    assertThat(group.status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(group.sequence()).hasValue(2);
    assertThat(cloner.versions(secondary("c.raw.a"))).containsExactly("a1");
    assertThat(cloner.versions(secondary("c.main.b"))).containsExactly("b1");
    List<LedgerRow> applied = new LedgerState(ledger.read()).lastApplied("ws", "g").orElseThrow().tables();
    assertThat(applied).extracting(LedgerRow::tableName, r -> r.stagingVersion().getAsLong(),
            r -> r.targetVersion().getAsLong(), r -> r.sourceVersion().getAsLong(), LedgerRow::syncId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("c.raw.a", 1L, 0L, 11L, "s2"),
            org.assertj.core.groups.Tuple.tuple("c.main.b", 1L, 0L, 21L, "s2"));
  }

  @Test
  void neverAppliesAnOlderSyncPointThanTheOneApplied() {
    stagingTables();
    staged("s2", 2, 2, 1, T0);
    receiver().run(config, Optional.empty());
    // A sync point with a lower sequence shows up later (e.g. a slow sender cycle): never applied.
    staged("s1", 1, 0, 0, T0.plusSeconds(600));
    int calls = cloner.calls.size();

    CycleResult again = receiver().run(config, Optional.of("g"));

    assertThat(again.groups().get(0).status()).isEqualTo(GroupStatus.UP_TO_DATE);
    assertThat(cloner.calls).hasSize(calls);
    assertThat(cloner.versions(secondary("c.raw.a"))).containsExactly("a2");
  }

  @Test
  void aFailedTableLeavesTheSyncPointUnappliedAndTheNextCycleRollsForward() {
    stagingTables();
    staged("s1", 1, 1, 1, T0);
    cloner.failNext(secondary("c.main.b"),
        new SyncException(SyncException.Kind.FATAL, "permission denied on c.main.b"));

    CycleResult failed = receiver().run(config, Optional.empty());

    assertThat(failed.groups().get(0).status()).isEqualTo(GroupStatus.FAILED);
    assertThat(failed.groups().get(0).error().orElseThrow())
        .contains("sync point 1 not applied", "c.main.b", "permission denied on c.main.b");
    LedgerState state = new LedgerState(ledger.read());
    assertThat(state.lastApplied("ws", "g")).isEmpty();
    assertThat(state.lastFailure("ws", "g").orElseThrow().tableName()).isEqualTo("c.main.b");
    assertThat(cloner.versions(secondary("c.raw.a"))).containsExactly("a1");

    CycleResult next = receiver().run(config, Optional.empty());

    assertThat(next.groups().get(0).status()).isEqualTo(GroupStatus.SYNCED);
    // a was already there: the cloner copied nothing and committed nothing for it.
    assertThat(cloner.versions(secondary("c.raw.a"))).containsExactly("a1");
    assertThat(cloner.versions(secondary("c.main.b"))).containsExactly("b1");
    assertThat(new LedgerState(ledger.read()).lastApplied("ws", "g").orElseThrow().tables())
        .extracting(LedgerRow::status).containsOnly(SyncStatus.APPLIED);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void nothingStagedYetIsNotAFailure() {
    CycleResult result = receiver().run(config, Optional.empty());

    assertThat(result.groups().get(0).status()).isEqualTo(GroupStatus.NO_RUN);
    assertThat(result.failed()).isFalse();
  }
}
