package io.deltasync.spark;

import io.deltasync.clone.TableRestorer;
import io.deltasync.errors.SyncErrors;
import io.deltasync.table.TableLocation;
import java.util.Objects;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TableRestorer} through Spark SQL: {@code RESTORE TABLE <table> TO VERSION AS OF <v>},
 * which Databricks and open-source Delta both run, on a Unity Catalog name or a path. No Delta
 * internal class: the same code on both.
 */
public final class SqlTableRestorer implements TableRestorer {

  private static final Logger LOG = LoggerFactory.getLogger(SqlTableRestorer.class);

  private final SparkSession spark;

  public SqlTableRestorer(SparkSession spark) {
    this.spark = Objects.requireNonNull(spark, "spark");
  }

  @Override
  public long restore(TableLocation table, long version) {
    long latest = latest(table, version);
    if (version > latest) {
      throw SyncErrors.restoreVersionMissing(table, version, latest);
    }
    if (version == latest) {
      LOG.info("Table {} is at version {} already: nothing to restore", table, version);
      return latest;
    }
    try {
      spark.sql("RESTORE TABLE " + table.sqlIdentifier() + " TO VERSION AS OF " + version);
    } catch (Exception e) {
      // Not only RuntimeException: Spark (Scala) throws AnalysisException unchecked.
      throw SyncErrors.restoreFailed(table, version, !(e instanceof AnalysisException), e);
    }
    long after = latest(table, version);
    LOG.info("Table {} restored to its version {}, as version {}", table, version, after);
    return after;
  }

  private long latest(TableLocation table, long version) {
    try {
      Row newest = spark.sql("DESCRIBE HISTORY " + table.sqlIdentifier() + " LIMIT 1").first();
      return newest.getLong(newest.fieldIndex("version"));
    } catch (Exception e) {
      // Not only RuntimeException: Spark (Scala) throws AnalysisException unchecked.
      throw SyncErrors.restoreFailed(table, version, !(e instanceof AnalysisException), e);
    }
  }
}
