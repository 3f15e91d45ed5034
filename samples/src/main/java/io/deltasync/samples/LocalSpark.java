package io.deltasync.samples;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Session settings for the launcher's small local tables. Delta rebuilds a table's state with
 * {@code spark.databricks.delta.snapshotPartitions} (50 by default) tasks per snapshot, which on
 * a 2-core machine and tables of a few files costs far more than the data; the demo and the
 * benchmarks read hundreds of snapshots.
 */
public final class LocalSpark {

  /** The settings, also passed as {@code -D} system properties to child JVMs. */
  public static final Map<String, String> SETTINGS = Map.of(
      "spark.databricks.delta.snapshotPartitions", "2");

  private LocalSpark() {}

  /** Applies {@link #SETTINGS} to the session (session-level SQL settings). */
  public static SparkSession tune(SparkSession spark) {
    SETTINGS.forEach((key, value) -> spark.conf().set(key, value));
    return spark;
  }
}
