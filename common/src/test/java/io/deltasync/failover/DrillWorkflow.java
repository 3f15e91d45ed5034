package io.deltasync.failover;

import io.deltasync.local.LocalRunLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The drill's workflow, shaped like sample_workflow_1: landing CSV batches -> bronze (insert-only
 * MERGE) -> silver (a loop of three MERGE commits, upserting the pending orders with
 * {@code order_id % 3 = pass}) -> gold (rewritten per customer with the watermark
 * {@code through_batch}). Pending batches are those after gold's watermark, so a run stopped inside
 * the silver loop is completed by the next run; content depends on the landing files only.
 * Runs are recorded in the region's run log, which stamps every commit with the run id.
 */
final class DrillWorkflow {

  static final String NAME = "sample_workflow_1";
  static final List<String> TABLES = List.of("dr.raw.bronze", "dr.stage.silver", "dr.main.gold");

  private DrillWorkflow() {}

  static String table(Path region, String name) {
    return region.resolve(name.replace('.', '/')).toString();
  }

  /** Each table's rows in {@code region}, as sorted strings. */
  static Map<String, List<String>> contents(SparkSession spark, Path region) {
    Map<String, List<String>> tables = new HashMap<>();
    for (String table : TABLES) {
      tables.put(table, spark.read().format("delta").load(table(region, table)).collectAsList()
          .stream().map(Row::toString).sorted().toList());
    }
    return tables;
  }

  /** Lands batch {@code n}: orders n*100+k, and an update of order (n-1)*100+1. */
  static void land(Path region, int n) throws IOException {
    Path landing = Files.createDirectories(region.resolve("landing"));
    StringBuilder csv = new StringBuilder();
    for (int k = 0; k < 9; k++) {
      csv.append(n * 100 + k).append(",Customer ").append(k % 3).append(',')
          .append(n * 10 + k).append(".50,open\n");
    }
    if (n > 1) {
      csv.append((n - 1) * 100 + 1).append(",Customer 1,").append(n).append("99.00,closed\n");
    }
    Files.writeString(landing.resolve(String.format("batch_%04d.csv", n)), csv);
  }

  /**
   * One run in {@code region}, recorded in its run log.
   *
   * @param failAfterSilverCommit the drill's kill: throw right after that silver commit (1..3)
   */
  static void run(SparkSession spark, Path region, OptionalInt failAfterSilverCommit)
      throws Exception {
    new LocalRunLog(region.toString()).record(NAME, runId -> {
      body(spark, region, failAfterSilverCommit);
      return null;
    });
  }

  private static void body(SparkSession spark, Path region, OptionalInt failAfterSilverCommit)
      throws IOException {
    String bronze = "delta.`" + table(region, "dr.raw.bronze") + "`";
    String silver = "delta.`" + table(region, "dr.stage.silver") + "`";
    String gold = "delta.`" + table(region, "dr.main.gold") + "`";
    spark.sql("CREATE TABLE IF NOT EXISTS " + bronze
        + " (order_id BIGINT, customer STRING, amount DECIMAL(12,2), status STRING, batch INT)"
        + " USING delta");
    spark.sql("CREATE TABLE IF NOT EXISTS " + silver
        + " (order_id BIGINT, customer STRING, amount DECIMAL(12,2), status STRING, batch INT)"
        + " USING delta");
    spark.sql("CREATE TABLE IF NOT EXISTS " + gold
        + " (customer STRING, orders BIGINT, total DECIMAL(22,2), open_orders BIGINT,"
        + " through_batch INT) USING delta");

    Object max = spark.sql("SELECT max(through_batch) FROM " + gold).first().get(0);
    int watermark = max == null ? 0 : ((Number) max).intValue();
    List<Integer> pending = new ArrayList<>();
    List<String> files = new ArrayList<>();
    try (Stream<Path> landed = Files.list(region.resolve("landing"))) {
      for (Path file : landed.sorted().toList()) {
        String name = file.getFileName().toString();
        int n = Integer.parseInt(name.substring("batch_".length(), name.length() - 4));
        if (n > watermark) {
          pending.add(n);
          files.add(file.toString());
        }
      }
    }
    if (pending.isEmpty()) {
      return;
    }
    spark.read().schema("order_id BIGINT, customer STRING, amount DECIMAL(12,2), status STRING")
        .csv(files.toArray(String[]::new))
        .selectExpr("*", "CAST(regexp_extract(input_file_name(), 'batch_(\\\\d+)', 1) AS INT)"
            + " AS batch")
        .createOrReplaceTempView("drill_landing");
    spark.sql("MERGE INTO " + bronze + " b USING drill_landing l"
        + " ON b.batch = l.batch AND b.order_id = l.order_id AND b.customer = l.customer"
        + " AND b.amount = l.amount WHEN NOT MATCHED THEN INSERT *");

    for (int pass = 0; pass < 3; pass++) {
      spark.sql("MERGE INTO " + silver + " s USING ("
          + " SELECT order_id, lower(trim(customer)) AS customer, amount, status, batch FROM ("
          + "  SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY batch DESC, amount DESC)"
          + "  AS rn FROM " + bronze + " WHERE batch > " + watermark + " AND order_id % 3 = " + pass
          + " ) WHERE rn = 1) p ON s.order_id = p.order_id"
          + " WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *");
      if (failAfterSilverCommit.isPresent() && failAfterSilverCommit.getAsInt() == pass + 1) {
        throw new IllegalStateException("drill: run killed after silver commit " + (pass + 1));
      }
    }
    int through = pending.get(pending.size() - 1);
    spark.sql("INSERT OVERWRITE " + gold + " SELECT customer, count(*) AS orders,"
        + " CAST(sum(amount) AS DECIMAL(22,2)) AS total,"
        + " count_if(status = 'open') AS open_orders, " + through + " AS through_batch"
        + " FROM " + silver + " GROUP BY customer");
  }
}
