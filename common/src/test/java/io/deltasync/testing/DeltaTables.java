package io.deltasync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.table.TableLocation;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.delta.actions.Protocol;
import scala.Option;
import scala.collection.JavaConverters;

/** Real Delta tables for tests: SQL on path tables, and exact comparisons of two tables. */
public final class DeltaTables {

  private DeltaTables() {}

  /** Runs statements with {@code $t} replaced by the table's SQL identifier. */
  public static void sql(TableLocation table, String... statements) {
    SparkSession spark = SharedSpark.spark();
    for (String statement : statements) {
      spark.sql(statement.replace("$t", table.sqlIdentifier()));
    }
  }

  public static Dataset<Row> read(TableLocation table) {
    return SharedSpark.spark().sql("SELECT * FROM " + table.sqlIdentifier());
  }

  public static Dataset<Row> readAsOf(TableLocation table, long version) {
    return SharedSpark.spark()
        .sql("SELECT * FROM " + table.sqlIdentifier() + " VERSION AS OF " + version);
  }

  public static long latestVersion(TableLocation table) {
    return lastCommit(table).getLong(lastCommit(table).fieldIndex("version"));
  }

  /** The newest history entry of a table (operation, operationParameters, version ...). */
  public static Row lastCommit(TableLocation table) {
    return SharedSpark.spark().sql("DESCRIBE HISTORY " + table.sqlIdentifier())
        .orderBy(org.apache.spark.sql.functions.col("version").desc()).first();
  }

  public static long rowCount(TableLocation table) {
    return read(table).count();
  }

  /**
   * Asserts that reading {@code target} equals reading {@code source VERSION AS OF version}: the
   * same schema (names, types, nullability, field metadata such as comments and column mapping),
   * the same rows counted with duplicates, the same partition columns, table properties
   * (constraints are properties) and description, and a protocol at least the source's.
   */
  public static void assertSameTable(TableLocation source, long version, TableLocation target) {
    Dataset<Row> expected = readAsOf(source, version);
    Dataset<Row> actual = read(target);
    assertThat(actual.schema()).as("schema of %s", target).isEqualTo(expected.schema());
    assertThat(actual.count()).as("row count of %s", target).isEqualTo(expected.count());
    assertThat(actual.exceptAll(expected).count()).as("rows only in %s", target).isZero();
    assertThat(expected.exceptAll(actual).count()).as("rows missing from %s", target).isZero();

    Snapshot sourceSnapshot = snapshot(source, version);
    Snapshot targetSnapshot = snapshot(target, -1);
    Metadata want = sourceSnapshot.metadata();
    Metadata got = targetSnapshot.metadata();
    assertThat(got.schemaString()).as("Delta schema of %s", target).isEqualTo(want.schemaString());
    assertThat(list(got.partitionColumns())).as("partition columns of %s", target)
        .isEqualTo(list(want.partitionColumns()));
    assertThat(new TreeMap<>(map(got.configuration()))).as("properties of %s", target)
        .isEqualTo(new TreeMap<>(map(want.configuration())));
    assertThat(got.description()).as("description of %s", target).isEqualTo(want.description());
    Protocol targetProtocol = targetSnapshot.protocol();
    assertThat(targetProtocol.merge(JavaConverters.asScalaBufferConverter(
            List.of(sourceSnapshot.protocol())).asScala()))
        .as("protocol of %s covers the source's", target).isEqualTo(targetProtocol);
  }

  /** A table's snapshot as of a version, or the latest for -1. Path tables only. */
  public static Snapshot snapshot(TableLocation table, long version) {
    DeltaLog log = DeltaLog.forTable(SharedSpark.spark(), new Path(table.toString()));
    Snapshot latest = log.update(false, Option.empty(), Option.empty());
    return version < 0 ? latest : log.getSnapshotAt(version, Option.empty(), Option.empty());
  }

  private static <T> List<T> list(scala.collection.Seq<T> seq) {
    return JavaConverters.seqAsJavaListConverter(seq).asJava();
  }

  private static <K, V> Map<K, V> map(scala.collection.Map<K, V> map) {
    return JavaConverters.mapAsJavaMapConverter(map).asJava();
  }
}
