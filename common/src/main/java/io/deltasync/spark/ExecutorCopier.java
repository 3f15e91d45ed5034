package io.deltasync.spark;

import io.deltasync.errors.SyncErrors;
import io.deltasync.errors.SyncException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a clone's files on Spark executors: the driver plans, each task copies its share of the
 * files through the Hadoop {@code FileSystem} with {@link FileCopier}'s rules (a file already
 * whole at the destination is skipped; a temporary file unique per attempt, then a rename that
 * commits it), on the clone's number of copy threads per task, and returns one {@link FileCopied}
 * per file. The driver logs progress while the
 * job runs and turns the first failure into the same error the driver's thread pool would raise.
 *
 * <p>Why retries and speculation are safe: two attempts at one file write different temporary
 * files, and the rename of a whole file is the only step readers can see. A file a lost attempt
 * already renamed is skipped by the next one. Files copied but not yet committed to the table are
 * unreferenced, hence invisible.
 */
public final class ExecutorCopier {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutorCopier.class);
  /** Copy attempts per file inside one task, for transient I/O errors. */
  static final int ATTEMPTS_PER_FILE = 3;
  private static final long PROGRESS_EVERY_SECONDS = 10;
  /** Files per task: small enough for progress and retries, large enough to amortise a task. */
  private static final int FILES_PER_TASK = 2_000;

  /**
   * What one task did with one file.
   *
   * @param target the destination path
   * @param bytes bytes copied, 0 when the destination already held the file whole
   * @param copied true when this attempt wrote the file
   * @param retries failed attempts before the last one
   * @param executorId the Spark executor that ran the task ({@code driver} in local mode)
   * @param taskAttemptId the Spark task attempt that copied the file
   * @param missingSource the source path when the source file was gone, else null
   * @param failure the last error when every attempt failed, else null
   */
  public record FileCopied(String target, long bytes, boolean copied, int retries,
      String executorId, long taskAttemptId, String missingSource, String failure)
      implements Serializable {}

  /**
   * Failure injection on the executors: called in the task with the temporary file written whole
   * and the task's attempt number, before the rename. Tests halt the executor's JVM or throw here.
   */
  @FunctionalInterface
  public interface TaskFault extends Serializable {
    TaskFault NONE = (temporary, attempt) -> { };

    void reach(String temporary, int attempt) throws java.io.IOException;
  }

  /** One file to copy, in a form Spark serializes. */
  record Task(String from, String to, long size) implements Serializable {}

  /** What the job did. */
  record Copied(long files, long bytes, long retries) {}

  private final SparkSession spark;
  private final int threadsPerTask;
  private final TaskFault fault;
  private final Consumer<FileCopied> observer;

  ExecutorCopier(SparkSession spark, int threadsPerTask, TaskFault fault,
      Consumer<FileCopied> observer) {
    this.spark = spark;
    this.threadsPerTask = threadsPerTask;
    this.fault = fault;
    this.observer = observer;
  }

  /**
   * Copies every file on the executors. A missing source throws {@link
   * FileCopier.MissingSourceFile}, any other failure a retryable {@link SyncException}; files
   * already copied stay for the next run to skip.
   */
  Copied copyAll(List<FileCopier.Copy> copies, long totalBytes) {
    List<Task> tasks = new ArrayList<>(copies.size());
    for (FileCopier.Copy copy : copies) {
      tasks.add(new Task(copy.from().toString(), copy.to().toString(), copy.size()));
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = Math.max(1, Math.min(tasks.size(),
        Math.max(context.defaultParallelism() * 4, tasks.size() / FILES_PER_TASK)));
    Broadcast<SerializableConfiguration> conf =
        context.broadcast(new SerializableConfiguration(spark.sessionState().newHadoopConf()));
    LongAccumulator filesDone = spark.sparkContext().longAccumulator("deltasync copied files");
    LongAccumulator bytesDone = spark.sparkContext().longAccumulator("deltasync copied bytes");
    TaskFault taskFault = fault;
    int threads = threadsPerTask;
    JavaRDD<FileCopied> results = context.parallelize(tasks, slices).mapPartitions(
        partition -> copyPartition(partition, conf.value().value(), threads, taskFault,
            filesDone, bytesDone));
    long start = System.nanoTime();
    LOG.info("Copying {} files ({} bytes) on the executors in {} tasks", tasks.size(), totalBytes,
        slices);
    List<FileCopied> outcomes = await(results.collectAsync(), filesDone, bytesDone,
        tasks.size(), totalBytes, start);
    conf.destroy();
    long files = 0;
    long bytes = 0;
    long retries = 0;
    FileCopied failed = null;
    for (FileCopied outcome : outcomes) {
      observer.accept(outcome);
      retries += outcome.retries();
      if (outcome.missingSource() != null) {
        throw new FileCopier.MissingSourceFile(new Path(outcome.missingSource()), null);
      }
      if (outcome.failure() != null && failed == null) {
        failed = outcome;
      }
      if (outcome.copied()) {
        files++;
        bytes += outcome.bytes();
      }
    }
    if (failed != null) {
      throw SyncErrors.cloneCopyFailed(sourceOf(tasks, failed.target()), failed.target(),
          new java.io.IOException(failed.failure() + " (after " + ATTEMPTS_PER_FILE
              + " attempts on executor " + failed.executorId() + ")"));
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    LOG.info("Copied {} of {} files ({} bytes) on the executors in {} ms, {} MiB/s, {} retries",
        files, tasks.size(), bytes, millis, rate(bytes, millis), retries);
    return new Copied(files, bytes, retries);
  }

  private static String sourceOf(List<Task> tasks, String target) {
    for (Task task : tasks) {
      if (task.to().equals(target)) {
        return task.from();
      }
    }
    return "(unknown source)";
  }

  /** Waits for the job, logging progress every few seconds from the driver. */
  private static List<FileCopied> await(JavaFutureAction<List<FileCopied>> job,
      LongAccumulator filesDone, LongAccumulator bytesDone, int totalFiles, long totalBytes,
      long start) {
    while (true) {
      try {
        return job.get(PROGRESS_EVERY_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.info("Copy progress (executors): {} of {} files done, {} of {} bytes copied,"
                + " {} MiB/s", filesDone.value(), totalFiles, bytesDone.value(), totalBytes,
            rate(bytesDone.value(), millis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        job.cancel(true);
        throw new SyncException(SyncException.Kind.RETRYABLE,
            "The clone was interrupted while copying on the executors; the target table is"
                + " unchanged", e);
      } catch (ExecutionException e) {
        throw SyncErrors.cloneCopyFailed("the executors' copy job", "the target",
            e.getCause() == null ? e : e.getCause());
      }
    }
  }

  /**
   * Runs in a task: copies its files on {@code threads} threads (copying is I/O-bound: one
   * stream per core leaves the disk and network idle), never throwing for one file. A task
   * failure (an exception of the fault, a lost executor) makes Spark run the task again.
   */
  private static Iterator<FileCopied> copyPartition(Iterator<Task> partition,
      Configuration conf, int threads, TaskFault fault, LongAccumulator filesDone,
      LongAccumulator bytesDone) throws InterruptedException, ExecutionException {
    String executorId = SparkEnv.get().executorId();
    TaskContext context = TaskContext.get();
    int attempt = context == null ? 0 : context.attemptNumber();
    long taskAttemptId = context == null ? -1 : context.taskAttemptId();
    FileCopier.BeforeCommit beforeCommit =
        temporary -> fault.reach(temporary.toString(), attempt);
    List<Task> tasks = new ArrayList<>();
    partition.forEachRemaining(tasks::add);
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.max(1, Math.min(threads, tasks.size())), runnable -> {
          Thread thread = new Thread(runnable, "deltasync-executor-copy");
          thread.setDaemon(true);
          return thread;
        });
    try {
      List<Future<FileCopied>> futures = new ArrayList<>(tasks.size());
      for (Task task : tasks) {
        futures.add(pool.submit(
            () -> copyOne(task, conf, beforeCommit, executorId, taskAttemptId)));
      }
      List<FileCopied> outcomes = new ArrayList<>(tasks.size());
      for (Future<FileCopied> future : futures) {
        FileCopied outcome = future.get();
        filesDone.add(1);
        bytesDone.add(outcome.bytes());
        outcomes.add(outcome);
      }
      return outcomes.iterator();
    } finally {
      pool.shutdownNow();
    }
  }

  /** One file, tried up to {@link #ATTEMPTS_PER_FILE} times on an I/O error. */
  private static FileCopied copyOne(Task task, Configuration conf,
      FileCopier.BeforeCommit beforeCommit, String executorId, long taskAttemptId) {
    FileCopier.Copy copy =
        new FileCopier.Copy(new Path(task.from()), new Path(task.to()), task.size());
    for (int tried = 0; ; tried++) {
      try {
        long size = FileCopier.copyIfMissing(conf, copy, beforeCommit);
        return new FileCopied(task.to(), Math.max(0, size), size >= 0, tried, executorId,
            taskAttemptId, null, null);
      } catch (FileCopier.MissingSourceFile missing) {
        return new FileCopied(task.to(), 0, false, tried, executorId, taskAttemptId,
            task.from(), null);
      } catch (SyncException e) {
        if (tried + 1 >= ATTEMPTS_PER_FILE) {
          return new FileCopied(task.to(), 0, false, tried, executorId, taskAttemptId, null,
              String.valueOf(e.getCause()));
        }
      }
    }
  }

  private static String rate(long bytes, long millis) {
    return String.format(Locale.ROOT, "%.1f", bytes / Math.max(1e-3, millis / 1e3) / (1 << 20));
  }
}
