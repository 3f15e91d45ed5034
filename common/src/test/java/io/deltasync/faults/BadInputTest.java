package io.deltasync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.cli.DeltaSyncCli;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerRows;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.spark.DeltaSyncLedger;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.GroupStatus;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.DeltaTables;
import io.deltasync.testing.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad input that the other suites do not already cover (docs/faults.md lists them all): each is
 * refused with an error naming the culprit, and nothing is changed; or, where the input is
 * legitimate (a schema change, staging deleted by hand), the sync goes on.
 */
class BadInputTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void healTheDisk() {
    FaultyFileSystem.heal();
  }

  private int cli(String... args) {
    CommandLine cli = DeltaSyncCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** Every file under the folder, relative: what a refused command must leave as it was. */
  private Set<String> filesUnder(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(p -> root.relativize(p).toString()).collect(java.util.stream.Collectors.toSet());
    }
  }

  private static GroupOutcome group(CycleResult result, String name) {
    return result.groups().stream().filter(g -> g.group().equals(name)).findFirst().orElseThrow();
  }

  // ---- Config: malformed HOCON, malformed JSON, unknown keys, injection in identifiers

  @Test
  void malformedHoconIsRefusedNamingTheFileAndLineAndNothingIsWritten() throws Exception {
    Path config = dir.resolve("deltasync.conf");
    Files.writeString(config, "secret_scope = s\nworkspaces = [\n  { workspace_name = ws,\n]\n");
    Set<String> before = filesUnder(dir);

    assertThat(cli("send", "--config", config.toString())).isEqualTo(2);

    assertThat(err.toString()).contains("deltasync.conf: 4:");
    assertThat(filesUnder(dir)).isEqualTo(before);
  }

  @Test
  void malformedJsonIsRefusedNamingTheFileAndLineAndNothingIsWritten() throws Exception {
    FaultyDr scenario = new FaultyDr(dir, Instant.now());
    String json = Files.readString(scenario.dr.configFile);
    Files.writeString(scenario.dr.configFile, json.replace("\"sync_max_retries\": 0,",
        "\"sync_max_retries\": 0"));
    Set<String> before = filesUnder(dir);

    assertThat(cli("send", "--config", scenario.dr.configFile.toString())).isEqualTo(2);

    assertThat(err.toString()).contains("deltasync.json: 13:");
    assertThat(filesUnder(dir)).isEqualTo(before);
  }

  @Test
  void anUnknownKeyAndAnInjectedTableNameAreRefusedTogetherAndNothingIsWritten()
      throws Exception {
    FaultyDr scenario = new FaultyDr(dir, Instant.now());
    String json = Files.readString(scenario.dr.configFile)
        .replace("\"sync_interval_mins\": 15", "\"sync_intervall_mins\": 15")
        .replace("\"c.s.countries\"", "\"c.s.countries; DROP TABLE c.s.gold\"");
    Files.writeString(scenario.dr.configFile, json);
    Set<String> before = filesUnder(dir);

    assertThat(cli("send", "--config", scenario.dr.configFile.toString())).isEqualTo(2);

    assertThat(err.toString())
        .contains("workspaces[0].sync_intervall_mins")
        .contains("sync_interval_mins")
        .contains("c.s.countries; DROP TABLE c.s.gold");
    assertThat(filesUnder(dir)).isEqualTo(before);
  }

  // ---- Tables: missing, not Delta, schema change between runs

  @Test
  void aMissingTableFailsItsGroupNamingItAndStagesNothing() throws Exception {
    FaultyDr scenario = new FaultyDr(dir, Instant.now()).withReferenceTable();
    scenario.dr.runOrders(Duration.ofMinutes(5),
        "CREATE TABLE $bronze (id BIGINT, label STRING) USING delta",
        "INSERT INTO $bronze VALUES (1, 'one')");

    CycleResult sent = scenario.send(Faults.NONE);

    GroupOutcome orders = group(sent, "orders");
    assertThat(orders.status()).isEqualTo(GroupStatus.FAILED);
    assertThat(orders.error().orElseThrow())
        .contains("Could not read the history of table " + scenario.dr.primary("c.s.gold"))
        .contains("check that the table exists, is a Delta table");
    assertThat(group(sent, "reference").status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(scenario.ledgerState().lastStaged("ws", "orders")).isEmpty();
    assertThat(scenario.rows(scenario.staging("c.s.bronze"))).isEmpty();
    assertThat(scenario.rows(scenario.dr.secondary("c.s.bronze"))).isEmpty();
  }

  @Test
  void aTableThatIsNotDeltaFailsItsGroupNamingItAndStagesNothing() throws Exception {
    FaultyDr scenario = new FaultyDr(dir, Instant.now()).withReferenceTable();
    SharedSpark.spark().range(3).write().parquet(scenario.dr.primary("c.s.gold").toString());
    scenario.dr.runOrders(Duration.ofMinutes(5),
        "CREATE TABLE $bronze (id BIGINT, label STRING) USING delta",
        "INSERT INTO $bronze VALUES (1, 'one')");

    CycleResult sent = scenario.send(Faults.NONE);

    GroupOutcome orders = group(sent, "orders");
    assertThat(orders.status()).isEqualTo(GroupStatus.FAILED);
    assertThat(orders.error().orElseThrow())
        .contains(scenario.dr.primary("c.s.gold").toString())
        .contains("is a Delta table");
    assertThat(scenario.ledgerState().lastStaged("ws", "orders")).isEmpty();
    assertThat(scenario.rows(scenario.staging("c.s.bronze"))).isEmpty();
  }

  @Test
  void aSchemaChangeBetweenRunsIsSynced() throws Exception {
    FaultyDr scenario = new FaultyDr(dir, Instant.now()).withReferenceTable();
    scenario.completeRun();
    assertThat(scenario.send(Faults.NONE).failed()).isFalse();
    assertThat(scenario.receive(Faults.NONE).failed()).isFalse();
    scenario.dr.runOrders(Duration.ofMinutes(5),
        "ALTER TABLE $gold ADD COLUMNS (note STRING COMMENT 'added in run 2')",
        "INSERT INTO $gold VALUES (5000, 1, 'new column')",
        "ALTER TABLE $bronze ALTER COLUMN label COMMENT 'now documented'");
    int run = scenario.markCompleted();

    assertThat(scenario.send(Faults.NONE).failed()).isFalse();
    assertThat(scenario.receive(Faults.NONE).failed()).isFalse();

    for (String table : FaultyDr.ORDERS) {
      TableLocation primary = scenario.dr.primary(table);
      DeltaTables.assertSameTable(primary, DeltaTables.latestVersion(primary),
          scenario.dr.secondary(table));
    }
    assertThat(scenario.secondaryRuns()).containsOnly(Map.entry("c.s.bronze", run),
        Map.entry("c.s.gold", run));
  }

  // ---- Staging deleted by hand

  @Test
  void stagingDeletedByHandIsReportedNotAppliedAndTheNextCycleStagesAgain() throws Exception {
    FaultyDr scenario = new FaultyDr(dir, Instant.now()).withReferenceTable();
    scenario.completeRun();
    assertThat(scenario.send(Faults.NONE).failed()).isFalse();
    assertThat(scenario.receive(Faults.NONE).failed()).isFalse();
    int run = scenario.completeRun();
    assertThat(scenario.send(Faults.NONE).failed()).isFalse();
    LedgerRow bronzeRow = scenario.ledgerState().lastStaged("ws", "orders").orElseThrow()
        .table("c.s.bronze").orElseThrow();
    TableLocation bronzeStaging = scenario.staging("c.s.bronze");
    assertThat(FileUtil.fullyDelete(new java.io.File(bronzeStaging.toString()))).isTrue();

    CycleResult refused = scenario.receive(Faults.NONE);

    GroupOutcome orders = group(refused, "orders");
    assertThat(orders.status()).isEqualTo(GroupStatus.FAILED);
    assertThat(orders.error().orElseThrow()).contains("Sync point 2 of group orders cannot be"
        + " applied: its staging copy of c.s.bronze at " + bronzeStaging + " no longer holds"
        + " version " + bronzeRow.stagingVersion().getAsLong() + " (it is not a Delta table any"
        + " more: it was deleted). Nothing was applied; the next sender cycle stages the group"
        + " again");
    assertThat(scenario.secondaryRuns()).as("nothing applied, gold included")
        .containsOnly(Map.entry("c.s.bronze", run - 1), Map.entry("c.s.gold", run - 1));
    assertThat(scenario.ledgerRows()).filteredOn(r -> r.status() == SyncStatus.FAILED
        && r.groupName().equals("orders")).extracting(LedgerRow::tableName)
        .containsExactly("c.s.bronze");

    CycleResult restaged = scenario.send(Faults.NONE);
    assertThat(group(restaged, "orders").status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(group(restaged, "orders").sequence()).hasValue(3);
    assertThat(scenario.receive(Faults.NONE).failed()).isFalse();
    assertThat(scenario.secondaryRuns()).containsOnly(Map.entry("c.s.bronze", run),
        Map.entry("c.s.gold", run));
    assertThat(group(scenario.send(Faults.NONE), "orders").status())
        .isEqualTo(GroupStatus.UP_TO_DATE);
  }

  // ---- Ledger written by a newer format

  @Test
  void aLedgerOfANewerFormatStopsEveryGroupAndNothingIsCloned() throws Exception {
    FaultyDr scenario = new FaultyDr(dir, Instant.now()).withReferenceTable();
    scenario.completeRun();
    assertThat(scenario.send(Faults.NONE).failed()).isFalse();
    scenario.completeRun();
    new DeltaSyncLedger(SharedSpark.spark(), scenario.ledgerLocation()).append(
        List.of(LedgerRows.row(LedgerRow.CURRENT_FORMAT + 1, "from-the-future", 9, "orders",
            "c.s.bronze", 1, 1, SyncStatus.STAGED, Instant.now())), Optional.empty());
    long stagingVersion = DeltaTables.latestVersion(scenario.staging("c.s.bronze"));

    CycleResult sent = scenario.send(Faults.NONE);

    assertThat(sent.groups()).allSatisfy(g -> {
      assertThat(g.status()).isEqualTo(GroupStatus.FAILED);
      assertThat(g.error().orElseThrow()).contains(scenario.ledgerLocation())
          .contains("format version " + (LedgerRow.CURRENT_FORMAT + 1))
          .contains("Upgrade deltasync");
    });
    assertThat(DeltaTables.latestVersion(scenario.staging("c.s.bronze"))).isEqualTo(stagingVersion);
    assertThat(group(scenario.receive(Faults.NONE), "orders").status())
        .isEqualTo(GroupStatus.FAILED);
    assertThat(scenario.rows(scenario.dr.secondary("c.s.bronze"))).isEmpty();
  }

  // ---- Storage: full disk, unreachable sync location

  @Test
  void aFullDiskFailsTheGroupLeavesStagingAndTheLedgerReadableAndTheNextCycleRecovers()
      throws Exception {
    FaultyFileSystem.register(SharedSpark.spark().sparkContext().hadoopConfiguration());
    FaultyDr scenario = new FaultyDr(dir, Instant.now()).withReferenceTable()
        .withSyncLocation(FaultyFileSystem.uri(dir.resolve("sync-faulty")));
    int first = scenario.completeRun();
    assertThat(scenario.send(Faults.NONE).failed()).isFalse();
    assertThat(scenario.receive(Faults.NONE).failed()).isFalse();
    int run = scenario.completeRun();
    List<LedgerRow> before = scenario.ledgerRows();
    List<String> stagedBefore = scenario.rows(scenario.staging("c.s.bronze")).orElseThrow();

    FaultyFileSystem.failAfterBytes(600);
    CycleResult sent = scenario.send(Faults.NONE);
    FaultyFileSystem.heal();

    GroupOutcome orders = group(sent, "orders");
    assertThat(orders.status()).isEqualTo(GroupStatus.FAILED);
    assertThat(orders.error().orElseThrow()).contains(FaultyFileSystem.DISK_FULL)
        .contains(dir.resolve("sync-faulty/ws/orders/c/s/bronze").toString());
    assertThat(scenario.rows(scenario.staging("c.s.bronze"))).hasValue(stagedBefore);
    assertThat(FaultyDr.keys(scenario.ledgerRows())).containsAll(FaultyDr.keys(before));
    assertThat(scenario.stagedSequences("orders")).containsExactly(1L);
    assertThat(scenario.receive(Faults.NONE).failed()).isFalse();
    assertThat(scenario.secondaryRuns()).containsOnly(Map.entry("c.s.bronze", first),
        Map.entry("c.s.gold", first));

    assertThat(scenario.send(Faults.NONE).failed()).isFalse();
    assertThat(scenario.receive(Faults.NONE).failed()).isFalse();
    assertThat(scenario.secondaryRuns()).containsOnly(Map.entry("c.s.bronze", run),
        Map.entry("c.s.gold", run));
  }

  @Test
  void anUnreachableSyncLocationFailsEveryGroupNamingTheLedgerAndChangesNothing()
      throws Exception {
    FaultyFileSystem.register(SharedSpark.spark().sparkContext().hadoopConfiguration());
    FaultyDr scenario = new FaultyDr(dir, Instant.now()).withReferenceTable()
        .withSyncLocation(FaultyFileSystem.uri(dir.resolve("sync-faulty")));
    scenario.completeRun();
    Set<String> primaryBefore = filesUnder(dir.resolve("primary"));

    FaultyFileSystem.unreachable(true);
    CycleResult sent = scenario.send(Faults.NONE);
    CycleResult received = scenario.receive(Faults.NONE);
    FaultyFileSystem.heal();

    for (CycleResult result : List.of(sent, received)) {
      assertThat(result.groups()).hasSize(2).allSatisfy(g -> {
        assertThat(g.status()).isEqualTo(GroupStatus.FAILED);
        assertThat(g.error().orElseThrow()).contains(dir.resolve("sync-faulty").toString())
            .contains("Connection refused");
      });
    }
    assertThat(dir.resolve("sync-faulty")).doesNotExist();
    assertThat(dir.resolve("secondary")).doesNotExist();
    assertThat(filesUnder(dir.resolve("primary"))).isEqualTo(primaryBefore);

    assertThat(scenario.send(Faults.NONE).failed()).isFalse();
    assertThat(scenario.receive(Faults.NONE).failed()).isFalse();
    assertThat(scenario.secondaryRuns()).containsOnly(Map.entry("c.s.bronze", 0),
        Map.entry("c.s.gold", 0));
  }
}
