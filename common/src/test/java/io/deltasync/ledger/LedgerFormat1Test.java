package io.deltasync.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.spark.DeltaSyncLedger;
import io.deltasync.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger written by a format 1 deltasync (no epoch, region, table id or changed-by columns) is
 * read as the initial epoch, staged from the primary; the first format 2 append adds the columns.
 */
class LedgerFormat1Test {

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();

  @Test
  void format1RowsAreEpochZeroFromThePrimaryAndKeepReadingAfterAFormat2Append() {
    String path = dir.resolve("ledger").toString();
    Instant at = Instant.parse("2026-11-20T10:00:00Z");
    StructType format1 = new StructType(
        Arrays.copyOf(DeltaSyncLedger.SCHEMA.fields(), 23));
    spark.createDataFrame(List.of(
            RowFactory.create(1, "s1", 1L, "ws", "g", "c.s.t", "c.s.t", 101L,
                Timestamp.from(at.minusSeconds(60)), 7L, 3L, null, "STAGED", 2L, 200L, 0L, 0L,
                200L, 2L, 50L, 1, null, Timestamp.from(at)),
            RowFactory.create(1, "s1", 1L, "ws", "g", "c.s.t", "c.s.t", 101L,
                Timestamp.from(at.minusSeconds(60)), 7L, 3L, 4L, "APPLIED", 2L, 200L, 0L, 0L,
                200L, 2L, 50L, 1, null, Timestamp.from(at.plusSeconds(30)))), format1)
        .write().format("delta").save(path);
    DeltaSyncLedger ledger = new DeltaSyncLedger(spark, path);

    List<LedgerRow> rows = ledger.read();

    assertThat(rows).hasSize(2).allSatisfy(r -> {
      assertThat(r.formatVersion()).isEqualTo(LedgerRow.FORMAT_1);
      assertThat(r.epoch()).isZero();
      assertThat(r.sourceRegion()).isEqualTo(Region.PRIMARY);
      assertThat(r.sourceTableId()).isEmpty();
      assertThat(r.changedBy()).isEmpty();
    });
    LedgerState state = new LedgerState(rows);
    assertThat(state.currentEpoch("ws")).isEqualTo(Epoch.initial());
    assertThat(state.lastApplicable("ws", "g").orElseThrow().sequence()).isEqualTo(1);
    assertThat(state.lastApplied("ws", "g").orElseThrow().tables().get(0).targetVersion())
        .hasValue(4);

    // A format 2 build appends an epoch record: the table gains the columns, old rows read on.
    LedgerRow epoch = new LedgerRow(LedgerRow.CURRENT_FORMAT, "epoch-1", 1, "ws", "g", "c.s.t",
        "c.s.t", OptionalLong.of(101), Optional.of(at.minusSeconds(60)), OptionalLong.of(7),
        OptionalLong.of(3), OptionalLong.of(4), SyncStatus.EPOCH, 0, 0, 0, 0, 0, 0, 0, 1,
        Optional.empty(), at.plusSeconds(600), 1, Region.SECONDARY, Optional.empty(),
        Optional.of("operator"));
    assertThat(ledger.append(List.of(epoch), Optional.of(LedgerTxn.epoch("ws", 1))))
        .isEqualTo(SyncLedger.AppendOutcome.APPENDED);

    List<LedgerRow> after = ledger.read();
    assertThat(after).hasSize(3);
    assertThat(after.stream().filter(r -> r.status() != SyncStatus.EPOCH))
        .allSatisfy(r -> assertThat(r.epoch()).isZero());
    Epoch current = new LedgerState(after).currentEpoch("ws");
    assertThat(current.number()).isEqualTo(1);
    assertThat(current.active()).isEqualTo(Region.SECONDARY);
    assertThat(current.changedBy()).contains("operator");
    assertThat(current.changedAt()).contains(at.plusSeconds(600));
    assertThat(current.recoveryPoint("g")).hasValue(1);
    assertThat(current.baseline("g", "c.s.t")).hasValue(4);
    assertThat(spark.read().format("delta").load(path).columns())
        .contains("epoch", "source_region", "source_table_id", "changed_by");
    // The same epoch again (a retried failover, its own sync id) is skipped by its transaction id.
    LedgerRow retried = new LedgerRow(LedgerRow.CURRENT_FORMAT, "epoch-1-retry", 1, "ws", "g",
        "c.s.t", "c.s.t", OptionalLong.empty(), Optional.empty(), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), SyncStatus.EPOCH, 0, 0, 0, 0, 0, 0, 0, 1,
        Optional.empty(), at.plusSeconds(900), 1, Region.SECONDARY, Optional.empty(),
        Optional.of("operator"));
    assertThat(ledger.append(List.of(retried), Optional.of(LedgerTxn.epoch("ws", 1))))
        .isEqualTo(SyncLedger.AppendOutcome.ALREADY_COMMITTED);
    assertThat(ledger.read()).hasSize(3);
  }
}
