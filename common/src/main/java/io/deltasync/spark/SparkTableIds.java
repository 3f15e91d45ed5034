package io.deltasync.spark;

import io.deltasync.errors.SyncErrors;
import io.deltasync.sync.TableIds;
import io.deltasync.table.TableLocation;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import scala.Option;

/**
 * Table ids: a path table's from the metadata of its latest snapshot, read from its Delta log (no
 * SQL statement, and no listing of the table's files, which {@code DESCRIBE DETAIL} would also
 * sum); a catalog table's through {@code DESCRIBE DETAIL}, the same on open-source Delta and
 * Databricks.
 */
public final class SparkTableIds implements TableIds {

  private final SparkSession spark;

  public SparkTableIds(SparkSession spark) {
    this.spark = Objects.requireNonNull(spark, "spark");
  }

  @Override
  public Optional<String> tableId(TableLocation table) {
    if (table instanceof TableLocation.Path path) {
      return logTableId(path);
    }
    Row detail;
    try {
      detail = spark.sql("DESCRIBE DETAIL " + table.sqlIdentifier()).select("id").first();
    } catch (Exception e) {
      // Not only RuntimeException: Delta (Scala) throws the file system's IOException unchecked.
      throw SyncErrors.tableIdUnreadable(table.toString(), e);
    }
    return detail.isNullAt(0) ? Optional.empty() : Optional.of(detail.getString(0));
  }

  private Optional<String> logTableId(TableLocation.Path table) {
    Snapshot snapshot;
    try {
      snapshot = DeltaLog.forTable(spark, new Path(table.uri()))
          .update(false, Option.empty(), Option.empty());
    } catch (Exception e) {
      // Not only RuntimeException: Delta (Scala) throws the file system's IOException unchecked.
      throw SyncErrors.tableIdUnreadable(table.toString(), e);
    }
    if (snapshot.version() < 0) {
      throw SyncErrors.tableIdUnreadable(table.toString(),
          new IllegalStateException("no Delta table at " + table));
    }
    String id = snapshot.metadata().id();
    return id == null ? Optional.empty() : Optional.of(id);
  }
}
