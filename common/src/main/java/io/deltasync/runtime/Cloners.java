package io.deltasync.runtime;

import io.deltasync.clone.StagingCheck;
import io.deltasync.clone.TableCloner;
import io.deltasync.clone.TableRestorer;
import io.deltasync.databricks.DatabricksCloner;
import io.deltasync.spark.PortableCloner;
import io.deltasync.spark.SnapshotFilesCheck;
import io.deltasync.spark.SqlTableRestorer;
import io.deltasync.spark.Sparks;

/** Picks the cloner for the runtime this JVM runs on. */
public final class Cloners {

  private Cloners() {}

  /**
   * SQL {@code DEEP CLONE} on a Databricks Runtime, the portable cloner elsewhere. Each branch
   * constructs its class in its own method, so that the open-source Delta classes the portable
   * cloner uses are never loaded on Databricks.
   */
  public static TableCloner forRuntime() {
    return Sparks.onDatabricks() ? databricks() : portable();
  }

  /**
   * The staging check for the runtime: {@link SnapshotFilesCheck} (Delta log + Hadoop listing)
   * where the portable cloner runs; on Databricks {@link StagingCheck#LOG_ONLY} until its {@code
   * FSCK REPAIR TABLE ... DRY RUN} equivalent is built.
   */
  public static StagingCheck stagingCheck() {
    return Sparks.onDatabricks() ? StagingCheck.LOG_ONLY : new SnapshotFilesCheck(Sparks.session());
  }

  /** The runtime's table restorer: {@code RESTORE TABLE} through Spark SQL, on both runtimes. */
  public static TableRestorer restorer() {
    return new SqlTableRestorer(Sparks.session());
  }

  private static TableCloner databricks() {
    return new DatabricksCloner(Sparks.session());
  }

  private static TableCloner portable() {
    return new PortableCloner(Sparks.session());
  }
}
