package io.deltasync.samples.demo;

import io.deltasync.table.TableLocation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Row-level comparison of Delta table versions: every row, with its multiplicity. */
public final class Rows {

  /**
   * The outcome of a comparison.
   *
   * @param leftRows rows on the left
   * @param rightRows rows on the right
   * @param onlyLeft rows of the left missing on the right (counting duplicates)
   * @param onlyRight rows of the right missing on the left
   */
  public record Diff(long leftRows, long rightRows, long onlyLeft, long onlyRight) {
    public boolean equal() {
      return onlyLeft == 0 && onlyRight == 0;
    }

    @Override
    public String toString() {
      return equal()
          ? leftRows + " rows, equal"
          : leftRows + " vs " + rightRows + " rows, " + onlyLeft + " only left, " + onlyRight
              + " only right";
    }
  }

  private Rows() {}

  /** A table's rows at a version. */
  public static Dataset<Row> at(SparkSession spark, TableLocation table, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path(table));
  }

  /** A table's rows at its newest version. */
  public static Dataset<Row> latest(SparkSession spark, TableLocation table) {
    return spark.read().format("delta").load(path(table));
  }

  /** Compares two row sets as multisets (EXCEPT ALL both ways); columns matched by name. */
  public static Diff compare(Dataset<Row> left, Dataset<Row> right) {
    Dataset<Row> aligned = right.selectExpr(quoted(left.columns()));
    return new Diff(left.count(), aligned.count(), left.exceptAll(aligned).count(),
        aligned.exceptAll(left).count());
  }

  private static String[] quoted(String[] columns) {
    String[] out = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = "`" + columns[i].replace("`", "``") + "`";
    }
    return out;
  }

  static String path(TableLocation table) {
    if (table instanceof TableLocation.Path p) {
      return p.uri();
    }
    throw new IllegalArgumentException("the demo compares tables by path, got " + table);
  }
}
