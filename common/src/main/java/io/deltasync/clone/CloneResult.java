package io.deltasync.clone;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a clone did, with the figures Databricks {@code DEEP CLONE} reports.
 *
 * @param sourceTableSize {@code source_table_size}: bytes of the source snapshot's files
 * @param sourceNumOfFiles {@code source_num_of_files}
 * @param numRemovedFiles {@code num_removed_files}: files the target dropped
 * @param numCopiedFiles {@code num_copied_files}
 * @param removedFilesSize {@code removed_files_size}
 * @param copiedFilesSize {@code copied_files_size}
 * @param sourceVersion the source version cloned
 * @param targetVersion the target version committed; empty when nothing changed
 * @param duration wall time of the clone
 */
public record CloneResult(
    long sourceTableSize,
    long sourceNumOfFiles,
    long numRemovedFiles,
    long numCopiedFiles,
    long removedFilesSize,
    long copiedFilesSize,
    long sourceVersion,
    OptionalLong targetVersion,
    Duration duration) {

  /** True when the clone wrote a commit on the target. */
  public boolean committed() {
    return targetVersion.isPresent();
  }

  /**
   * The figures under DEEP CLONE's snake_case column names, then {@code source_version},
   * {@code target_version} (null when nothing was committed) and {@code duration_ms}: the JSON of
   * {@code deltasync clone --json}.
   */
  public Map<String, Object> asDeepCloneRow() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("source_table_size", sourceTableSize);
    row.put("source_num_of_files", sourceNumOfFiles);
    row.put("num_removed_files", numRemovedFiles);
    row.put("num_copied_files", numCopiedFiles);
    row.put("removed_files_size", removedFilesSize);
    row.put("copied_files_size", copiedFilesSize);
    row.put("source_version", sourceVersion);
    row.put("target_version", targetVersion.isPresent() ? targetVersion.getAsLong() : null);
    row.put("duration_ms", duration.toMillis());
    return row;
  }
}
