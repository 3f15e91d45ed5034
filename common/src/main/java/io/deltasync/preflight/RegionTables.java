package io.deltasync.preflight;

import io.deltasync.table.TableLocation;
import java.util.Optional;

/**
 * The Delta tables the running region can reach: its registered tables by name, and any table by
 * storage path. Implemented on Spark ({@code spark.SparkRegionTables}). Read-only.
 */
public interface RegionTables {

  /** The table's columns and properties at its latest version; empty when there is none. */
  Optional<TableFacts> table(TableLocation location);

  /**
   * Whether the table could be created where it is missing: for a name, its catalog and schema
   * exist; a path is always creatable (the cloner creates its folder).
   */
  boolean creatable(TableLocation location);
}
