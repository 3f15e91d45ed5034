package io.deltasync.clone;

import java.time.Duration;
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
    Duration duration) {}
