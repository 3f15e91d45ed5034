package io.deltasync.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.cli.DeltaSyncCli;
import io.deltasync.spark.SparkFingerprinter;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupStatus;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.DeltaTables;
import io.deltasync.testing.DrScenario;
import io.deltasync.testing.SharedSpark;
import io.deltasync.verify.VerifyReport.Aspect;
import io.deltasync.verify.VerifyReport.Comparison;
import io.deltasync.verify.VerifyReport.Difference;
import io.deltasync.verify.VerifyReport.GroupResult;
import io.deltasync.verify.VerifyReport.Outcome;
import io.deltasync.verify.VerifyReport.Result;
import io.deltasync.verify.VerifyReport.Side;
import io.deltasync.verify.VerifyReport.TableResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verify after a real send and receive (portable cloner, Delta ledger), then after tampering with
 * a secondary table; through the engine and through {@link DeltaSyncCli#execute}. One scenario for
 * the class (it is slow to build): each tampering test is undone with RESTORE after it, and the
 * clean check runs first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyTest {

  static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");

  @TempDir static Path root;

  private DrScenario s;

  @BeforeAll
  void appliedOnce() throws Exception {
    s = new DrScenario(root, T0);
    s.runOrders(Duration.ofMinutes(10),
        "CREATE TABLE $bronze (id BIGINT, name STRING) USING delta",
        "INSERT INTO $bronze VALUES (1, 'a'), (2, 'b'), (3, 'c')",
        "CREATE TABLE $gold (name STRING, total BIGINT) USING delta",
        "INSERT INTO $gold VALUES ('a', 1), ('b', 2)");
    s.clock.set(T0.plus(Duration.ofMinutes(15)));
    assertThat(status(s.send(), "orders")).isEqualTo(GroupStatus.SYNCED);
    s.clock.set(T0.plus(Duration.ofMinutes(20)));
    assertThat(status(s.receive(), "orders")).isEqualTo(GroupStatus.SYNCED);
    // The primary moves on after the sync point: verify compares with the recorded version.
    s.clock.set(T0.plus(Duration.ofMinutes(30)));
    s.runOrders(Duration.ofMinutes(5), "INSERT INTO $bronze VALUES (4, 'd')");
  }

  /** Puts a tampered secondary table back to the version the receiver applied. */
  @AfterEach
  void restoreSecondary() {
    for (String table : List.of("c.s.bronze", "c.s.gold")) {
      TableLocation secondary = s.secondary(table);
      if (new java.io.File(secondary.toString()).isDirectory()
          && DeltaTables.latestVersion(secondary) > 0) {
        DeltaTables.sql(secondary, "RESTORE TABLE $t TO VERSION AS OF 0");
      }
    }
  }

  private VerifyReport verify(Optional<String> group) {
    return new Verify(s::ledger, new SparkFingerprinter(SharedSpark.spark()))
        .verify(s.config, group);
  }

  @Test
  @Order(1)
  void passesAfterACleanApplyAndSaysWhenNothingWasAppliedYet() {
    VerifyReport report = verify(Optional.empty());

    assertThat(report.failed()).isFalse();
    assertThat(report.problems()).isEmpty();
    GroupResult orders = report.groups().get(0);
    assertThat(orders.outcome()).isEqualTo(Outcome.VERIFIED);
    assertThat(orders.sequence()).isEqualTo(OptionalLong.of(1));
    assertThat(orders.runId()).isEqualTo(OptionalLong.of(1));
    assertThat(orders.tables()).extracting(TableResult::table)
        .containsExactly("c.s.bronze", "c.s.gold");
    for (TableResult table : orders.tables()) {
      assertThat(table.comparisons()).extracting(Comparison::side)
          .containsExactly(Side.STAGING, Side.PRIMARY);
      assertThat(table.comparisons()).extracting(Comparison::result)
          .containsExactly(Result.MATCH, Result.MATCH);
      assertThat(table.secondaryVersion()).isEqualTo(table.appliedVersion());
    }
    // The primary's bronze is at a newer version now; the recorded one (1) is what was compared.
    Comparison bronzePrimary = orders.tables().get(0).comparisons().get(1);
    assertThat(bronzePrimary.location()).isEqualTo(s.primary("c.s.bronze").toString());
    assertThat(bronzePrimary.version()).isEqualTo(1);
    assertThat(DeltaTables.latestVersion(s.primary("c.s.bronze"))).isEqualTo(2);

    GroupResult reference = report.groups().get(1);
    assertThat(reference.outcome()).isEqualTo(Outcome.NOTHING_APPLIED);
    assertThat(reference.failed()).isFalse();
    assertThat(VerifyText.lines(report)).contains(
        "Verified 2 groups: 1 ok, 0 failed, 1 nothing applied yet",
        "Group ws/orders: sync point #1 (run 1): ok",
        "Group ws/reference: nothing applied yet (no sync point has reached the secondary; not a"
            + " failure)");

    Cli run = cli("verify", "--config", s.configFile.toString());
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("Group ws/orders: sync point #1 (run 1): ok")
        .contains("vs staging " + s.staging("orders", "c.s.bronze") + " version 0: match")
        .contains("vs primary " + s.primary("c.s.bronze") + " version 1: match");

    // As a job of the secondary region, verify cannot read the primary's tables: staging only.
    Cli confined = cli("verify", "--config", s.configFile.toString(), "--region", "secondary");
    assertThat(confined.exitCode()).isEqualTo(0);
    assertThat(confined.out()).contains("Group ws/orders: sync point #1 (run 1): ok")
        .contains("vs staging " + s.staging("orders", "c.s.bronze") + " version 0: match")
        .contains("vs primary c.s.bronze version 1: not compared: "
            + Verify.PRIMARY_NOT_IN_THIS_REGION);
    assertThat(cli("verify", "--config", s.configFile.toString(), "--region", "primary")
        .exitCode()).isEqualTo(2);

    // status through the command line: the same state, as JSON.
    Cli status = cli("status", "--config", s.configFile.toString(), "--json");
    assertThat(status.exitCode()).isEqualTo(0);
    JsonNode ordersJson = json(status.out()).get("groups").get(0);
    assertThat(ordersJson.get("group").asText()).isEqualTo("orders");
    assertThat(ordersJson.get("primary").get("state").asText()).isEqualTo("reachable");
    assertThat(ordersJson.get("primary").get("last_success_run_id").asLong()).isEqualTo(2);
    assertThat(ordersJson.get("last_staged").get("sequence").asLong()).isEqualTo(1);
    assertThat(ordersJson.get("last_applied").get("sequence").asLong()).isEqualTo(1);
    assertThat(ordersJson.get("last_applied").get("recorded_at").asText())
        .isEqualTo("2026-01-05T08:20:00Z");
    assertThat(ordersJson.get("lag").get("state").asText()).isEqualTo("behind");
    assertThat(ordersJson.get("lag").get("newest_run_not_held").asLong()).isEqualTo(2);
    assertThat(ordersJson.get("bytes_sent_last_24h").asLong()).isZero();
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(text, e);
    }
  }

  @Test
  void aChangedRowIsAChecksumMismatchWithStagingAndPrimary() {
    TableLocation bronze = s.secondary("c.s.bronze");
    DeltaTables.sql(bronze, "UPDATE $t SET name = 'tampered' WHERE id = 2");

    VerifyReport report = verify(Optional.of("orders"));

    assertThat(report.failed()).isTrue();
    TableResult table = report.groups().get(0).tables().get(0);
    assertThat(table.table()).isEqualTo("c.s.bronze");
    assertThat(table.secondaryVersion().getAsLong())
        .isGreaterThan(table.appliedVersion().getAsLong());
    for (Comparison c : table.comparisons()) {
      assertThat(c.result()).isEqualTo(Result.MISMATCH);
      assertThat(c.differences()).extracting(Difference::aspect).containsExactly(Aspect.CHECKSUM);
    }
    assertThat(report.groups().get(0).tables().get(1).failed()).isFalse();
    assertThat(report.problems()).hasSize(2);
    assertThat(report.problems().get(0)).startsWith("orders: table c.s.bronze vs staging "
        + s.staging("orders", "c.s.bronze") + " version 0: checksum differs: secondary ");

    Cli run = cli("verify", "--config", s.configFile.toString(), "--group", "orders");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("Group ws/orders: sync point #1 (run 1): FAILED")
        .contains("(the receiver applied version 0; the table was written to since)");
    assertThat(run.err()).startsWith("deltasync: verify found 2 problems")
        .contains("orders: table c.s.bronze vs staging")
        .contains("orders: table c.s.bronze vs primary " + s.primary("c.s.bronze")
            + " version 1: checksum differs");
  }

  @Test
  void aDeletedRowIsARowCountMismatch() {
    DeltaTables.sql(s.secondary("c.s.gold"), "DELETE FROM $t WHERE name = 'a'");

    VerifyReport report = verify(Optional.empty());

    TableResult gold = report.groups().get(0).tables().get(1);
    assertThat(gold.table()).isEqualTo("c.s.gold");
    Comparison staging = gold.comparisons().get(0);
    assertThat(staging.result()).isEqualTo(Result.MISMATCH);
    assertThat(staging.differences()).extracting(Difference::aspect)
        .containsExactly(Aspect.ROW_COUNT, Aspect.CHECKSUM);
    assertThat(staging.differences().get(0))
        .isEqualTo(new Difference(Aspect.ROW_COUNT, Optional.empty(), "1", "2"));
    assertThat(staging.differences().get(0).describe(Side.STAGING))
        .isEqualTo("row count differs: secondary 1, staging 2");
    assertThat(gold.comparisons().get(1).differences().get(0).describe(Side.PRIMARY))
        .isEqualTo("row count differs: secondary 1, primary 2");

    Cli run = cli("verify", "--config", s.configFile.toString(), "--json");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("\"ok\" : false").contains("\"aspect\" : \"row count\"")
        .contains("\"secondary\" : \"1\"").contains("\"staging\" : \"2\"");
    assertThat(run.err()).contains("orders: table c.s.gold vs staging "
        + s.staging("orders", "c.s.gold") + " version 0: row count differs: secondary 1, staging 2");
  }

  @Test
  void anAddedColumnIsASchemaMismatch() {
    DeltaTables.sql(s.secondary("c.s.bronze"), "ALTER TABLE $t ADD COLUMNS (extra STRING)");

    VerifyReport report = verify(Optional.empty());

    TableResult bronze = report.groups().get(0).tables().get(0);
    for (Comparison c : bronze.comparisons()) {
      assertThat(c.result()).isEqualTo(Result.MISMATCH);
      assertThat(c.differences()).containsExactly(
          new Difference(Aspect.SCHEMA, Optional.of("extra"), "string", "absent"));
    }
    assertThat(report.problems()).contains("orders: table c.s.bronze vs staging "
        + s.staging("orders", "c.s.bronze") + " version 0: schema of column extra differs:"
        + " secondary string, staging absent");

    Cli run = cli("verify", "--config", s.configFile.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("schema of column extra differs: secondary string, primary absent");
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void aMissingSecondaryTableFailsNamingIt() throws Exception {
    org.apache.commons.io.FileUtils.deleteDirectory(root.resolve("secondary/c/s/gold").toFile());

    VerifyReport report = verify(Optional.empty());

    TableResult gold = report.groups().get(0).tables().get(1);
    assertThat(gold.failed()).isTrue();
    assertThat(gold.secondaryProblem().orElseThrow())
        .contains("Cannot read the Delta table " + s.secondary("c.s.gold"));
    assertThat(report.problems()).singleElement().asString()
        .startsWith("orders: table c.s.gold: secondary unreadable: Cannot read the Delta table");
  }

  record Cli(int exitCode, String out, String err) {}

  static Cli cli(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = DeltaSyncCli.execute(args);
      return new Cli(code, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  private static GroupStatus status(CycleResult result, String group) {
    return result.groups().stream().filter(g -> g.group().equals(group)).findFirst()
        .orElseThrow().status();
  }
}
