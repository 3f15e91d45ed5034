package io.deltasync.spark;

import io.deltasync.errors.SyncErrors;
import io.deltasync.sync.TableIds;
import io.deltasync.table.TableLocation;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Table ids through {@code DESCRIBE DETAIL}: the same on open-source Delta and Databricks. */
public final class SparkTableIds implements TableIds {

  private final SparkSession spark;

  public SparkTableIds(SparkSession spark) {
    this.spark = Objects.requireNonNull(spark, "spark");
  }

  @Override
  public Optional<String> tableId(TableLocation table) {
    Row detail;
    try {
      detail = spark.sql("DESCRIBE DETAIL " + table.sqlIdentifier()).select("id").first();
    } catch (Exception e) {
      // Not only RuntimeException: Delta (Scala) throws the file system's IOException unchecked.
      throw SyncErrors.tableIdUnreadable(table.toString(), e);
    }
    return detail.isNullAt(0) ? Optional.empty() : Optional.of(detail.getString(0));
  }
}
