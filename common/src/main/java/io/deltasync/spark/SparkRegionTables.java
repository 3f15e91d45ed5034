package io.deltasync.spark;

import io.deltasync.preflight.RegionTables;
import io.deltasync.preflight.TableFacts;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * {@link RegionTables} on the running region's Spark session: a name is looked up in its
 * metastore (Unity Catalog on Databricks), a path read as a Delta table through its log. The other
 * region's tables are only ever reached by path (a staged copy), never by name.
 */
public final class SparkRegionTables implements RegionTables {

  private final SparkSession spark;

  public SparkRegionTables(SparkSession spark) {
    this.spark = Objects.requireNonNull(spark, "spark");
  }

  @Override
  public Optional<TableFacts> table(TableLocation location) {
    if (!exists(location)) {
      return Optional.empty();
    }
    Row detail = spark.sql("DESCRIBE DETAIL " + location.sqlIdentifier())
        .select("properties").first();
    Map<String, String> properties = detail.isNullAt(0) ? Map.of()
        : detail.<String, String>getJavaMap(0);
    List<String> columns = new ArrayList<>();
    for (StructField field : spark.table(location.sqlIdentifier()).schema().fields()) {
      columns.add(field.name() + " " + field.dataType().simpleString()
          + (field.nullable() ? "" : " not null"));
    }
    return Optional.of(new TableFacts(columns, properties));
  }

  @Override
  public boolean creatable(TableLocation location) {
    if (location instanceof TableLocation.Named named) {
      TableName name = named.name();
      try {
        return !spark.sql("SHOW SCHEMAS IN `" + name.catalog() + "` LIKE '" + name.schema() + "'")
            .isEmpty();
      } catch (RuntimeException e) {
        return false; // no such catalog
      }
    }
    return true;
  }

  private boolean exists(TableLocation location) {
    if (location instanceof TableLocation.Named named) {
      return spark.catalog().tableExists(named.name().toString());
    }
    return io.delta.tables.DeltaTable.isDeltaTable(spark, location.toString());
  }
}
