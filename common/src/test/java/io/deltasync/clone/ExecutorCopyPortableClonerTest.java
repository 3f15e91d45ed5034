package io.deltasync.clone;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.spark.CopyPlacement;
import io.deltasync.spark.ExecutorCopier;
import io.deltasync.spark.PortableCloner;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.SharedSpark;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The whole {@link TableCloner} contract for the portable cloner with every copy sent to the
 * Spark tasks (on the shared local session). After each clone, every file it reports copied must
 * come back as the output of a Spark task attempt: a copy on the driver's own threads fails.
 * {@link LocalClusterPortableClonerTest} proves the same with executors in their own JVMs.
 */
class ExecutorCopyPortableClonerTest extends TableClonerContractTest {

  @Override
  protected TableCloner cloner() {
    return new CopiedInTasks(SharedSpark.spark());
  }

  /** The portable cloner on the executors, checking each clone's copies against task output. */
  static final class CopiedInTasks implements TableCloner {
    private final List<ExecutorCopier.FileCopied> copies = new CopyOnWriteArrayList<>();
    private final PortableCloner cloner;

    CopiedInTasks(org.apache.spark.sql.SparkSession spark) {
      cloner = new PortableCloner(spark).copyingOn(CopyPlacement.EXECUTORS)
          .observingExecutorCopies(ExecutorCopier.TaskFault.NONE, copies::add);
    }

    @Override
    public CloneResult clone(
        TableLocation source, long version, TableLocation target, CloneOptions options) {
      copies.clear();
      CloneResult result = cloner.clone(source, version, target, options);
      assertThat(copies).allSatisfy(copy ->
          assertThat(copy.taskAttemptId()).as("the task that copied %s", copy.target())
              .isNotNegative());
      assertThat(copies.stream().filter(ExecutorCopier.FileCopied::copied).count())
          .as("files copied in Spark tasks").isEqualTo(result.numCopiedFiles());
      assertThat(copies.stream().mapToLong(ExecutorCopier.FileCopied::bytes).sum())
          .as("bytes copied in Spark tasks").isEqualTo(result.copiedFilesSize());
      return result;
    }

    @Override
    public long latestVersion(TableLocation table) {
      return cloner.latestVersion(table);
    }

    @Override
    public OptionalLong clonedVersion(TableLocation source, TableLocation target) {
      return cloner.clonedVersion(source, target);
    }
  }
}
