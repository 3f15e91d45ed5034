package io.deltasync.clone;

import static io.deltasync.testing.DeltaTables.assertSameTable;
import static io.deltasync.testing.DeltaTables.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.spark.CopyPlacement;
import io.deltasync.spark.ExecutorCopier;
import io.deltasync.spark.PortableCloner;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.LocalClusterSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portable cloner copying on Spark executors that run in their own JVMs
 * ({@code local-cluster}), every copy sent to the executors: the essential cases of the
 * {@link TableCloner} contract (first, incremental and no-change clones), and what only the
 * executors' copy promises: a killed executor or a failed task attempt mid-file is retried by
 * Spark, and the clone completes identically. Each file's task output names the executor that
 * copied it: a copy that ran on the driver fails the test. (The whole contract runs on the
 * executors' path in {@link ExecutorCopyPortableClonerTest}, in local mode: a local cluster
 * takes a minute per case on a loaded machine.)
 */
class LocalClusterPortableClonerTest {

  @TempDir Path dir;

  private static LocalClusterSpark cluster;
  private final List<ExecutorCopier.FileCopied> copies = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startCluster() {
    cluster = LocalClusterSpark.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  private TableLocation table(String name) {
    return TableLocation.path(dir.resolve(name).toString());
  }

  private TableCloner cloner() {
    return onExecutors(ExecutorCopier.TaskFault.NONE);
  }

  private PortableCloner onExecutors(ExecutorCopier.TaskFault fault) {
    return new PortableCloner(cluster.session()).copyingOn(CopyPlacement.EXECUTORS)
        .observingExecutorCopies(fault, copies::add);
  }

  @AfterEach
  void everyFileWasCopiedOnAnExecutor() {
    assertThat(copies).allSatisfy(copy -> assertThat(copy.executorId())
        .as("the executor that copied %s", copy.target())
        .isNotEqualTo("driver").matches("\\d+"));
  }

  @Test
  void firstIncrementalAndNoChangeClonesCopyOnTheExecutorsInTheirOwnJvms() {
    TableLocation source = sourceWithFiles(4);
    TableLocation target = table("target");

    CloneResult first = cloner().clone(source, 4, target);

    assertSameTable(source, 4, target);
    assertThat(first.numCopiedFiles()).isEqualTo(4);
    assertThat(first.copiedFilesSize()).isEqualTo(first.sourceTableSize()).isPositive();
    assertThat(copies).hasSize(4).allSatisfy(copy -> {
      assertThat(copy.copied()).isTrue();
      assertThat(copy.retries()).isZero();
      assertThat(copy.failure()).isNull();
      assertThat(copy.taskAttemptId()).isNotNegative();
    });
    assertThat(copies.stream().mapToLong(ExecutorCopier.FileCopied::bytes).sum())
        .isEqualTo(first.copiedFilesSize());

    copies.clear();
    sql(source, "DELETE FROM $t WHERE id = 0", "INSERT INTO $t VALUES (10)");
    CloneResult incremental = cloner().clone(source, 6, target);

    assertSameTable(source, 6, target);
    assertThat(incremental.numCopiedFiles()).isEqualTo(1);
    assertThat(incremental.numRemovedFiles()).isEqualTo(1);
    assertThat(copies).hasSize(1);

    CloneResult again = cloner().clone(source, 6, target);

    assertThat(again.numCopiedFiles()).isZero();
    assertThat(again.targetVersion()).isEmpty();
    assertSameTable(source, 6, target);
  }

  @Test
  void anExecutorKilledMidCopyIsReplacedAndTheCloneCompletesIdentically() throws IOException {
    TableLocation source = sourceWithFiles(4);
    TableLocation target = table("target");
    String victim = firstDataFile(source);

    // The first attempt at one file halts its executor's JVM with the file written, not renamed.
    CloneResult result = onExecutors((temporary, attempt) -> {
      if (attempt == 0 && temporary.contains(victim)) {
        Runtime.getRuntime().halt(137);
      }
    }).clone(source, 4, target);

    assertSameTable(source, 4, target);
    assertThat(result.numCopiedFiles()).isEqualTo(4);
    assertThat(copies).hasSize(4);
    assertThat(dataFiles(target)).isEqualTo(dataFiles(source));
  }

  @Test
  void aTaskAttemptFailingMidFileIsRetriedAndLeavesNoTemporaryFile() throws IOException {
    TableLocation source = sourceWithFiles(4);
    TableLocation target = table("target");
    String victim = firstDataFile(source);

    CloneResult result = onExecutors((temporary, attempt) -> {
      if (attempt == 0 && temporary.contains(victim)) {
        throw new IllegalStateException("injected failure of the task's first attempt");
      }
    }).clone(source, 4, target);

    assertSameTable(source, 4, target);
    assertThat(result.numCopiedFiles()).isEqualTo(4);
    assertThat(dataFiles(target)).isEqualTo(dataFiles(source));
    try (Stream<Path> files = Files.walk(Path.of(target.toString()))) {
      assertThat(files.map(Path::getFileName).map(Path::toString))
          .noneMatch(name -> name.endsWith(".deltasync-tmp"));
    }
  }

  private TableLocation sourceWithFiles(int inserts) {
    TableLocation source = table("source");
    sql(source, "CREATE TABLE $t (id BIGINT) USING delta");
    for (int i = 0; i < inserts; i++) {
      sql(source, "INSERT INTO $t VALUES (" + i + ")");
    }
    return source;
  }

  private static String firstDataFile(TableLocation table) throws IOException {
    return dataFiles(table).iterator().next();
  }

  /** The names of the Parquet files in the table's folder (hidden temporary files excluded). */
  private static Set<String> dataFiles(TableLocation table) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(table.toString()))) {
      return files.map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".parquet") && !name.startsWith("."))
          .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
  }
}
