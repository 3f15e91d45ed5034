package io.deltasync.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleWorkflow1Test {

  private final SparkSession spark = SharedSpark.spark();

  @TempDir Path dir;

  private static final List<String> BATCH_1 = List.of(
      "order_id,customer,amount,status",
      "1, Alice,10.00,open",
      "2,BOB ,20.50,open",
      "3,carol,5.25,open",
      "4,alice,7.00,open");

  private static final List<String> BATCH_2 = List.of(
      "order_id,customer,amount,status",
      "5,Bob,1.00,open",
      "6,Carol ,3.00,open",
      "2,BOB ,20.50,shipped");

  private static final List<String> FINAL_SILVER = List.of(
      "1|alice|10.00|open|batch_0001",
      "2|bob|20.50|shipped|batch_0002",
      "3|carol|5.25|open|batch_0001",
      "4|alice|7.00|open|batch_0001",
      "5|bob|1.00|open|batch_0002",
      "6|carol|3.00|open|batch_0002");

  private static final List<String> FINAL_GOLD = List.of(
      "alice|2|17.00|2|batch_0002",
      "bob|2|21.50|1|batch_0002",
      "carol|2|8.25|2|batch_0002");

  @Test
  void twoBatchesGiveTheExpectedRowsInEveryTableWithOneMergeCommitPerSilverLoop() throws IOException {
    Path landing = dir.resolve("landing");
    SampleWorkflow1.Tables tables = tables("clean");
    land(landing, "batch_0001.csv", BATCH_1);

    SampleWorkflow1.Result first = SampleWorkflow1.run(spark, landing.toString(), tables,
        SampleWorkflow1.Options.defaults());

    assertThat(first).isEqualTo(new SampleWorkflow1.Result(List.of("batch_0001"), 4, 3, "batch_0001"));
    assertThat(rows(tables.silver(), "order_id")).containsExactly(
        "1|alice|10.00|open|batch_0001",
        "2|bob|20.50|open|batch_0001",
        "3|carol|5.25|open|batch_0001",
        "4|alice|7.00|open|batch_0001");
    assertThat(rows(tables.gold(), "customer")).containsExactly(
        "alice|2|17.00|2|batch_0001",
        "bob|1|20.50|1|batch_0001",
        "carol|1|5.25|1|batch_0001");

    land(landing, "batch_0002.csv", BATCH_2);
    SampleWorkflow1.Result second = SampleWorkflow1.run(spark, landing.toString(), tables,
        SampleWorkflow1.Options.defaults());

    assertThat(second).isEqualTo(new SampleWorkflow1.Result(List.of("batch_0002"), 3, 3, "batch_0002"));
    assertThat(rows(tables.bronze(), "batch_id, order_id")).containsExactly(
        "1| Alice|10.00|open|batch_0001|batch_0001.csv",
        "2|BOB |20.50|open|batch_0001|batch_0001.csv",
        "3|carol|5.25|open|batch_0001|batch_0001.csv",
        "4|alice|7.00|open|batch_0001|batch_0001.csv",
        "2|BOB |20.50|shipped|batch_0002|batch_0002.csv",
        "5|Bob|1.00|open|batch_0002|batch_0002.csv",
        "6|Carol |3.00|open|batch_0002|batch_0002.csv");
    assertThat(rows(tables.silver(), "order_id")).containsExactlyElementsOf(FINAL_SILVER);
    assertThat(rows(tables.gold(), "customer")).containsExactlyElementsOf(FINAL_GOLD);
    // version 0 creates the table; then one MERGE per silver loop, three per run
    List<String> operations = spark.sql("DESCRIBE HISTORY " + tables.silver().sqlIdentifier())
        .orderBy("version").collectAsList().stream().map(r -> r.<String>getAs("operation")).toList();
    assertThat(operations).containsExactly(
        "CREATE TABLE", "MERGE", "MERGE", "MERGE", "MERGE", "MERGE", "MERGE");
  }

  @Test
  void aRunStoppedInsideTheSilverLoopThenRerunEndsLikeACleanRun() throws IOException {
    Path landing = dir.resolve("landing");
    land(landing, "batch_0001.csv", BATCH_1);
    SampleWorkflow1.Tables drilled = tables("drilled");
    SampleWorkflow1.run(spark, landing.toString(), drilled, SampleWorkflow1.Options.defaults());
    land(landing, "batch_0002.csv", BATCH_2);

    assertThatThrownBy(() -> SampleWorkflow1.run(spark, landing.toString(), drilled,
            SampleWorkflow1.Options.defaults().failingAfterSilverCommit(1)))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("sample_workflow_1 stopped on purpose after silver commit 1 of 3")
        .hasMessageContaining("run it again without the option");
    // Silver is half updated: pass 0 (order 2 shipped) is in, passes 1 and 2 (orders 5, 6) are
    // not; gold is stale.
    assertThat(rows(drilled.silver(), "order_id")).containsExactly(
        "1|alice|10.00|open|batch_0001",
        "2|bob|20.50|shipped|batch_0002",
        "3|carol|5.25|open|batch_0001",
        "4|alice|7.00|open|batch_0001");
    assertThat(rows(drilled.gold(), "customer")).containsExactly(
        "alice|2|17.00|2|batch_0001",
        "bob|1|20.50|1|batch_0001",
        "carol|1|5.25|1|batch_0001");

    SampleWorkflow1.Result rerun = SampleWorkflow1.run(spark, landing.toString(), drilled,
        SampleWorkflow1.Options.defaults());

    // The same rows as the clean run of the test above.
    assertThat(rerun).isEqualTo(new SampleWorkflow1.Result(List.of("batch_0002"), 0, 3, "batch_0002"));
    assertThat(rows(drilled.bronze(), "order_id")).hasSize(7);
    assertThat(rows(drilled.silver(), "order_id")).containsExactlyElementsOf(FINAL_SILVER);
    assertThat(rows(drilled.gold(), "customer")).containsExactlyElementsOf(FINAL_GOLD);
  }

  @Test
  void generatedBatchesAreNumberedAndDeterministic() {
    Path landing = dir.resolve("landing");
    LandingBatches.write(landing, 1);
    LandingBatches.write(landing, 2);
    assertThat(LandingBatches.next(landing)).isEqualTo(3);
    assertThat(LandingBatches.lines(2)).containsExactly(
        "order_id,customer,amount,status",
        "6, Alice,4.86,open",
        "7,BOB ,22.17,open",
        "8,carol,39.48,open",
        "9, Alice,56.79,open",
        "10,BOB ,74.10,open",
        "2,carol,35.62,shipped");
    assertThat(landing.resolve("batch_0002.csv")).hasContent(String.join("\n", LandingBatches.lines(2)));
  }

  @Test
  void aMissingLandingFolderIsNamed() {
    Path landing = dir.resolve("nowhere");
    assertThatThrownBy(() -> SampleWorkflow1.run(spark, landing.toString(), tables("t"),
            SampleWorkflow1.Options.defaults()))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("Landing folder " + landing + " does not exist");
  }

  @Test
  void optionsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> new SampleWorkflow1.Options(0, java.util.OptionalInt.empty()))
        .hasMessageContaining("Option --silver-loops is 0");
    assertThatThrownBy(() -> SampleWorkflow1.Options.defaults().failingAfterSilverCommit(4))
        .hasMessageContaining("Option --fail-after-silver-commit is 4, which is out of range: use 1 to"
            + " --silver-loops (3)");
  }

  private SampleWorkflow1.Tables tables(String prefix) {
    Path region = dir.resolve(prefix);
    return new SampleWorkflow1.Tables(
        TableLocation.path(region.resolve("c/raw/workflow_1_bronze").toString()),
        TableLocation.path(region.resolve("c/stage/workflow_1_silver").toString()),
        TableLocation.path(region.resolve("c/main/workflow_1_gold").toString()));
  }

  private static void land(Path landing, String name, List<String> lines) throws IOException {
    Files.createDirectories(landing);
    Files.write(landing.resolve(name), lines);
  }

  static List<String> rows(TableLocation table, String orderBy) {
    return SharedSpark.spark().sql("SELECT * FROM " + table.sqlIdentifier() + " ORDER BY " + orderBy)
        .collectAsList().stream().map(SampleWorkflow1Test::line).toList();
  }

  static String line(Row row) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < row.size(); i++) {
      text.append(i == 0 ? "" : "|").append(row.isNullAt(i) ? "null" : row.get(i).toString());
    }
    return text.toString();
  }
}
