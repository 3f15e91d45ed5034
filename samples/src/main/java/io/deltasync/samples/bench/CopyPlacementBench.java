package io.deltasync.samples.bench;

import io.deltasync.clone.CloneOptions;
import io.deltasync.spark.CopyPlacement;
import io.deltasync.spark.PortableCloner;
import io.deltasync.table.TableLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bench placement}: where the portable cloner's copy should move from the driver's thread
 * pool to the executors ({@link CopyPlacement#DEFAULT}). First clones of tables of 10 to 5,000
 * small files, each copied on the driver and on the executors ({@link #ROUNDS} rounds, medians),
 * on the session's master. The executors pay a Spark job's fixed cost (task serialization,
 * scheduling, results); they are worth it from the smallest table from which, for every larger
 * table measured too, their whole clone takes at most {@link #TOLERANCE} times the driver's.
 *
 * <p>Target: the configured {@code executorMinFiles} lies in the measured bracket, above the
 * largest table where the driver was clearly faster and at most the measured threshold.
 */
public final class CopyPlacementBench {

  static final int[] FILE_COUNTS = {10, 100, 500, 1_000, 2_000, 5_000};
  static final int ROUNDS = 3;
  static final double TOLERANCE = 1.1;

  /** Where the tables are built (kept between runs) and cloned. */
  public record Settings(Path dir) {}

  /** The printed lines, the figures for {@code --json}, and whether the target was met. */
  public record Result(List<String> lines, Map<String, Object> json, boolean pass) {}

  private final SparkSession spark;
  private final Settings settings;
  private final Consumer<String> progress;

  public CopyPlacementBench(SparkSession spark, Settings settings, Consumer<String> progress) {
    this.spark = spark;
    this.settings = settings;
    this.progress = progress;
  }

  public Result run() throws IOException {
    Path dir = settings.dir().toAbsolutePath().normalize();
    Files.createDirectories(dir);
    measure(dir, 20); // warm-up: class loading and JIT of both paths
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT,
        "placement bench: first clones, driver pool vs executors (master %s, %d cores, median of"
            + " %d)", spark.sparkContext().master(), spark.sparkContext().defaultParallelism(),
        ROUNDS));
    lines.add("   files      bytes   driver ms  executors ms  executors/driver");
    Map<String, Object> json = new LinkedHashMap<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    boolean[] executorsWorthIt = new boolean[FILE_COUNTS.length];
    for (int i = 0; i < FILE_COUNTS.length; i++) {
      int files = FILE_COUNTS[i];
      long[] figures = measure(dir, files);
      double ratio = (double) figures[2] / Math.max(1, figures[1]);
      executorsWorthIt[i] = ratio <= TOLERANCE;
      lines.add(String.format(Locale.ROOT, "%8d %10d %11d %13d %17.2f", files, figures[0],
          figures[1], figures[2], ratio));
      progress.accept(files + " files measured");
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("files", files);
      row.put("bytes", figures[0]);
      row.put("driver_ms", figures[1]);
      row.put("executors_ms", figures[2]);
      rows.add(row);
    }
    OptionalInt threshold = threshold(FILE_COUNTS, executorsWorthIt);
    int below = belowThreshold(FILE_COUNTS, executorsWorthIt);
    long configured = CopyPlacement.DEFAULT.executorMinFiles();
    boolean pass = threshold.isPresent() && configured > below
        && configured <= threshold.getAsInt();
    lines.add(threshold.isPresent()
        ? String.format(Locale.ROOT, "  measured threshold: %,d files (executors at most %.1fx the"
            + " driver from there on; the driver was faster at %,d)", threshold.getAsInt(),
            TOLERANCE, below)
        : String.format(Locale.ROOT, "  measured threshold: above %,d files (the driver was"
            + " faster at every size)", FILE_COUNTS[FILE_COUNTS.length - 1]));
    lines.add(String.format(Locale.ROOT, "  configured CopyPlacement.DEFAULT: %,d files: %s",
        configured, pass ? "within the measured bracket, PASS" : "outside it, MISS"));
    json.put("master", spark.sparkContext().master());
    json.put("rounds", ROUNDS);
    json.put("tables", rows);
    json.put("measured_threshold_files", threshold.isPresent() ? threshold.getAsInt() : null);
    json.put("configured_threshold_files", configured);
    json.put("meets_targets", pass);
    return new Result(lines, json, pass);
  }

  /**
   * The smallest count from which the executors were worth it at every larger count measured,
   * empty when they were not worth it at the largest.
   */
  static OptionalInt threshold(int[] counts, boolean[] executorsWorthIt) {
    OptionalInt from = OptionalInt.empty();
    for (int i = counts.length - 1; i >= 0 && executorsWorthIt[i]; i--) {
      from = OptionalInt.of(counts[i]);
    }
    return from;
  }

  /** The largest count where the driver was clearly faster (0 when there is none). */
  static int belowThreshold(int[] counts, boolean[] executorsWorthIt) {
    int below = 0;
    for (int i = 0; i < counts.length; i++) {
      if (!executorsWorthIt[i]) {
        below = counts[i];
      }
    }
    return below;
  }

  /** {bytes, driver ms, executors ms} for a first clone of a table of {@code files} files. */
  private long[] measure(Path dir, int files) {
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
    Path target = dir.resolve("target");
    for (int round = 0; round < ROUNDS; round++) {
      BenchSupport.deleteTree(target);
      driver[round] = cloneMillis(cloner.copyingOn(CopyPlacement.DRIVER), from, target);
      BenchSupport.deleteTree(target);
      long start = System.nanoTime();
      bytes = cloner.copyingOn(CopyPlacement.EXECUTORS)
          .clone(from, 0, TableLocation.path(target.toString()), CloneOptions.defaults())
          .copiedFilesSize();
      executors[round] = (System.nanoTime() - start) / 1_000_000;
    }
    BenchSupport.deleteTree(target);
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
}
