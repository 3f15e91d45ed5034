package io.deltasync.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import io.deltasync.testing.DeltaTables;
import io.deltasync.testing.SharedSpark;
import io.deltasync.verify.Fingerprint;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fingerprints of real Delta tables: what changes the checksum and what must not. */
class SparkFingerprinterTest {

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();
  private final SparkFingerprinter fingerprinter = new SparkFingerprinter(spark);

  private TableLocation table(String name, String... statements) {
    TableLocation t = TableLocation.path(dir.resolve(name).toString());
    DeltaTables.sql(t, statements);
    return t;
  }

  private Fingerprint latest(TableLocation t) {
    return fingerprinter.fingerprint(t, fingerprinter.latestVersion(t));
  }

  @Test
  void sameRowsInAnotherFileLayoutOrderOrColumnOrderGiveTheSameFingerprint() {
    TableLocation one = table("one",
        "CREATE TABLE $t (id BIGINT, name STRING, amount DOUBLE) USING delta",
        "INSERT INTO $t SELECT id, concat('n', id), id * 1.5 FROM range(0, 1000)");
    // Same rows: reversed, spread over three appends and eight files, columns in another order.
    TableLocation other = table("other",
        "CREATE TABLE $t (amount DOUBLE, id BIGINT, name STRING) USING delta",
        "INSERT INTO $t SELECT /*+ REPARTITION(4) */ id * 1.5, id, concat('n', id)"
            + " FROM range(600, 1000) ORDER BY id DESC",
        "INSERT INTO $t SELECT /*+ REPARTITION(3) */ id * 1.5, id, concat('n', id)"
            + " FROM range(0, 300)",
        "INSERT INTO $t SELECT id * 1.5, id, concat('n', id) FROM range(300, 600)");
    assertThat(spark.read().format("delta").load(other.toString()).inputFiles().length)
        .isGreaterThan(spark.read().format("delta").load(one.toString()).inputFiles().length);

    Fingerprint a = latest(one);
    Fingerprint b = latest(other);

    assertThat(a.rowCount()).isEqualTo(1000);
    assertThat(b.rowCount()).isEqualTo(1000);
    assertThat(b.columns()).isEqualTo(a.columns());
    assertThat(a.columns()).containsExactly(
        new Fingerprint.Column("amount", "double", true),
        new Fingerprint.Column("id", "bigint", true),
        new Fingerprint.Column("name", "string", true));
    assertThat(b.checksum()).isEqualTo(a.checksum());
    assertThat(a.checksum()).isNotEqualTo(Fingerprint.Checksum.EMPTY);
  }

  @Test
  void optimizeRewritesFilesButNotTheFingerprint() {
    TableLocation t = table("optimized",
        "CREATE TABLE $t (id BIGINT, tag STRING) USING delta",
        "INSERT INTO $t SELECT /*+ REPARTITION(4) */ id, cast(id % 7 AS STRING) FROM range(0, 500)",
        "INSERT INTO $t SELECT /*+ REPARTITION(3) */ id, 'late' FROM range(500, 800)");
    long before = fingerprinter.latestVersion(t);
    int filesBefore = spark.read().format("delta").load(t.toString()).inputFiles().length;
    DeltaTables.sql(t, "OPTIMIZE $t");
    long after = fingerprinter.latestVersion(t);
    assertThat(after).isEqualTo(before + 1);
    assertThat(spark.read().format("delta").load(t.toString()).inputFiles().length)
        .isLessThan(filesBefore);

    Fingerprint old = fingerprinter.fingerprint(t, before);
    Fingerprint optimized = fingerprinter.fingerprint(t, after);

    assertThat(optimized.version()).isEqualTo(after);
    assertThat(optimized.rowCount()).isEqualTo(800);
    assertThat(optimized.checksum()).isEqualTo(old.checksum());
    assertThat(optimized.columns()).isEqualTo(old.columns());
  }

  @Test
  void aChangedValueSwappedColumnsMovedNullsAndDuplicatesChangeTheChecksum() {
    String create = "CREATE TABLE $t (a STRING, b STRING) USING delta";
    Fingerprint base = latest(table("base", create, "INSERT INTO $t VALUES ('x', 'y'), ('p', 'q')"));
    Fingerprint changed = latest(table("changed", create,
        "INSERT INTO $t VALUES ('x', 'y'), ('p', 'Q')"));
    Fingerprint swapped = latest(table("swapped", create,
        "INSERT INTO $t VALUES ('y', 'x'), ('p', 'q')"));
    Fingerprint nullLeft = latest(table("null_left", create, "INSERT INTO $t VALUES (NULL, 'x')"));
    Fingerprint nullRight = latest(table("null_right", create, "INSERT INTO $t VALUES ('x', NULL)"));
    Fingerprint twice = latest(table("twice", create,
        "INSERT INTO $t VALUES ('x', 'y'), ('x', 'y'), ('p', 'q')"));
    Fingerprint twiceOther = latest(table("twice_other", create,
        "INSERT INTO $t VALUES ('x', 'y'), ('p', 'q'), ('p', 'q')"));

    assertThat(List.of(changed, swapped, twice, twiceOther))
        .allSatisfy(f -> assertThat(f.checksum()).isNotEqualTo(base.checksum()));
    assertThat(nullLeft.checksum()).isNotEqualTo(nullRight.checksum());
    // Same count, different multiset: only the checksum tells them apart.
    assertThat(twice.rowCount()).isEqualTo(twiceOther.rowCount());
    assertThat(twice.checksum()).isNotEqualTo(twiceOther.checksum());
    assertThat(changed.checksum().sum1()).isNotEqualTo(base.checksum().sum1());
    assertThat(changed.checksum().sum2()).isNotEqualTo(base.checksum().sum2());
  }

  @Test
  void nestedValuesAreComparedByContentWhateverTheMapEntryOrder() {
    String create = "CREATE TABLE $t (id INT, s STRUCT<x: INT, y: STRING>, arr ARRAY<STRUCT<k: INT>>,"
        + " m MAP<STRING, ARRAY<INT>>, ts TIMESTAMP) USING delta";
    String row = "(1, named_struct('x', 1, 'y', 'a'), array(named_struct('k', 1), NULL),"
        + " %s, TIMESTAMP '2026-01-01 00:00:00.000001')";
    Fingerprint ab = latest(table("ab", create,
        "INSERT INTO $t VALUES " + row.formatted("map('a', array(1), 'b', array(2, NULL))")));
    Fingerprint ba = latest(table("ba", create,
        "INSERT INTO $t VALUES " + row.formatted("map('b', array(2, NULL), 'a', array(1))")));
    Fingerprint otherValue = latest(table("other_value", create,
        "INSERT INTO $t VALUES " + row.formatted("map('a', array(1), 'b', array(NULL, 2))")));
    Fingerprint otherMicros = latest(table("other_micros", create,
        "INSERT INTO $t VALUES " + row.formatted("map('a', array(1), 'b', array(2, NULL))")
            .replace("00:00:00.000001", "00:00:00.000002")));
    Fingerprint nullStruct = latest(table("null_struct", create,
        "INSERT INTO $t VALUES (1, NULL, NULL, NULL, NULL)"));
    Fingerprint structOfNulls = latest(table("struct_of_nulls", create,
        "INSERT INTO $t VALUES (1, named_struct('x', NULL, 'y', NULL), NULL, NULL, NULL)"));

    assertThat(ba.checksum()).isEqualTo(ab.checksum());
    assertThat(otherValue.checksum()).isNotEqualTo(ab.checksum());
    assertThat(otherMicros.checksum()).isNotEqualTo(ab.checksum());
    assertThat(nullStruct.checksum()).isNotEqualTo(structOfNulls.checksum());
    assertThat(ab.columns()).extracting(Fingerprint.Column::type).containsExactly(
        "array<struct<k:int>>", "int", "map<string,array<int>>", "struct<x:int,y:string>",
        "timestamp");
  }

  @Test
  void readsNamedTablesWithSqlVersionAsOfLikePaths() {
    TableLocation path = table("named",
        "CREATE TABLE $t (id BIGINT) USING delta",
        "INSERT INTO $t VALUES (1), (2)",
        "INSERT INTO $t VALUES (3)");
    spark.sql("DROP TABLE IF EXISTS spark_catalog.default.verify_named");
    spark.sql("CREATE TABLE spark_catalog.default.verify_named USING delta LOCATION '"
        + path + "'");
    try {
      TableLocation named = TableLocation.named(TableName.parse("spark_catalog.default.verify_named"));

      assertThat(fingerprinter.latestVersion(named)).isEqualTo(2);
      assertThat(fingerprinter.fingerprint(named, 1)).isEqualTo(fingerprinter.fingerprint(path, 1));
      assertThat(fingerprinter.fingerprint(named, 1).rowCount()).isEqualTo(2);
      assertThat(fingerprinter.fingerprint(named, 2).rowCount()).isEqualTo(3);
    } finally {
      spark.sql("DROP TABLE IF EXISTS spark_catalog.default.verify_named");
    }
  }

  @Test
  void aMissingVersionIsAnErrorNamingTableAndVersion() {
    TableLocation t = table("short", "CREATE TABLE $t (id BIGINT) USING delta");

    assertThatThrownBy(() -> fingerprinter.fingerprint(t, 5))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("Cannot read the Delta table " + t + " at version 5")
        .hasMessageContaining("vacuumed");
  }
}
