package io.deltasync.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A path table's id read from its newest commit's checksum is the id Delta's snapshot holds, past
 * a checkpoint and after the table was created again; without that checksum Delta's read answers.
 */
class SparkTableIdsTest {

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();

  @Test
  void theIdIsTheSnapshotsPastACheckpointAndAfterTheTableIsCreatedAgain() throws Exception {
    Path table = dir.resolve("t");
    TableLocation location = new TableLocation.Path(table.toUri().toString());
    spark.range(0, 3).write().format("delta").save(table.toString());
    for (int i = 0; i < 11; i++) {
      spark.range(i, i + 1).write().format("delta").mode("append").save(table.toString());
    }
    assertThat(table.resolve("_delta_log/_last_checkpoint")).exists();
    assertThat(new SparkTableIds(spark).tableId(location)).contains(snapshotId(table));

    String before = snapshotId(table);
    try (java.util.stream.Stream<Path> files = Files.walk(table)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    DeltaLog.clearCache();
    spark.range(0, 1).write().format("delta").save(table.toString());
    assertThat(new SparkTableIds(spark).tableId(location)).contains(snapshotId(table))
        .isNotEqualTo(java.util.Optional.of(before));
  }

  @Test
  void withoutTheNewestChecksumDeltasReadAnswers() throws Exception {
    Path table = dir.resolve("t");
    spark.range(0, 3).write().format("delta").save(table.toString());
    spark.range(3, 4).write().format("delta").mode("append").save(table.toString());
    Files.delete(table.resolve("_delta_log/00000000000000000001.crc"));
    assertThat(new SparkTableIds(spark).tableId(new TableLocation.Path(table.toUri().toString())))
        .contains(snapshotId(table));
  }

  @Test
  void aFolderWithoutATableIsRefusedNamingIt() {
    TableLocation missing = new TableLocation.Path(dir.resolve("none").toUri().toString());
    assertThatThrownBy(() -> new SparkTableIds(spark).tableId(missing))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining(missing.toString());
  }

  private String snapshotId(Path table) {
    return DeltaLog.forTable(spark, table.toString()).update(false, scala.Option.empty(),
        scala.Option.empty()).metadata().id();
  }
}
