package io.deltasync.clone;

import static io.deltasync.testing.DeltaTables.assertSameTable;
import static io.deltasync.testing.DeltaTables.latestVersion;
import static io.deltasync.testing.DeltaTables.snapshot;
import static io.deltasync.testing.DeltaTables.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import io.deltasync.faults.FailurePoint;
import io.deltasync.faults.Faults;
import io.deltasync.spark.PortableCloner;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.CapturedLogs;
import io.deltasync.testing.SharedSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.sql.delta.actions.AddFile;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/** The portable cloner against the contract, plus what only it promises. */
class PortableClonerTest extends TableClonerContractTest {

  @Override
  protected TableCloner cloner() {
    return new PortableCloner(SharedSpark.spark());
  }

  private static PortableCloner crashing(Faults faults) {
    return new PortableCloner(SharedSpark.spark(), faults);
  }

  private static final class Crash extends RuntimeException {
    Crash(String where) {
      super("injected crash " + where);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Atomic, resumable, recognisable

  @Test
  void aCrashBeforeTheCommitLeavesTheTargetAsBeforeAndTheReRunCopiesNothingAgain() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");
    cloner().clone(source, 1, target);
    long targetVersion = latestVersion(target);

    assertThatThrownBy(() -> crashing(point -> {
      if (point == FailurePoint.CLONE_BEFORE_COMMIT) {
        throw new Crash("before commit");
      }
    }).clone(source, 2, target)).isInstanceOf(Crash.class);

    assertThat(latestVersion(target)).isEqualTo(targetVersion);
    assertSameTable(source, 1, target);
    CloneResult rerun = cloner().clone(source, 2, target);
    assertThat(rerun.numCopiedFiles()).isZero();
    assertThat(rerun.targetVersion()).isEqualTo(OptionalLong.of(targetVersion + 1));
    assertSameTable(source, 2, target);
  }

  @Test
  void aCrashMidCopyIsResumedWithoutCopyingWholeFilesAgain() {
    TableLocation source = table("source");
    sql(source, "CREATE TABLE $t (id BIGINT) USING delta");
    for (int i = 0; i < 4; i++) {
      sql(source, "INSERT INTO $t VALUES (" + i + ")");
    }
    TableLocation target = table("target");
    AtomicInteger copied = new AtomicInteger();

    assertThatThrownBy(() -> crashing(point -> {
      if (point == FailurePoint.CLONE_AFTER_FILE_COPIED && copied.incrementAndGet() == 2) {
        throw new Crash("after two copies");
      }
    }).clone(source, 4, target, CloneOptions.defaults().withCopyThreads(1)))
        .isInstanceOf(Crash.class);

    assertThat(target.toString()).satisfies(path ->
        assertThat(Path.of(path, "_delta_log")).doesNotExist());
    CloneResult rerun = cloner().clone(source, 4, target);
    assertThat(rerun.sourceNumOfFiles()).isEqualTo(4);
    assertThat(rerun.numCopiedFiles()).isEqualTo(2);
    assertSameTable(source, 4, target);
  }

  @Test
  void aLostCommitAcknowledgementIsResolvedByReReadingTheTarget() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");

    CloneResult result = crashing(point -> {
      if (point == FailurePoint.CLONE_AFTER_COMMIT) {
        throw new Crash("after commit (acknowledgement lost)");
      }
    }).clone(source, 2, target);

    assertThat(result.targetVersion()).isEqualTo(OptionalLong.of(0));
    assertThat(latestVersion(target)).isZero();
    assertThat(cloner().clonedVersion(source, target)).isEqualTo(OptionalLong.of(2));
    assertSameTable(source, 2, target);
  }

  @Test
  void theCloneMarkerIsASetTransactionKeyedByTheSourceTableId() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");

    cloner().clone(source, 2, target);

    String sourceId = snapshot(source, -1).metadata().id();
    scala.collection.immutable.Map<String, Object> txns = snapshot(target, -1).transactions();
    assertThat(JavaConverters.mapAsJavaMapConverter(txns).asJava())
        .containsExactly(java.util.Map.entry("deltasync-clone-" + sourceId, 2L));
    assertThat(snapshot(target, -1).metadata().id()).isNotEqualTo(sourceId);
  }

  @Test
  void cloningAnUnchangedNewerVersionOnlyMovesTheMarker() {
    TableLocation source = threeVersionSource();
    sql(source, "ALTER TABLE $t SET TBLPROPERTIES ('owner.note' = 'x')",
        "ALTER TABLE $t UNSET TBLPROPERTIES ('owner.note')");
    TableLocation target = table("target");
    cloner().clone(source, 2, target);

    CloneResult result = cloner().clone(source, 4, target);

    assertThat(result.numCopiedFiles()).isZero();
    assertThat(result.numRemovedFiles()).isZero();
    assertThat(result.targetVersion()).isEqualTo(OptionalLong.of(1));
    assertThat(cloner().clonedVersion(source, target)).isEqualTo(OptionalLong.of(4));
  }

  // ---------------------------------------------------------------------------------------------
  // Refusals

  @Test
  void refusesAVersionWhoseFilesWereVacuumedNamingTheFileAndTheRetention() throws IOException {
    TableLocation source = table("source");
    sql(source,
        "CREATE TABLE $t (id BIGINT) USING delta"
            + " TBLPROPERTIES ('delta.deletedFileRetentionDuration' = 'interval 2 hours')",
        "INSERT INTO $t SELECT /*+ REPARTITION(1) */ id FROM range(10)",
        "INSERT OVERWRITE $t SELECT /*+ REPARTITION(1) */ id FROM range(5)");
    AddFile gone = files(source, 1).get(0);
    Path missing = Path.of(URI.create("file://" + source + "/").resolve(gone.path()));
    Files.delete(missing);
    TableLocation target = table("target");

    assertThatThrownBy(() -> cloner().clone(source, 1, target))
        .isInstanceOf(SyncException.class)
        .hasMessage("Table " + source + " version 1 cannot be cloned: its file file:" + missing
            + " is gone (vacuumed; delta.deletedFileRetentionDuration = interval 2 hours,"
            + " delta.logRetentionDuration = interval 30 days). Clone a newer version, and set"
            + " the retention longer than the sync interval");
    assertThat(Path.of(target.toString(), "_delta_log")).doesNotExist();
  }

  @Test
  void refusesATargetThatIsACloneOfAnotherSource() {
    TableLocation source = threeVersionSource();
    TableLocation other = table("other");
    sql(other, "CREATE TABLE $t (x INT) USING delta", "INSERT INTO $t VALUES (1)");
    TableLocation target = table("target");
    cloner().clone(other, 1, target);
    String otherId = snapshot(other, -1).metadata().id();
    String sourceId = snapshot(source, -1).metadata().id();

    assertThatThrownBy(() -> cloner().clone(source, 2, target))
        .isInstanceOf(SyncException.class)
        .hasMessage("Target " + target + " is a Delta table but not a clone of " + source
            + " (it is a clone of the table with id " + otherId + ", the source's id is "
            + sourceId + "); nothing was changed. Choose another target, or pass --force to"
            + " replace its content with the clone");
    assertSameTable(other, 1, target);
  }

  @Test
  void adoptsAnEmptyTableCreatedAhead() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");
    sql(target, "CREATE TABLE $t (id BIGINT NOT NULL, name STRING) USING delta");

    cloner().clone(source, 2, target);

    assertSameTable(source, 2, target);
  }

  @Test
  void refusesANamedTableItCannotLocate() {
    TableLocation named = TableLocation.parse("nocatalog.noschema.notable");

    assertThatThrownBy(() -> cloner().clone(named, 0, table("target")))
        .isInstanceOf(SyncException.class)
        .hasMessage("The portable cloner cannot locate the clone source nocatalog.noschema.notable:"
            + " it is not registered in this Spark session's catalog. Give the table's storage"
            + " path instead");
  }

  @Test
  void refusesASourceWithAFeatureThisDeltaCannotWriteBeforeCopyingAnything() throws IOException {
    TableLocation source = threeVersionSource();
    withWriterFeature(source, 3, "collations-preview");
    TableLocation target = table("target");

    assertThatThrownBy(() -> cloner().clone(source, 3, target))
        .isInstanceOf(SyncException.class)
        .hasMessage("Table " + source + " version 3 uses the table feature collations-preview,"
            + " which the open-source Delta Lake of this deltasync cannot write: the portable"
            + " cloner cannot clone it, and nothing was copied. Drop the feature from the source"
            + " (ALTER TABLE ... DROP FEATURE), or clone it with the Databricks cloner (DEEP CLONE"
            + " on Databricks Runtime)")
        .satisfies(e -> assertThat(((SyncException) e).isRetryable()).isFalse());
    assertThat(Path.of(target.toString())).doesNotExist();
  }

  @Test
  void aCommitDeltaRefusesIsFatalAndNamesDeltasReason() throws IOException {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");
    cloner().clone(source, 1, target);
    withWriterFeature(target, 1, "collations-preview"); // as if a newer Delta had written it
    long before = latestVersion(target);

    assertThatThrownBy(() -> cloner().clone(source, 2, target))
        .isInstanceOf(SyncException.class)
        .hasMessage("Delta refused the commit of the clone of " + source + " version 2 to "
            + target + ": [DELTA_UNSUPPORTED_FEATURES_FOR_WRITE] Unsupported Delta write"
            + " feature: table \"file:" + target + "\" requires writer table feature(s) that are"
            + " unsupported by Delta Lake \"3.3.3\": collations-preview. The target holds no"
            + " such commit, and running the clone again fails the same way: make the target"
            + " writable by this deltasync (its table features, protocol and properties), or"
            + " clone into a new target")
        .satisfies(e -> assertThat(((SyncException) e).isRetryable()).isFalse());
    assertThat(latestVersion(target)).isEqualTo(before);
  }

  // ---------------------------------------------------------------------------------------------
  // Append-only sources (delta.appendOnly = true, the usual bronze table)

  @Test
  void anAppendOnlySourceThatWasOptimizedIsClonedAgain() {
    TableLocation source = table("source");
    sql(source, "CREATE TABLE $t (id BIGINT, day STRING) USING delta"
        + " TBLPROPERTIES ('delta.appendOnly' = 'true', 'team' = 'bronze')");
    for (int i = 0; i < 4; i++) {
      sql(source, "INSERT INTO $t VALUES (" + i + ", 'day " + i + "')");
    }
    TableLocation target = table("target");
    cloner().clone(source, 4, target);
    sql(source, "OPTIMIZE $t");
    long optimized = latestVersion(source);

    CloneResult result = cloner().clone(source, optimized, target);

    assertSameTable(source, optimized, target); // rows, schema and properties: appendOnly = true
    assertThat(result.numCopiedFiles()).isEqualTo(1);
    assertThat(result.numRemovedFiles()).isEqualTo(4);
    assertThat(result.targetVersion()).isEqualTo(OptionalLong.of(2)); // 1 lifts the property
    assertThat(io.deltasync.testing.DeltaTables.lastCommit(target).getString(
        io.deltasync.testing.DeltaTables.lastCommit(target).fieldIndex("operation")))
        .isEqualTo("CLONE");
    assertThat(cloner().clonedVersion(source, target)).isEqualTo(OptionalLong.of(optimized));
    assertThatThrownBy(() -> sql(target, "DELETE FROM $t WHERE id = 0"))
        .hasMessageContaining("DELTA_CANNOT_MODIFY_APPEND_ONLY");

    CloneResult again = cloner().clone(source, optimized, target);
    assertThat(again.targetVersion()).isEmpty();
    CloneResult back = cloner().clone(source, 2, target);
    assertSameTable(source, 2, target);
    assertThat(back.numRemovedFiles()).isEqualTo(1);
  }

  @Test
  void aCloneThatDiedAfterLiftingAppendOnlyIsCompletedByTheNextRun() {
    TableLocation source = table("source");
    sql(source, "CREATE TABLE $t (id BIGINT) USING delta"
        + " TBLPROPERTIES ('delta.appendOnly' = 'true')");
    for (int i = 0; i < 3; i++) {
      sql(source, "INSERT INTO $t VALUES (" + i + ")");
    }
    TableLocation target = table("target");
    cloner().clone(source, 3, target);
    sql(source, "OPTIMIZE $t");

    assertThatThrownBy(() -> crashing(point -> {
      if (point == FailurePoint.CLONE_BEFORE_COMMIT) {
        throw new Crash("between lifting appendOnly and the clone commit");
      }
    }).clone(source, 4, target)).isInstanceOf(Crash.class);

    // The rows are the clone of version 3; only the property was lifted (target version 1).
    assertThat(latestVersion(target)).isEqualTo(1);
    assertThat(io.deltasync.testing.DeltaTables.read(target).exceptAll(
        io.deltasync.testing.DeltaTables.readAsOf(source, 3)).count()).isZero();
    assertThat(io.deltasync.testing.DeltaTables.rowCount(target)).isEqualTo(3);
    assertThat(snapshot(target, -1).metadata().configuration().get("delta.appendOnly").get())
        .isEqualTo("false");
    CloneResult rerun = cloner().clone(source, 4, target);
    assertThat(rerun.numCopiedFiles()).isZero();
    assertSameTable(source, 4, target);
  }

  // ---------------------------------------------------------------------------------------------
  // "Already holds" is decided by table ids, markers and source commits, never by clocks

  @Test
  void aSourceCommitFileFromTheFutureStillTakesTheFastPath() throws IOException {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");
    cloner().clone(source, 2, target);
    setLogTimes(source, System.currentTimeMillis() + Duration.ofDays(1).toMillis());

    CloneResult again;
    try (CapturedLogs logs = CapturedLogs.capture()) {
      again = cloner().clone(source, 2, target);
      assertThat(logs.text()).contains("Target " + target + " already holds " + source
          + " version 2 (its version 0 is that clone): nothing to copy or commit");
    }

    assertThat(again.targetVersion()).isEmpty();
    assertThat(again.numCopiedFiles()).isZero();
    assertThat(latestVersion(target)).isZero();
    assertSameTable(source, 2, target);
  }

  @Test
  void aReCreatedSourceWithTheSameIdAndCommitTimesInThePastIsClonedAgain() throws IOException {
    TableLocation primary = threeVersionSource();
    TableLocation staging = table("staging");
    TableLocation secondary = table("secondary");
    cloner().clone(primary, 1, staging);
    cloner().clone(staging, 0, secondary);
    String stagingId = snapshot(staging, -1).metadata().id();
    deleteRecursively(Path.of(staging.toString()));
    cloner().clone(primary, 2, staging); // staging re-created: its version 0 now holds 5 rows
    assertThat(snapshot(staging, -1).metadata().id()).isEqualTo(stagingId);
    setLogTimes(staging, System.currentTimeMillis() - Duration.ofDays(1).toMillis());

    CloneResult result = cloner().clone(staging, 0, secondary);

    assertSameTable(primary, 2, secondary);
    assertThat(result.targetVersion()).isEqualTo(OptionalLong.of(1));
    assertThat(result.numCopiedFiles()).isEqualTo(2);
    assertThat(io.deltasync.testing.DeltaTables.rowCount(secondary)).isEqualTo(5);
  }

  // ---------------------------------------------------------------------------------------------
  // Table shapes

  @Test
  void partitionedTableWithSpecialCharactersInPathAndValues() {
    TableLocation source = table("source dir #1 %20 ü");
    sql(source,
        "CREATE TABLE $t (id INT, part STRING) USING delta PARTITIONED BY (part)",
        "INSERT INTO $t VALUES (1, 'a b'), (2, 'x/y'), (3, 'p%q'), (4, 'ü=&?#'), (5, NULL),"
            + " (6, 'a b')");
    TableLocation target = table("target dir ; ' \" ü %");

    cloner().clone(source, 1, target);
    assertSameTable(source, 1, target);

    sql(source, "DELETE FROM $t WHERE part = 'x/y'", "INSERT INTO $t VALUES (7, ':colon:')");
    CloneResult incremental = cloner().clone(source, 3, target);

    assertSameTable(source, 3, target);
    assertThat(incremental.numCopiedFiles()).isEqualTo(1);
    assertThat(incremental.numRemovedFiles()).isEqualTo(1);
  }

  @Test
  void deletionVectorsAreCopiedWithTheirRelativePaths() throws IOException {
    TableLocation source = table("source");
    sql(source,
        "CREATE TABLE $t (id BIGINT, v STRING) USING delta"
            + " TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')",
        "INSERT INTO $t SELECT /*+ REPARTITION(1) */ id, cast(id AS STRING) FROM range(1000)",
        "DELETE FROM $t WHERE id % 10 = 0");
    assertThat(files(source, 2)).allSatisfy(file -> assertThat(file.deletionVector()).isNotNull());
    TableLocation target = table("target");

    CloneResult first = cloner().clone(source, 2, target);

    assertSameTable(source, 2, target);
    assertThat(first.numCopiedFiles()).isEqualTo(2); // the data file and its deletion vector
    assertThat(dvFiles(target)).isEqualTo(dvFiles(source));

    sql(source, "DELETE FROM $t WHERE id < 100");
    CloneResult second = cloner().clone(source, 3, target);

    assertSameTable(source, 3, target);
    assertThat(second.numCopiedFiles()).isEqualTo(1); // only the new deletion vector file
    assertThat(second.copiedFilesSize()).isLessThan(first.copiedFilesSize() / 2);
    assertThat(second.numRemovedFiles()).isEqualTo(1); // the file entry with the old vector
  }

  @Test
  void columnMappingByName() {
    TableLocation source = table("source");
    sql(source,
        "CREATE TABLE $t (id BIGINT COMMENT 'key', a STRING, b INT) USING delta"
            + " TBLPROPERTIES ('delta.columnMapping.mode' = 'name')",
        "INSERT INTO $t VALUES (1, 'x', 10), (2, 'y', 20)",
        "ALTER TABLE $t RENAME COLUMN a TO `renamed a`",
        "ALTER TABLE $t DROP COLUMN b",
        "INSERT INTO $t VALUES (3, 'z')");
    TableLocation target = table("target");

    cloner().clone(source, 1, target);
    assertSameTable(source, 1, target);
    cloner().clone(source, 4, target);

    assertSameTable(source, 4, target);
    assertThat(DeltaRows.names(target)).containsExactly("id", "renamed a");
  }

  @Test
  void columnMappingById() {
    TableLocation source = table("source");
    sql(source,
        "CREATE TABLE $t (id BIGINT, s STRUCT<x: INT, y: STRING>) USING delta"
            + " TBLPROPERTIES ('delta.columnMapping.mode' = 'id')",
        "INSERT INTO $t VALUES (1, named_struct('x', 1, 'y', 'one'))",
        "ALTER TABLE $t RENAME COLUMN s.y TO why");
    TableLocation target = table("target");

    cloner().clone(source, 2, target);

    assertSameTable(source, 2, target);
  }

  @Test
  void schemaChangesBetweenVersionsConstraintsPropertiesAndComments() {
    TableLocation source = table("source");
    sql(source,
        "CREATE TABLE $t (id BIGINT NOT NULL, name STRING COMMENT 'who') USING delta"
            + " COMMENT 'the table' TBLPROPERTIES ('team' = 'dr', 'delta.appendOnly' = 'false')",
        "INSERT INTO $t VALUES (1, 'a')",
        "ALTER TABLE $t ADD COLUMNS (score DOUBLE COMMENT 'new')",
        "ALTER TABLE $t ADD CONSTRAINT positive CHECK (id > 0)",
        "INSERT INTO $t VALUES (2, 'b', 0.5)");
    TableLocation target = table("target");

    cloner().clone(source, 1, target);
    assertSameTable(source, 1, target);
    CloneResult forward = cloner().clone(source, 4, target);
    assertSameTable(source, 4, target);
    assertThat(forward.numCopiedFiles()).isEqualTo(1);
    assertThatThrownBy(() -> sql(target, "INSERT INTO $t VALUES (-1, 'neg', 0.0)"))
        .hasMessageContaining("positive");

    cloner().clone(source, 1, target);
    assertSameTable(source, 1, target);
  }

  @Test
  void optimizedTable() {
    TableLocation source = table("source");
    sql(source, "CREATE TABLE $t (id BIGINT) USING delta");
    for (int i = 0; i < 5; i++) {
      sql(source, "INSERT INTO $t VALUES (" + i + ")");
    }
    TableLocation target = table("target");
    cloner().clone(source, 5, target);
    sql(source, "OPTIMIZE $t");

    CloneResult result = cloner().clone(source, 6, target);

    assertSameTable(source, 6, target);
    assertThat(result.sourceNumOfFiles()).isEqualTo(1);
    assertThat(result.numCopiedFiles()).isEqualTo(1);
    assertThat(result.numRemovedFiles()).isEqualTo(5);
  }

  @Test
  void sourceWithMultiPartCheckpointsAndATargetThatCheckpoints() throws IOException {
    SharedSpark.spark().conf().set("spark.databricks.delta.checkpoint.partSize", "3");
    TableLocation source = table("source");
    try {
      sql(source, "CREATE TABLE $t (id BIGINT) USING delta");
      for (int i = 0; i < 12; i++) {
        sql(source, "INSERT INTO $t VALUES (" + i + ")");
      }
    } finally {
      SharedSpark.spark().conf().unset("spark.databricks.delta.checkpoint.partSize");
    }
    assertThat(logFiles(source)).anyMatch(name ->
        name.matches("0+10\\.checkpoint\\.0+1\\.0+\\d+\\.parquet"));
    TableLocation target = table("target");

    for (long version = 1; version <= 12; version++) {
      cloner().clone(source, version, target);
    }

    assertSameTable(source, 12, target);
    assertThat(latestVersion(target)).isEqualTo(11);
    assertThat(logFiles(target)).contains("00000000000000000010.checkpoint.parquet");
    cloner().clone(source, 3, target);
    assertSameTable(source, 3, target);
  }

  @Test
  void sourceWithV2Checkpoints() throws IOException {
    TableLocation source = table("source");
    sql(source, "CREATE TABLE $t (id BIGINT) USING delta"
        + " TBLPROPERTIES ('delta.checkpointPolicy' = 'v2')");
    for (int i = 0; i < 11; i++) {
      sql(source, "INSERT INTO $t VALUES (" + i + ")");
    }
    assertThat(logFiles(source)).anyMatch(name ->
        name.matches("0+10\\.checkpoint\\.[0-9a-f-]{36}\\.(json|parquet)"));
    TableLocation target = table("target");

    cloner().clone(source, 11, target);
    assertSameTable(source, 11, target);
    cloner().clone(source, 4, target);
    assertSameTable(source, 4, target);
  }

  // ---------------------------------------------------------------------------------------------

  /** Appends a commit whose protocol adds a writer feature, as a newer Delta would write it. */
  private static void withWriterFeature(TableLocation table, long version, String feature)
      throws IOException {
    Path commit = Path.of(table.toString(), "_delta_log", String.format("%020d.json", version));
    Files.writeString(commit, "{\"commitInfo\":{\"timestamp\":" + System.currentTimeMillis()
        + ",\"operation\":\"UPGRADE PROTOCOL\",\"operationParameters\":{}}}\n"
        + "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,\"writerFeatures\":"
        + "[\"appendOnly\",\"invariants\",\"" + feature + "\"]}}\n",
        java.nio.file.StandardOpenOption.CREATE_NEW);
  }

  /** Sets the modification time of every file of the table's log, through Hadoop. */
  private static void setLogTimes(TableLocation table, long mtime) throws IOException {
    org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(table.toString(), "_delta_log");
    org.apache.hadoop.fs.FileSystem fs =
        log.getFileSystem(SharedSpark.spark().sessionState().newHadoopConf());
    for (org.apache.hadoop.fs.FileStatus file : fs.listStatus(log)) {
      if (file.isFile()) {
        fs.setTimes(file.getPath(), mtime, -1);
        assertThat(fs.getFileStatus(file.getPath()).getModificationTime()).isEqualTo(mtime);
      }
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  private static List<AddFile> files(TableLocation table, long version) {
    return snapshot(table, version).allFiles().collectAsList();
  }

  private static List<String> logFiles(TableLocation table) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(table.toString(), "_delta_log"))) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> dvFiles(TableLocation table) {
    Path root = Path.of(table.toString());
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(file -> file.getFileName().toString().startsWith("deletion_vector_"))
          .map(file -> root.relativize(file).toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Column names as a reader sees them. */
  private static final class DeltaRows {
    static List<String> names(TableLocation table) {
      return List.of(io.deltasync.testing.DeltaTables.read(table).columns());
    }
  }
}
