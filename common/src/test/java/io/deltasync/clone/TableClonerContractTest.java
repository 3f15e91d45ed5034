package io.deltasync.clone;

import static io.deltasync.testing.DeltaTables.assertSameTable;
import static io.deltasync.testing.DeltaTables.lastCommit;
import static io.deltasync.testing.DeltaTables.latestVersion;
import static io.deltasync.testing.DeltaTables.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import io.deltasync.table.TableLocation;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link TableCloner} promises, on real Delta tables. An implementation's test
 * extends this class and supplies the cloner; tables are path tables in a temporary folder.
 */
public abstract class TableClonerContractTest {

  @TempDir protected java.nio.file.Path dir;

  protected abstract TableCloner cloner();

  protected TableLocation table(String name) {
    return TableLocation.path(dir.resolve(name).toString());
  }

  /** A source with three versions: 0 create, 1 insert 3 rows, 2 insert 2 rows. */
  protected TableLocation threeVersionSource() {
    TableLocation source = table("source");
    sql(source,
        "CREATE TABLE $t (id BIGINT NOT NULL COMMENT 'the key', name STRING) USING delta",
        "INSERT INTO $t VALUES (1, 'one'), (2, 'two'), (3, 'three')",
        "INSERT INTO $t VALUES (4, 'four'), (5, 'five')");
    return source;
  }

  @Test
  void clonesTheLatestVersion() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");

    CloneResult result = cloner().clone(source, 2, target);

    assertSameTable(source, 2, target);
    assertThat(result.sourceVersion()).isEqualTo(2);
    assertThat(result.targetVersion()).isEqualTo(OptionalLong.of(latestVersion(target)));
    assertThat(result.sourceNumOfFiles()).isEqualTo(result.numCopiedFiles()).isPositive();
    assertThat(result.copiedFilesSize()).isEqualTo(result.sourceTableSize()).isPositive();
    assertThat(result.numRemovedFiles()).isZero();
  }

  @Test
  void clonesAnOlderVersion() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");

    cloner().clone(source, 1, target);

    assertSameTable(source, 1, target);
    assertThat(io.deltasync.testing.DeltaTables.rowCount(target)).isEqualTo(3);
  }

  @Test
  void clonesVersionZeroOfAnEmptyTable() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");

    CloneResult result = cloner().clone(source, 0, target);

    assertSameTable(source, 0, target);
    assertThat(result.sourceNumOfFiles()).isZero();
    assertThat(result.numCopiedFiles()).isZero();
    assertThat(result.targetVersion()).isPresent();
  }

  @Test
  void incrementalCloneCopiesOnlyNewFilesAndRemovesGoneOnes() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");
    CloneResult first = cloner().clone(source, 2, target);
    sql(source, "DELETE FROM $t WHERE id = 1", "INSERT INTO $t VALUES (6, 'six')");
    long latest = latestVersion(source);

    CloneResult second = cloner().clone(source, latest, target);

    assertSameTable(source, latest, target);
    assertThat(second.numCopiedFiles()).isPositive().isLessThan(second.sourceNumOfFiles());
    assertThat(second.copiedFilesSize()).isLessThan(second.sourceTableSize());
    assertThat(second.numRemovedFiles()).isPositive();
    assertThat(second.removedFilesSize()).isPositive();
    assertThat(second.targetVersion().getAsLong())
        .isEqualTo(first.targetVersion().getAsLong() + 1);
  }

  @Test
  void recloningTheSameVersionCopiesNothingAndCommitsNothing() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");
    cloner().clone(source, 2, target);
    long targetVersion = latestVersion(target);

    CloneResult again = cloner().clone(source, 2, target);

    assertThat(again.numCopiedFiles()).isZero();
    assertThat(again.copiedFilesSize()).isZero();
    assertThat(again.numRemovedFiles()).isZero();
    assertThat(again.targetVersion()).isEmpty();
    assertThat(latestVersion(target)).isEqualTo(targetVersion);
    assertSameTable(source, 2, target);
  }

  @Test
  void theCloneCommitIsRecognisable() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");

    cloner().clone(source, 1, target);

    Row commit = lastCommit(target);
    assertThat(commit.getString(commit.fieldIndex("operation"))).isEqualTo("CLONE");
    Map<String, String> parameters = commit.getJavaMap(commit.fieldIndex("operationParameters"));
    assertThat(parameters).containsEntry("sourceVersion", "1");
    assertThat(parameters.get("source")).contains(source.toString());
    assertThat(cloner().clonedVersion(source, target)).isEqualTo(OptionalLong.of(1));
    assertThat(cloner().clonedVersion(target, source)).isEmpty();
  }

  @Test
  void movesTheTargetBackToAnOlderVersionWhenAsked() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");
    cloner().clone(source, 2, target);

    CloneResult back = cloner().clone(source, 1, target);

    assertSameTable(source, 1, target);
    assertThat(back.numRemovedFiles()).isPositive();
    assertThat(cloner().clonedVersion(source, target)).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void latestVersionIsTheNewestCommit() {
    TableLocation source = threeVersionSource();

    assertThat(cloner().latestVersion(source)).isEqualTo(2);
  }

  @Test
  void refusesAVersionThatDoesNotExist() {
    TableLocation source = threeVersionSource();
    TableLocation target = table("target");

    assertThatThrownBy(() -> cloner().clone(source, 7, target))
        .isInstanceOf(SyncException.class)
        .hasMessage("Table " + source + " has no version 7: its latest version is 2;"
            + " clone a version between 0 and 2");
    assertThat(dir.resolve("target")).doesNotExist();
  }

  @Test
  void refusesASourceThatIsNotADeltaTable() throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("plain"));
    TableLocation source = table("plain");

    assertThatThrownBy(() -> cloner().clone(source, 0, table("target")))
        .isInstanceOf(SyncException.class)
        .hasMessage("The clone source " + source + " is not a Delta table (it has no _delta_log"
            + " with a commit): check the name or path, and that this job can read it");
  }

  @Test
  void refusesATargetThatIsAnotherTableUnlessForced() {
    TableLocation source = threeVersionSource();
    TableLocation other = table("other");
    sql(other, "CREATE TABLE $t (x INT) USING delta", "INSERT INTO $t VALUES (42)");
    long before = latestVersion(other);

    assertThatThrownBy(() -> cloner().clone(source, 2, other))
        .isInstanceOf(SyncException.class)
        .hasMessageStartingWith("Target " + other + " is a Delta table but not a clone of "
            + source)
        .hasMessageEndingWith("nothing was changed. Choose another target, or pass --force to"
            + " replace its content with the clone");
    assertThat(latestVersion(other)).isEqualTo(before);

    cloner().clone(source, 2, other, CloneOptions.defaults().withForce(true));
    assertSameTable(source, 2, other);
  }
}
