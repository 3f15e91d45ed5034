package io.deltasync.samples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;

import io.deltasync.errors.SyncErrors;
import io.deltasync.table.TableLocation;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sample_workflow_1: landing files, then bronze, then a silver table updated in a loop of several
 * commits, then gold. The workflow seed 004 describes: a run killed inside its silver loop leaves
 * silver half updated, which is exactly the state deltasync must never ship to the secondary.
 *
 * <ul>
 *   <li><b>landing</b>: CSV files {@code batch_NNNN.csv} ({@code order_id,customer,amount,status})
 *       in a folder (a Unity Catalog volume on Databricks, a region folder locally). The file name
 *       without {@code .csv} is the batch id; batch ids sort in arrival order.
 *   <li><b>bronze</b>: every landing row as it came, with its batch id and file name. MERGE on
 *       (batch id, order id), insert only: ingesting the same files again adds nothing, and a
 *       backlog of several batches is ingested in one commit.
 *   <li><b>silver</b>: the latest state of each order (latest batch wins), customer names cleaned.
 *       Updated by {@code silverLoops} MERGE commits, pass {@code i} upserting the pending orders
 *       with {@code order_id mod silverLoops = i}. Pending orders are those of the batches after
 *       gold's watermark, so a run stopped inside the loop is completed by the next run.
 *   <li><b>gold</b>: per customer, orders, total amount and open orders, rewritten in one commit
 *       at the end with the watermark {@code through_batch}: the last batch the run processed.
 * </ul>
 *
 * <p>Content is a function of the landing files alone: neither clocks nor run ids reach a row, so
 * the same files give the same rows in either region, whatever the number of silver loops and
 * however many runs failed before.
 */
public final class SampleWorkflow1 {

  public static final String NAME = "sample_workflow_1";
  public static final int DEFAULT_SILVER_LOOPS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(SampleWorkflow1.class);

  static final StructType LANDING_SCHEMA = new StructType()
      .add("order_id", DataTypes.LongType, false)
      .add("customer", DataTypes.StringType, true)
      .add("amount", DataTypes.createDecimalType(12, 2), true)
      .add("status", DataTypes.StringType, true);

  private static final String BRONZE_COLUMNS = "order_id BIGINT, customer STRING, amount DECIMAL(12,2),"
      + " status STRING, batch_id STRING, source_file STRING";
  private static final String SILVER_COLUMNS =
      "order_id BIGINT, customer STRING, amount DECIMAL(12,2), status STRING, batch_id STRING";
  private static final String GOLD_COLUMNS = "customer STRING, orders BIGINT,"
      + " total_amount DECIMAL(22,2), open_orders BIGINT, through_batch STRING";

  /** The three tables the workflow writes. */
  public record Tables(TableLocation bronze, TableLocation silver, TableLocation gold) {
    public Tables {
      Objects.requireNonNull(bronze, "bronze");
      Objects.requireNonNull(silver, "silver");
      Objects.requireNonNull(gold, "gold");
    }

    public List<TableLocation> all() {
      return List.of(bronze, silver, gold);
    }
  }

  /**
   * @param silverLoops how many MERGE commits the silver loop makes (at least 1)
   * @param failAfterSilverCommit the drill's hook: stop the run with an error right after this
   *     silver commit (1 to silverLoops), leaving silver half updated and gold untouched
   */
  public record Options(int silverLoops, OptionalInt failAfterSilverCommit) {
    public Options {
      if (silverLoops < 1 || silverLoops > 100) {
        throw SyncErrors.sampleOptionOutOfRange("--silver-loops", silverLoops, "1 to 100");
      }
      Objects.requireNonNull(failAfterSilverCommit, "failAfterSilverCommit");
      if (failAfterSilverCommit.isPresent()
          && (failAfterSilverCommit.getAsInt() < 1 || failAfterSilverCommit.getAsInt() > silverLoops)) {
        throw SyncErrors.sampleOptionOutOfRange("--fail-after-silver-commit",
            failAfterSilverCommit.getAsInt(), "1 to --silver-loops (" + silverLoops + ")");
      }
    }

    public static Options defaults() {
      return new Options(DEFAULT_SILVER_LOOPS, OptionalInt.empty());
    }

    public Options withSilverLoops(int loops) {
      return new Options(loops, failAfterSilverCommit);
    }

    public Options failingAfterSilverCommit(int commit) {
      return new Options(silverLoops, OptionalInt.of(commit));
    }
  }

  /**
   * What a completed run did.
   *
   * @param pendingBatches the batches after gold's watermark that this run processed, in order
   * @param bronzeRowsAdded landing rows new to bronze
   * @param silverCommits the silver loop's commits
   * @param throughBatch gold's watermark after the run; empty while no batch ever landed
   */
  public record Result(
      List<String> pendingBatches, long bronzeRowsAdded, int silverCommits, String throughBatch) {
    public Result {
      pendingBatches = List.copyOf(pendingBatches);
    }
  }

  private SampleWorkflow1() {}

  /** Runs the workflow once; throws when it fails, leaving whatever it committed so far. */
  public static Result run(SparkSession spark, String landingDir, Tables tables, Options options) {
    Objects.requireNonNull(landingDir, "landingDir");
    LOG.info("{}: landing {}, bronze {}, silver {}, gold {}, {} silver loops", NAME, landingDir,
        tables.bronze(), tables.silver(), tables.gold(), options.silverLoops());
    SampleTables.create(spark, tables.bronze(), BRONZE_COLUMNS);
    SampleTables.create(spark, tables.silver(), SILVER_COLUMNS);
    SampleTables.create(spark, tables.gold(), GOLD_COLUMNS);

    long bronzeBefore = count(spark, tables.bronze());
    ingestToBronze(spark, landingDir, tables.bronze());
    long bronzeRowsAdded = count(spark, tables.bronze()) - bronzeBefore;

    String watermark = spark.sql("SELECT max(through_batch) FROM " + tables.gold().sqlIdentifier())
        .first().getString(0);
    String bronze = tables.bronze().sqlIdentifier();
    String pendingFilter = watermark == null ? "" : " WHERE batch_id > " + sqlString(watermark);
    List<String> pendingBatches = spark.sql(
            "SELECT DISTINCT batch_id FROM " + bronze + pendingFilter + " ORDER BY batch_id")
        .collectAsList().stream().map(row -> row.getString(0)).toList();
    LOG.info("{}: {} new landing rows; watermark {}, pending batches {}", NAME, bronzeRowsAdded,
        watermark, pendingBatches);

    // The latest state of each pending order; ties inside a batch broken on content, so the
    // result never depends on file order.
    // Each pending order is numbered in order_id order; pass i takes the numbers equal to i modulo
    // the loop count, so every pass has rows (and makes a commit) once that many orders are pending.
    spark.sql("SELECT order_id, customer, amount, status, batch_id,"
            + " pmod(row_number() OVER (ORDER BY order_id) - 1, " + options.silverLoops() + ") AS pass"
            + " FROM (SELECT order_id, lower(trim(customer)) AS customer, amount, status, batch_id FROM ("
            + " SELECT *, row_number() OVER (PARTITION BY order_id"
            + " ORDER BY batch_id DESC, status DESC, amount DESC, customer DESC) AS rank"
            + " FROM " + bronze + pendingFilter + ") WHERE rank = 1)")
        .createOrReplaceTempView("deltasync_wf1_pending");
    int silverCommits = 0;
    try {
      for (int pass = 0; pass < options.silverLoops() && !pendingBatches.isEmpty(); pass++) {
        spark.sql("MERGE INTO " + tables.silver().sqlIdentifier() + " t"
            + " USING (SELECT order_id, customer, amount, status, batch_id FROM deltasync_wf1_pending"
            + " WHERE pass = " + pass + ") s"
            + " ON t.order_id = s.order_id"
            + " WHEN MATCHED AND s.batch_id >= t.batch_id THEN UPDATE SET *"
            + " WHEN NOT MATCHED THEN INSERT *");
        silverCommits++;
        LOG.info("{}: silver commit {} of {}", NAME, silverCommits, options.silverLoops());
        if (options.failAfterSilverCommit().equals(OptionalInt.of(silverCommits))) {
          throw SyncErrors.sampleRunStoppedOnPurpose(NAME, silverCommits, options.silverLoops());
        }
      }
    } finally {
      spark.catalog().dropTempView("deltasync_wf1_pending");
    }

    String throughBatch = pendingBatches.isEmpty() ? watermark : pendingBatches.get(pendingBatches.size() - 1);
    spark.sql("INSERT OVERWRITE " + tables.gold().sqlIdentifier()
        + " SELECT customer, count(*) AS orders, CAST(sum(amount) AS DECIMAL(22,2)) AS total_amount,"
        + " count_if(status = 'open') AS open_orders, "
        + (throughBatch == null ? "CAST(NULL AS STRING)" : sqlString(throughBatch)) + " AS through_batch"
        + " FROM " + tables.silver().sqlIdentifier() + " GROUP BY customer");
    LOG.info("{}: done, gold through batch {}", NAME, throughBatch);
    return new Result(pendingBatches, bronzeRowsAdded, silverCommits,
        throughBatch == null ? "" : throughBatch);
  }

  private static void ingestToBronze(SparkSession spark, String landingDir, TableLocation bronze) {
    if (!SampleTables.exists(spark, landingDir)) {
      throw SyncErrors.landingFolderMissing(landingDir);
    }
    Dataset<Row> landing = spark.read()
        .schema(LANDING_SCHEMA)
        .option("header", "true")
        .option("mode", "FAILFAST")
        .option("pathGlobFilter", "*.csv")
        .csv(landingDir)
        .select(col("order_id"), col("customer"), col("amount"), col("status"),
            regexp_replace(col("_metadata.file_name"), "\\.csv$", "").as("batch_id"),
            col("_metadata.file_name").as("source_file"))
        .filter(col("order_id").isNotNull());
    landing.createOrReplaceTempView("deltasync_wf1_landing");
    try {
      spark.sql("MERGE INTO " + bronze.sqlIdentifier() + " t USING deltasync_wf1_landing s"
          + " ON t.batch_id = s.batch_id AND t.order_id = s.order_id"
          + " WHEN NOT MATCHED THEN INSERT *");
    } finally {
      spark.catalog().dropTempView("deltasync_wf1_landing");
    }
  }

  private static long count(SparkSession spark, TableLocation table) {
    return spark.sql("SELECT count(*) FROM " + table.sqlIdentifier()).first().getLong(0);
  }

  /** A SQL string literal; batch ids come from file names, so quotes are escaped. */
  static String sqlString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
