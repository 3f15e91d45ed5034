package io.deltasync.clone;

import io.deltasync.spark.SnapshotFilesCheck;
import io.deltasync.table.TableLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks that a version of a staging table can be cloned from: its log holds the version and every
 * file the version references is present on storage with the size the log records.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li><b>A listing, not a scan.</b> It reads the table's log at the version and lists the folders
 *       holding its files; it never opens a data file. It changes nothing.
 *   <li><b>Damage is reported, not thrown:</b> a file missing or of another size than the log says,
 *       or a version the log cannot produce any more.
 *   <li><b>Unreachable storage is thrown</b> (a retryable {@link io.deltasync.errors.SyncException}),
 *       never reported as damage: a network error must not make the sender copy a table again.
 *   <li>A table that is not a Delta table, or whose log has not reached the version yet, is the
 *       caller's check (it compares the latest version first); it is reported as unreadable here.
 * </ul>
 *
 * <p>The portable runtime uses {@link SnapshotFilesCheck} (Delta log + Hadoop {@code FileSystem}).
 * On Databricks, where staging is read by {@code DEEP CLONE}, the same question is answered by
 * {@code FSCK REPAIR TABLE ... DRY RUN}; that implementation is not built yet, and {@link
 * #LOG_ONLY} stands in (see docs/sync.md).
 */
public interface StagingCheck {

  /** Damage found in {@code table} at {@code version}; empty when it can be cloned from whole. */
  Optional<Damage> check(TableLocation table, long version);

  /** Checks nothing beyond the version check its callers make themselves. */
  StagingCheck LOG_ONLY = (table, version) -> Optional.empty();

  /**
   * What is wrong with one version of a table.
   *
   * @param table the table checked
   * @param version the version checked
   * @param missingFiles paths relative to the table root of the files absent or of another size
   *     (sorted)
   * @param unreadable why the version itself cannot be read, when it cannot
   */
  record Damage(TableLocation table, long version, List<String> missingFiles,
      Optional<String> unreadable) {

    /** At most this many files are named in {@link #describe()}. */
    public static final int NAMED_FILES = 5;

    public Damage {
      Objects.requireNonNull(table, "table");
      missingFiles = List.copyOf(missingFiles);
      Objects.requireNonNull(unreadable, "unreadable");
      if (missingFiles.isEmpty() && unreadable.isEmpty()) {
        throw new IllegalArgumentException("damage of " + table + " names nothing");
      }
    }

    /** E.g. {@code file part-0001.parquet is missing}, {@code 3 files are missing: a, b, c}. */
    public String describe() {
      if (unreadable.isPresent()) {
        return "version " + version + " cannot be read: " + unreadable.get();
      }
      List<String> named = missingFiles.subList(0, Math.min(NAMED_FILES, missingFiles.size()));
      String more = missingFiles.size() > named.size()
          ? " and " + (missingFiles.size() - named.size()) + " more" : "";
      return missingFiles.size() == 1
          ? "file " + named.get(0) + " is missing"
          : missingFiles.size() + " files are missing: " + String.join(", ", named) + more;
    }
  }
}
