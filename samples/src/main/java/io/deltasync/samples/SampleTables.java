package io.deltasync.samples;

import io.deltasync.table.TableLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** The few table and folder operations the sample workflows share. */
final class SampleTables {

  private SampleTables() {}

  /**
   * Creates the Delta table when it does not exist yet. On Databricks the schema (catalog.schema)
   * must exist; the bundle's deployment creates it.
   */
  static void create(SparkSession spark, TableLocation table, String columns) {
    spark.sql("CREATE TABLE IF NOT EXISTS " + table.sqlIdentifier() + " (" + columns + ") USING DELTA");
  }

  /** Whether a folder (any Hadoop URI or local path) exists. */
  static boolean exists(SparkSession spark, String dir) {
    Path path = new Path(dir);
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check folder " + dir + ": " + e.getMessage(), e);
    }
  }
}
