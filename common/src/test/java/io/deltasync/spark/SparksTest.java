package io.deltasync.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.testing.SharedSpark;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaLog$;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparksTest {

  @TempDir
  Path dir;

  /**
   * Delta's default keeps 10,000 tables' logs and snapshots for an hour: a test JVM that touched a
   * few hundred tables ran out of its 1 GiB heap.
   */
  @Test
  void anEmbeddedSessionKeepsAtMost32TableLogsInMemory() {
    SparkSession spark = SharedSpark.spark();
    int tables = Sparks.DELTA_LOG_CACHE_SIZE + 8;
    for (int i = 0; i < tables; i++) {
      DeltaLog.forTable(spark, dir.resolve("table-" + i).toString());
    }

    assertThat(DeltaLog$.MODULE$.cacheSize()).isBetween(1L, (long) Sparks.DELTA_LOG_CACHE_SIZE);
  }

  @Test
  void theSessionIsOneSharedLocalSession() {
    SparkSession spark = Sparks.session();

    assertThat(Sparks.session()).isSameAs(spark);
    assertThat(spark.sparkContext().master()).isEqualTo("local[2]");
    assertThat(spark.conf().get("spark.sql.shuffle.partitions")).isEqualTo("2");
  }
}
