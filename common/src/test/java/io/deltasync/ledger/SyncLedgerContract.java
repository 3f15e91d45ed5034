package io.deltasync.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What every {@link SyncLedger} does; each implementation runs it. */
public abstract class SyncLedgerContract {

  /** A new, empty ledger. */
  protected abstract SyncLedger newLedger();

  private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123456Z");

  @Test
  void aNewLedgerIsEmpty() {
    assertThat(newLedger().read()).isEmpty();
  }

  @Test
  void readsBackEveryColumnOfEveryRow() {
    SyncLedger ledger = newLedger();
    LedgerRow full = LedgerRows.staged("s1", 1, "g", "c.s.a", 4, 2, AT);
    LedgerRow sparse = new LedgerRow(LedgerRow.CURRENT_FORMAT, "s1", 1, "ws", "g", "c.s.b",
        "c.s.b2", OptionalLong.empty(), Optional.empty(), OptionalLong.of(7), OptionalLong.empty(),
        OptionalLong.empty(), SyncStatus.STAGED, 0, 0, 0, 0, 0, 0, 5, 2, Optional.of("why"), AT);

    assertThat(ledger.append(List.of(full, sparse), Optional.empty()))
        .isEqualTo(SyncLedger.AppendOutcome.APPENDED);

    assertThat(ledger.read()).containsExactlyInAnyOrder(full, sparse);
  }

  @Test
  void anAppendWithACommittedTransactionIsSkipped() {
    SyncLedger ledger = newLedger();
    LedgerTxn txn = LedgerTxn.sender("ws", "g", 1);
    ledger.append(List.of(LedgerRows.staged("first", 1, "g", "c.s.a", 4, 2, AT)), Optional.of(txn));

    SyncLedger.AppendOutcome again = ledger.append(
        List.of(LedgerRows.staged("second", 1, "g", "c.s.a", 5, 3, AT)), Optional.of(txn));

    assertThat(again).isEqualTo(SyncLedger.AppendOutcome.ALREADY_COMMITTED);
    assertThat(ledger.read()).extracting(LedgerRow::syncId).containsExactly("first");
  }

  @Test
  void transactionVersionsOnlyMoveForwardPerApplication() {
    SyncLedger ledger = newLedger();
    ledger.append(List.of(LedgerRows.staged("s2", 2, "g", "c.s.a", 4, 2, AT)),
        Optional.of(LedgerTxn.sender("ws", "g", 2)));

    assertThat(ledger.append(List.of(LedgerRows.staged("s1", 1, "g", "c.s.a", 3, 1, AT)),
        Optional.of(LedgerTxn.sender("ws", "g", 1))))
        .isEqualTo(SyncLedger.AppendOutcome.ALREADY_COMMITTED);
    assertThat(ledger.append(List.of(LedgerRows.staged("h1", 1, "h", "c.s.b", 3, 1, AT)),
        Optional.of(LedgerTxn.sender("ws", "h", 1))))
        .isEqualTo(SyncLedger.AppendOutcome.APPENDED);
    assertThat(ledger.append(List.of(LedgerRows.staged("s3", 3, "g", "c.s.a", 5, 3, AT)),
        Optional.of(LedgerTxn.sender("ws", "g", 3))))
        .isEqualTo(SyncLedger.AppendOutcome.APPENDED);

    assertThat(ledger.read()).extracting(LedgerRow::syncId).containsExactlyInAnyOrder("s2", "h1", "s3");
  }

  @Test
  void refusesRowsOfANewerFormat() {
    SyncLedger ledger = newLedger();
    ledger.append(List.of(LedgerRows.staged("old", 1, "g", "c.s.a", 4, 2, AT)), Optional.empty());
    ledger.append(List.of(LedgerRows.row(LedgerRow.CURRENT_FORMAT + 1, "new", 2, "g", "c.s.a", 5,
        3, SyncStatus.STAGED, AT)), Optional.empty());

    assertThatThrownBy(ledger::read)
        .isInstanceOf(SyncException.class)
        .hasMessageContaining(ledger.location())
        .hasMessageContaining("format version " + (LedgerRow.CURRENT_FORMAT + 1))
        .hasMessageContaining("Upgrade deltasync");
  }

  @Test
  void stateDerivesTheNewestSyncPointsPerGroup() {
    SyncLedger ledger = newLedger();
    ledger.append(List.of(LedgerRows.staged("s1", 1, "g", "c.s.a", 4, 2, AT),
        LedgerRows.staged("s1", 1, "g", "c.s.b", 7, 1, AT)), Optional.empty());
    ledger.append(List.of(LedgerRows.staged("s2", 2, "g", "c.s.a", 6, 3, AT.plusSeconds(1)),
        LedgerRows.staged("s2", 2, "g", "c.s.b", 7, 1, AT.plusSeconds(1))), Optional.empty());
    ledger.append(List.of(LedgerRows.row(1, "s1", 1, "g", "c.s.a", 4, 2, SyncStatus.APPLIED,
        AT.plusSeconds(2))), Optional.empty());

    LedgerState state = new LedgerState(ledger.read());

    SyncPoint staged = state.lastStaged("ws", "g").orElseThrow();
    assertThat(staged.syncId()).isEqualTo("s2");
    assertThat(staged.sequence()).isEqualTo(2);
    assertThat(staged.recordedAt()).isEqualTo(AT.plusSeconds(1).truncatedTo(ChronoUnit.MICROS));
    assertThat(staged.table("c.s.a").orElseThrow().stagingVersion()).hasValue(3);
    assertThat(state.lastApplied("ws", "g").orElseThrow().sequence()).isEqualTo(1);
    assertThat(state.lastStaged("ws", "other")).isEmpty();
  }
}
