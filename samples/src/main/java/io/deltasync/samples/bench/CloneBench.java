package io.deltasync.samples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.spark.PortableCloner;
import io.deltasync.spark.Sparks;
import io.deltasync.table.TableLocation;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The clone benchmark: a Delta table of about {@code totalBytes} in {@code files} files; the first
 * clone against {@code cp -r} and {@code hadoop distcp} (local mode, in this JVM, as many map
 * threads as the clone has copy threads) of the same folder on the same disk (the median of three
 * rounds each, after a warm-up of each); a re-clone with no change; a re-clone after 1% of the
 * files changed (bytes copied against bytes changed).
 *
 * <p>Targets: first clone at most 1.2x the faster of {@code cp -r} and {@code distcp}; no-change
 * re-clone under 2 s once Spark is up; the incremental re-clone copies at most 1.05x the changed
 * bytes.
 */
public final class CloneBench {

  /** The table to build: about {@code totalBytes} of incompressible doubles in {@code files}. */
  public record Settings(long totalBytes, int files, int copyThreads) {
    public static Settings standard() {
      return new Settings(1L << 30, 1000, 8);
    }
  }

  /** The figures. */
  public record Figures(
      long sourceFiles,
      long sourceBytes,
      long cpMillis,
      long distcpMillis,
      long firstCloneMillis,
      double firstCloneVsFaster,
      long noChangeMillis,
      long noChangeCopiedBytes,
      long changedFiles,
      long changedBytes,
      long incrementalMillis,
      long incrementalCopiedBytes,
      double copiedVsChanged) {

    public boolean meetsTargets() {
      return firstCloneVsFaster <= FIRST_CLONE_TARGET && noChangeMillis < 2000 && noChangeCopiedBytes == 0
          && copiedVsChanged <= 1.05;
    }

    Map<String, Object> asMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("source_files", sourceFiles);
      map.put("source_bytes", sourceBytes);
      map.put("cp_r_ms", cpMillis);
      map.put("distcp_ms", distcpMillis);
      map.put("first_clone_ms", firstCloneMillis);
      map.put("first_clone_vs_faster_copier", round(firstCloneVsFaster));
      map.put("no_change_reclone_ms", noChangeMillis);
      map.put("no_change_copied_bytes", noChangeCopiedBytes);
      map.put("changed_files", changedFiles);
      map.put("changed_bytes", changedBytes);
      map.put("incremental_reclone_ms", incrementalMillis);
      map.put("incremental_copied_bytes", incrementalCopiedBytes);
      map.put("copied_vs_changed", round(copiedVsChanged));
      map.put("meets_targets", meetsTargets());
      return map;
    }
  }

  /** Rounds of {@code cp -r}, {@code distcp} and first clone; the medians are the figures. */
  static final int ROUNDS = 3;
  /** The first clone may take this much longer than the faster of cp -r and distcp. */
  static final double FIRST_CLONE_TARGET = 1.2;

  private final SparkSession spark;
  private final Settings settings;

  public CloneBench(SparkSession spark, Settings settings) {
    this.spark = spark;
    this.settings = settings;
  }

  /** Runs the standard benchmark (1 GiB in 1,000 files) in {@code workDir}. */
  public static Figures run(Path workDir, PrintStream out, boolean json) {
    return new CloneBench(Sparks.session(), Settings.standard()).run(workDir, out, json, true);
  }

  public static void main(String[] args) {
    Path workDir = Path.of(args.length > 0 ? args[0] : "target/clone-bench");
    boolean json = List.of(args).contains("--json");
    Figures figures = run(workDir, System.out, json);
    if (!figures.meetsTargets()) {
      System.err.println("clone bench: a target was missed");
    }
  }

  /** Builds the table under {@code workDir} (reused when present), measures, prints. */
  public Figures run(Path dir, PrintStream out, boolean json, boolean cleanUp) {
    // Absolute: Delta resolves delta.`path` only for an absolute path.
    Path workDir = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(workDir);
      Path source = workDir.resolve("source");
      Path copy = workDir.resolve("cp-r");
      Path warm = workDir.resolve("cp-r-warm");
      Path distcpCopy = workDir.resolve("distcp");
      deleteTree(copy);
      deleteTree(distcpCopy);
      deleteTree(warm);
      for (int round = 1; round <= ROUNDS; round++) {
        deleteTree(workDir.resolve("clone-" + round));
      }
      if (!Files.isDirectory(source.resolve("_delta_log"))) {
        deleteTree(source);
        buildTable(source);
      }
      progress(out, json, "table ready: " + source);
      PortableCloner cloner = new PortableCloner(spark);
      CloneOptions options = CloneOptions.defaults().withCopyThreads(settings.copyThreads());
      TableLocation from = TableLocation.path(source.toString());
      long version = cloner.latestVersion(from);

      cp(source, warm); // warms the page cache the same way for cp and the clone
      deleteTree(warm);
      warmUp(workDir.resolve("warm-up"), cloner, options);
      distcp(source, distcpCopy); // the first distcp loads its classes: not measured
      deleteTree(distcpCopy);

      // Rounds of cp -r then a first clone into a new folder; the medians are reported, as a
      // single copy of a cached GiB varies by 2x with the kernel's writeback of the previous one.
      long[] cpRounds = new long[ROUNDS];
      long[] distcpRounds = new long[ROUNDS];
      long[] cloneRounds = new long[ROUNDS];
      Path target = null;
      TableLocation to = null;
      CloneResult first = null;
      for (int round = 0; round < ROUNDS; round++) {
        long cpStart = System.nanoTime();
        cp(source, copy);
        cpRounds[round] = millisSince(cpStart);
        deleteTree(copy);

        long distcpStart = System.nanoTime();
        distcp(source, distcpCopy);
        distcpRounds[round] = millisSince(distcpStart);
        deleteTree(distcpCopy);

        target = workDir.resolve("clone-" + (round + 1));
        to = TableLocation.path(target.toString());
        long cloneStart = System.nanoTime();
        first = cloner.clone(from, version, to, options);
        cloneRounds[round] = millisSince(cloneStart);
        if (round < ROUNDS - 1) {
          deleteTree(target);
        }
      }
      long cpMillis = median(cpRounds);
      long distcpMillis = median(distcpRounds);
      long firstMillis = median(cloneRounds);
      progress(out, json, "first clone done: " + first.numCopiedFiles() + " files, "
          + ROUNDS + " rounds (cp -r " + Arrays.toString(cpRounds) + " ms, distcp "
          + Arrays.toString(distcpRounds) + " ms, first clone "
          + Arrays.toString(cloneRounds) + " ms)");

      long noChangeStart = System.nanoTime();
      CloneResult noChange = cloner.clone(from, version, to, options);
      long noChangeMillis = millisSince(noChangeStart);

      Map<Path, Long> before = dataFiles(source);
      changeOnePercent(source, version);
      Map<Path, Long> after = dataFiles(source);
      long changedBytes = 0;
      long changedFiles = 0;
      for (Map.Entry<Path, Long> file : after.entrySet()) {
        if (!before.containsKey(file.getKey())) {
          changedFiles++;
          changedBytes += file.getValue();
        }
      }
      long incrementalStart = System.nanoTime();
      CloneResult incremental =
          cloner.clone(from, cloner.latestVersion(from), to, options);
      long incrementalMillis = millisSince(incrementalStart);

      Figures figures = new Figures(first.sourceNumOfFiles(), first.sourceTableSize(), cpMillis,
          distcpMillis, firstMillis,
          (double) firstMillis / Math.max(1, Math.min(cpMillis, distcpMillis)), noChangeMillis,
          noChange.copiedFilesSize(), changedFiles, changedBytes, incrementalMillis,
          incremental.copiedFilesSize(),
          (double) incremental.copiedFilesSize() / Math.max(1, changedBytes));
      print(out, json, figures);
      if (cleanUp) {
        deleteTree(target);
      }
      return figures;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One clone of a small table first, so the figures are those of a JVM that has cloned before
   * (a sender is, after its first table) rather than of class loading and a cold JIT.
   */
  private void warmUp(Path dir, PortableCloner cloner, CloneOptions options) throws IOException {
    Path source = dir.resolve("source");
    Path target = dir.resolve("clone");
    deleteTree(dir);
    spark.range(0, 1000, 1, 10).selectExpr("id", "rand(1) AS c0")
        .write().format("delta").save(source.toString());
    TableLocation from = TableLocation.path(source.toString());
    cloner.clone(from, 0, TableLocation.path(target.toString()), options);
    deleteTree(dir);
  }

  private void buildTable(Path source) {
    int columns = 16;
    long rows = Math.max(settings.files(), settings.totalBytes() / (8L * columns));
    StringBuilder select = new StringBuilder("id");
    for (int c = 0; c < columns; c++) {
      select.append(", rand(").append(c + 1).append(") AS c").append(c);
    }
    spark.range(0, rows, 1, settings.files())
        .selectExpr(select.toString().split(", "))
        .write().format("delta").save(source.toString());
  }

  /**
   * Rewrites 1% of the files: a DELETE of one row in each (copy-on-write, no deletion vectors).
   * The row is offset by the table version, so a re-run on a reused table deletes rows still there.
   */
  private void changeOnePercent(Path source, long version) {
    int changed = Math.max(1, settings.files() / 100);
    long rows = Math.max(settings.files(), settings.totalBytes() / (8L * 16));
    long perFile = rows / settings.files();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < changed; i++) {
      ids.add(Long.toString((long) i * (settings.files() / changed) * perFile + version));
    }
    spark.sql("DELETE FROM delta.`" + source + "` WHERE id IN (" + String.join(", ", ids) + ")");
  }

  private static Map<Path, Long> dataFiles(Path root) throws IOException {
    Map<Path, Long> files = new HashMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : (Iterable<Path>) walk::iterator) {
        if (file.toString().endsWith(".parquet") && !file.toString().contains("_delta_log")) {
          files.put(root.relativize(file), Files.size(file));
        }
      }
    }
    return files;
  }

  private static void cp(Path from, Path to) throws IOException {
    Process process = new ProcessBuilder("cp", "-r", from.toString(), to.toString())
        .inheritIO().start();
    try {
      if (!process.waitFor(1, TimeUnit.HOURS) || process.exitValue() != 0) {
        throw new IOException("cp -r " + from + " " + to + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * {@code hadoop distcp from to} in local mode in this JVM (Hadoop's LocalJobRunner), with as
   * many map threads as the clone has copy threads: distcp's own temporary file and rename per
   * file, its default checksum comparison.
   */
  private void distcp(Path from, Path to) throws IOException {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    conf.set("mapreduce.framework.name", "local");
    conf.set("fs.defaultFS", "file:///");
    conf.setInt("mapreduce.local.map.tasks.maximum", settings.copyThreads());
    conf.set("hadoop.tmp.dir", to.getParent().resolve("distcp-tmp").toString());
    try {
      org.apache.hadoop.tools.DistCpOptions options = new org.apache.hadoop.tools.DistCpOptions
          .Builder(List.of(new org.apache.hadoop.fs.Path(from.toUri())),
              new org.apache.hadoop.fs.Path(to.toUri()))
          .maxMaps(settings.copyThreads()).build();
      if (!new org.apache.hadoop.tools.DistCp(conf, options).execute().isSuccessful()) {
        throw new IOException("hadoop distcp " + from + " " + to + " failed");
      }
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("hadoop distcp " + from + " " + to + " failed: " + e, e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static void progress(PrintStream out, boolean json, String line) {
    if (!json) {
      out.println("  " + line);
    }
  }

  private static void print(PrintStream out, boolean json, Figures f) throws IOException {
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(f.asMap()));
      return;
    }
    out.printf(Locale.ROOT, "clone bench: %d files, %.1f MiB%n", f.sourceFiles(),
        f.sourceBytes() / 1048576.0);
    out.printf(Locale.ROOT, "  cp -r                 %8d ms%n", f.cpMillis());
    out.printf(Locale.ROOT, "  hadoop distcp (local) %8d ms%n", f.distcpMillis());
    out.printf(Locale.ROOT, "  first clone           %8d ms  %.2fx the faster of the two"
        + " (target <= %.1fx)%n", f.firstCloneMillis(), f.firstCloneVsFaster(), FIRST_CLONE_TARGET);
    out.printf(Locale.ROOT, "  no-change re-clone    %8d ms  %d bytes copied (target < 2000 ms)%n",
        f.noChangeMillis(), f.noChangeCopiedBytes());
    out.printf(Locale.ROOT, "  1%% changed re-clone   %8d ms  %d files / %d bytes changed,"
            + " %d bytes copied: %.3fx (target <= 1.05x)%n",
        f.incrementalMillis(), f.changedFiles(), f.changedBytes(), f.incrementalCopiedBytes(),
        f.copiedVsChanged());
    out.println(f.meetsTargets() ? "  all targets met" : "  a target was missed");
  }
}
