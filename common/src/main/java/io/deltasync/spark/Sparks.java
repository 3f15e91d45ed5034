package io.deltasync.spark;

import org.apache.spark.sql.SparkSession;

/** Spark sessions: the one the runtime gives a Databricks job, or an embedded local one. */
public final class Sparks {

  /** How many Delta tables' logs an embedded session keeps in memory. */
  static final int DELTA_LOG_CACHE_SIZE = 32;

  private Sparks() {}

  /** True when running on a Databricks Runtime cluster. */
  public static boolean onDatabricks() {
    return System.getenv("DATABRICKS_RUNTIME_VERSION") != null;
  }

  /**
   * The active session on Databricks; elsewhere an embedded local session with Delta enabled,
   * created once per JVM.
   */
  public static synchronized SparkSession session() {
    if (onDatabricks()) {
      return SparkSession.builder().getOrCreate();
    }
    return localBuilder("local[2]").getOrCreate();
  }

  /**
   * A builder of an embedded session on {@code master} with Delta enabled and the settings of
   * {@link #session()} (tests use it for a {@code local-cluster} session).
   */
  public static SparkSession.Builder localBuilder(String master) {
    return SparkSession.builder()
        .appName("deltasync")
        .master(master)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        // Delta rebuilds a snapshot's state with this many partitions (default 50): on a local
        // session every one of them is a task, which dominates the time of small tables.
        .config("spark.databricks.delta.snapshotPartitions", "2")
        // Delta keeps every table's log and latest snapshot (with its cached plans, several MB
        // each) in a JVM-wide cache of up to 10,000 tables for an hour. A long-lived local JVM
        // that touches many tables (the tests, the demo, the benchmarks) filled a 1 GiB heap
        // with them; a few dozen are plenty, and an evicted table's log is simply read again.
        .config("spark.databricks.delta.delta.log.cacheSize", String.valueOf(DELTA_LOG_CACHE_SIZE));
  }

  /**
   * An embedded {@code local-cluster[workers,1,workerMemoryMib]} session: a standalone master and
   * its workers inside this JVM, each running one executor in a JVM of its own, so a task really
   * runs away from the driver (the tests of the executors' copy, and {@code bench wide}, whose
   * driver heap then holds the driver's memory alone). Any session of this JVM is stopped first.
   *
   * <p>Spark launches the executors with {@code java -cp <the driver's class path>} only in its
   * testing mode ({@code spark.testing}), and then looks for a Spark build under
   * {@code spark.test.home}: an empty folder with the two directories it checks stands in for it.
   *
   * @param home that folder; the caller deletes it once the session is stopped
   */
  public static SparkSession localCluster(int workers, int workerMemoryMib,
      String executorMemory, java.nio.file.Path home) {
    if (SparkSession.getActiveSession().isDefined()) {
      SparkSession.getActiveSession().get().stop();
    }
    if (SparkSession.getDefaultSession().isDefined()) {
      SparkSession.getDefaultSession().get().stop();
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    try {
      java.nio.file.Files.createDirectories(home.resolve("launcher/target/scala-2.12"));
      java.nio.file.Files.createDirectories(home.resolve("assembly/target/scala-2.12/jars"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    System.setProperty("spark.testing", "true");
    System.setProperty("spark.test.home", home.toString());
    return localBuilder("local-cluster[" + workers + ",1," + workerMemoryMib + "]")
        .config("spark.executor.memory", executorMemory)
        // A killed executor's tasks are retried; do not give up on the app for one lost JVM.
        .config("spark.task.maxFailures", "4")
        // Testing mode also turns on code-generation assertions, which the sort-merge join of two
        // large file lists trips ("split function argument ... cannot be a global variable").
        .config("spark.sql.codegen.wholeStage", "false")
        .getOrCreate();
  }
}
