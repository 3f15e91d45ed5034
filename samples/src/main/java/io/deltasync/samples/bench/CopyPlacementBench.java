package io.deltasync.samples.bench;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.spark.CopyPlacement;
import io.deltasync.spark.PortableCloner;
import io.deltasync.spark.Sparks;
import io.deltasync.table.TableLocation;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Measures where the portable cloner's copy should move from the driver's thread pool to the
 * executors ({@link CopyPlacement#DEFAULT}): first clones of tables of 10 to 1,000 small files,
 * each copied once on the driver and once on the executors, on the
 * session's master. The fixed cost of the executors' copy is a Spark job (task serialization,
 * scheduling, results); the threshold is the size from which that cost is at most a tenth of the
 * driver's copy time.
 *
 * <p>Run: {@code java -cp <samples classpath> io.deltasync.samples.bench.CopyPlacementBench DIR}.
 */
public final class CopyPlacementBench {

  private static final int[] FILE_COUNTS = {10, 200, 1_000};
  private static final int ROUNDS = 1;

  private final SparkSession spark;

  CopyPlacementBench(SparkSession spark) {
    this.spark = spark;
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/copy-placement-bench")
        .toAbsolutePath().normalize();
    new CopyPlacementBench(Sparks.session()).run(dir, System.out);
  }

  void run(Path dir, PrintStream out) throws IOException {
    Files.createDirectories(dir);
    out.printf(Locale.ROOT, "copy placement bench (master %s, %d cores)%n",
        spark.sparkContext().master(), spark.sparkContext().defaultParallelism());
    out.println("   files      bytes   driver ms  executors ms  executors - driver");
    measure(dir, 20); // warm-up: class loading and JIT of both paths
    for (int files : FILE_COUNTS) {
      long[] figures = measure(dir, files);
      out.printf(Locale.ROOT, "%8d %10d %11d %13d %+19d%n", files, figures[0], figures[1],
          figures[2], figures[2] - figures[1]);
    }
  }

  /** {bytes, driver ms, executors ms} for a first clone of a table of {@code files} files. */
  private long[] measure(Path dir, int files) throws IOException {
    Path source = dir.resolve("source-" + files);
    if (!Files.isDirectory(source.resolve("_delta_log"))) {
      spark.range(0, files * 100L, 1, files).selectExpr("id", "rand(1) AS value")
          .write().format("delta").save(source.toString());
    }
    TableLocation from = TableLocation.path(source.toString());
    PortableCloner cloner = new PortableCloner(spark);
    long[] driver = new long[ROUNDS];
    long[] executors = new long[ROUNDS];
    long bytes = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Path target = dir.resolve("target");
      deleteTree(target);
      driver[round] = cloneMillis(cloner.copyingOn(CopyPlacement.DRIVER), from, target);
      deleteTree(target);
      long start = System.nanoTime();
      CloneResult result = cloner.copyingOn(CopyPlacement.EXECUTORS)
          .clone(from, 0, TableLocation.path(target.toString()), CloneOptions.defaults());
      executors[round] = (System.nanoTime() - start) / 1_000_000;
      bytes = result.copiedFilesSize();
      deleteTree(target);
    }
    return new long[] {bytes, median(driver), median(executors)};
  }

  private static long cloneMillis(PortableCloner cloner, TableLocation from, Path target) {
    long start = System.nanoTime();
    cloner.clone(from, 0, TableLocation.path(target.toString()), CloneOptions.defaults());
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
