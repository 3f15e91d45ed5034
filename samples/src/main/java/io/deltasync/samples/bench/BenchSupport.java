package io.deltasync.samples.bench;

import io.deltasync.errors.SyncErrors;
import io.deltasync.table.TableLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;

/** What the benches share: folders, Delta snapshot listings, figures. */
final class BenchSupport {

  private BenchSupport() {}

  /** Deletes a folder and everything under it; nothing when it does not exist. */
  static void deleteTree(Path root) {
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

  /** Deletes a previous bench folder; refuses one that is not a bench folder. */
  static void wipe(Path dir, String marker) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.findAny().isPresent() && !Files.exists(dir.resolve(marker))) {
            throw SyncErrors.usage("--dir " + dir + " is not empty and is not a previous bench"
                + " folder (no " + marker + "): the bench wipes its folder, give it an empty one");
          }
        }
        try (Stream<Path> all = Files.walk(dir)) {
          for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(marker), "deltasync bench folder; wiped by the next run\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare bench folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The data files (relative path to size) of a Delta table's snapshot at a version. */
  static Map<String, Long> snapshotFiles(SparkSession spark, TableLocation table, long version) {
    String path = ((TableLocation.Path) table).uri();
    List<Row> rows = DeltaLog.forTable(spark, path).getSnapshotAt(version, scala.Option.empty(), scala.Option.empty())
        .allFiles().toDF().select("path", "size").collectAsList();
    Map<String, Long> files = new HashMap<>();
    for (Row row : rows) {
      files.put(row.getString(0), row.getLong(1));
    }
    return files;
  }

  /** Every file under a folder (data, deletion vectors, _delta_log), skipping Hadoop's .crc twins. */
  static long bytesUnder(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile)
          .filter(p -> !(p.getFileName().toString().startsWith(".")
              && p.getFileName().toString().endsWith(".crc")))
          .mapToLong(p -> {
            try {
              return Files.size(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
  }
}
