package io.deltasync.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code RESTORE TABLE} through Spark SQL on real Delta tables, and what it refuses. */
class SqlTableRestorerTest {

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();
  private final SqlTableRestorer restorer = new SqlTableRestorer(spark);

  @Test
  void putsATableBackAtAnEarlierVersionInOneCommitAndCommitsNothingWhenItIsThere() {
    String path = dir.resolve("t").toString();
    spark.sql("CREATE TABLE delta.`" + path + "` (id BIGINT, name STRING) USING delta");
    spark.sql("INSERT INTO delta.`" + path + "` VALUES (1, 'one'), (2, 'two')");
    spark.sql("DELETE FROM delta.`" + path + "` WHERE id = 1");
    spark.sql("INSERT INTO delta.`" + path + "` VALUES (3, 'three')");

    long after = restorer.restore(TableLocation.path(path), 1);

    assertThat(after).isEqualTo(4);
    assertThat(rows(path)).containsExactly("[1,one]", "[2,two]");
    assertThat(restorer.restore(TableLocation.path(path), 4)).isEqualTo(4);
    assertThat(spark.sql("DESCRIBE HISTORY delta.`" + path + "`").count()).isEqualTo(5);
  }

  @Test
  void refusesAVersionTheTableDoesNotHaveAndAPathThatIsNoDeltaTable() throws Exception {
    String path = dir.resolve("t").toString();
    spark.sql("CREATE TABLE delta.`" + path + "` (id BIGINT) USING delta");

    assertThatThrownBy(() -> restorer.restore(TableLocation.path(path), 9))
        .isInstanceOfSatisfying(SyncException.class,
            e -> assertThat(e.kind()).isEqualTo(SyncException.Kind.FATAL))
        .hasMessage("Table " + path + " has no version 9 to restore to: its latest version is 0;"
            + " it was replaced since that version was recorded: put it back by hand (deltasync"
            + " clone of the last sync point's staging version) or fail over");
    Path plain = Files.createDirectories(dir.resolve("plain"));
    assertThatThrownBy(() -> restorer.restore(TableLocation.path(plain.toString()), 0))
        .isInstanceOfSatisfying(SyncException.class,
            e -> assertThat(e.kind()).isEqualTo(SyncException.Kind.FATAL))
        .hasMessageStartingWith("Could not restore table " + plain + " to its version 0: ")
        .hasMessageEndingWith("; the table may have been dropped or the version's files"
            + " vacuumed: put it back by hand (deltasync clone of the last sync point's staging"
            + " version) or fail over");
  }

  private List<String> rows(String path) {
    return spark.read().format("delta").load(path).collectAsList().stream().map(Row::toString)
        .sorted().toList();
  }
}
