package io.deltasync.testing;

import io.deltasync.spark.Sparks;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of a test JVM (local[2], Delta extensions, UI off, 2 shuffle
 * partitions). Every test class takes its session from here; none starts its own.
 */
public final class SharedSpark {

  private SharedSpark() {}

  public static SparkSession spark() {
    return Sparks.session();
  }
}
