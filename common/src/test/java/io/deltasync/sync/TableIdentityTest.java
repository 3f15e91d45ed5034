package io.deltasync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.spark.SparkTableIds;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.CapturedLogs;
import io.deltasync.testing.DrScenario;
import io.deltasync.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source table dropped and created again (a new Delta table id) is staged again from scratch,
 * with a WARN naming the table and both ids: never "up to date", never failing "not a clone of".
 * Real Delta tables, the real sender and receiver (portable cloner, Delta ledger).
 */
class TableIdentityTest {

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();

  @Test
  void aRecreatedSourceIsStagedAgainFromScratch() throws Exception {
    DrScenario scenario = new DrScenario(dir, Instant.parse("2026-11-23T08:00:00Z"));
    TableLocation countries = scenario.primary("c.s.countries");
    create(countries, "('fr', 'France'), ('de', 'Germany')");
    assertThat(status(scenario.send(), "reference")).isEqualTo(GroupStatus.SYNCED);
    assertThat(status(scenario.receive(), "reference")).isEqualTo(GroupStatus.SYNCED);
    String oldId = new SparkTableIds(spark).tableId(countries).orElseThrow();
    SyncPoint first = state(scenario).lastStaged("ws", "reference").orElseThrow();
    assertThat(first.table("c.s.countries").orElseThrow().sourceTableId()).contains(oldId);

    // Dropped and created again, at the same version number as before, with other rows.
    deleteRecursively(Path.of(((TableLocation.Path) countries).uri()));
    // A new sender job starts with no cached table state (as every scheduled cycle does).
    org.apache.spark.sql.delta.DeltaLog.clearCache();
    create(countries, "('it', 'Italy')");
    String newId = new SparkTableIds(spark).tableId(countries).orElseThrow();
    assertThat(newId).isNotEqualTo(oldId);

    // Within the sync interval, and at a version not above the synced one: staged all the same.
    CycleResult sent;
    try (CapturedLogs logs = CapturedLogs.capture()) {
      sent = scenario.send();
      assertThat(logs.at("WARN")).anyMatch(line -> line.contains("Group ws/reference: table"
          + " c.s.countries was dropped and created again: its Delta table id was " + oldId
          + " in sync point 1 and is " + newId + " now; staging it again from scratch"));
    }
    assertThat(status(sent, "reference")).isEqualTo(GroupStatus.SYNCED);
    SyncPoint second = state(scenario).lastStaged("ws", "reference").orElseThrow();
    assertThat(second.sequence()).isEqualTo(2);
    LedgerRow row = second.table("c.s.countries").orElseThrow();
    assertThat(row.sourceTableId()).contains(newId);
    assertThat(row.sourceVersion()).isEqualTo(first.table("c.s.countries").orElseThrow()
        .sourceVersion());

    assertThat(status(scenario.receive(), "reference")).isEqualTo(GroupStatus.SYNCED);
    assertThat(rows(scenario.secondary("c.s.countries"))).containsExactly("[it,Italy]");
    assertThat(rows(scenario.staging("reference", "c.s.countries")))
        .containsExactly("[it,Italy]");
    // Same id now: the next cycle is an ordinary one.
    assertThat(status(scenario.send(), "reference")).isEqualTo(GroupStatus.NOT_DUE);
  }

  private void create(TableLocation table, String values) {
    spark.sql("CREATE TABLE " + table.sqlIdentifier() + " (code STRING, name STRING) USING delta");
    spark.sql("INSERT INTO " + table.sqlIdentifier() + " VALUES " + values);
  }

  private List<String> rows(TableLocation table) {
    return spark.read().format("delta").load(((TableLocation.Path) table).uri()).collectAsList()
        .stream().map(Row::toString).sorted().toList();
  }

  private static GroupStatus status(CycleResult result, String group) {
    return result.groups().stream().filter(g -> g.group().equals(group)).findFirst().orElseThrow()
        .status();
  }

  private static LedgerState state(DrScenario scenario) {
    return new LedgerState(scenario.ledger().read());
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
