package io.deltasync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Delta tables on wasb:// (Azurite) through the shared Spark session. */
@ExtendWith(Azurite.class)
class AzuriteDeltaTest {

  @Test
  void writesAppendsAndTimeTravelsADeltaTableOnWasb(Azurite.Server azurite) {
    SparkSession spark = SharedSpark.spark();
    azurite.configure(spark.sparkContext().hadoopConfiguration());
    String table = azurite.newRoot(Azurite.PRIMARY) + "/c/s/orders";

    spark.range(0, 100).selectExpr("id", "id * 2 AS amount")
        .write().format("delta").save(table);
    spark.range(100, 150).selectExpr("id", "id * 2 AS amount")
        .write().format("delta").mode("append").save(table);

    Dataset<Row> latest = spark.read().format("delta").load(table);
    assertThat(latest.count()).isEqualTo(150);
    assertThat(latest.selectExpr("sum(amount)").first().getLong(0)).isEqualTo(2 * (149L * 150 / 2));
    assertThat(spark.read().format("delta").option("versionAsOf", 0).load(table).count())
        .isEqualTo(100);
    List<Row> history = spark.sql("DESCRIBE HISTORY delta.`" + table + "`")
        .select("version", "operation").orderBy("version").collectAsList();
    assertThat(history).extracting(r -> r.getLong(0) + " " + r.getString(1))
        .containsExactly("0 WRITE", "1 WRITE");
  }

  @Test
  void aTableInOneRegionIsNotVisibleInTheOther(Azurite.Server azurite) {
    SparkSession spark = SharedSpark.spark();
    azurite.configure(spark.sparkContext().hadoopConfiguration());
    String primary = azurite.newRoot(Azurite.PRIMARY) + "/c/s/t";
    String secondary = primary.replace("wasb://primary@", "wasb://secondary@");

    spark.range(0, 10).write().format("delta").save(primary);

    assertThat(io.delta.tables.DeltaTable.isDeltaTable(spark, primary)).isTrue();
    assertThat(io.delta.tables.DeltaTable.isDeltaTable(spark, secondary)).isFalse();
  }
}
