package io.deltasync.databricks;

import io.deltasync.clone.CloneResult;
import io.deltasync.errors.SyncErrors;
import io.deltasync.table.TableLocation;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The SQL the {@link DatabricksCloner} issues and the mapping of its results, as pure functions.
 * Identifiers come only from {@link TableLocation#sqlIdentifier()}: names are validated
 * {@code catalog.schema.table} triples quoted part by part, paths are quoted and may not contain a
 * backquote, so no text is ever interpolated raw.
 */
final class DeepCloneSql {

  /** The DEEP CLONE result columns, in Databricks' order. */
  static final String SOURCE_TABLE_SIZE = "source_table_size";
  static final String SOURCE_NUM_OF_FILES = "source_num_of_files";
  static final String NUM_REMOVED_FILES = "num_removed_files";
  static final String NUM_COPIED_FILES = "num_copied_files";
  static final String REMOVED_FILES_SIZE = "removed_files_size";
  static final String COPIED_FILES_SIZE = "copied_files_size";

  private static final Pattern ABSOLUTE = Pattern.compile("/|[A-Za-z][A-Za-z0-9+.-]*:/");

  private DeepCloneSql() {}

  static String cloneStatement(TableLocation source, long version, TableLocation target) {
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0, got " + version);
    }
    return "CREATE OR REPLACE TABLE " + identifier(target) + " DEEP CLONE "
        + identifier(source) + " VERSION AS OF " + version;
  }

  /**
   * The quoted identifier; a path must be absolute, so that text that is neither a valid name nor
   * a path (such as {@code a.b.c; DROP TABLE x}) is refused rather than quoted as a folder name.
   */
  static String identifier(TableLocation table) {
    if (table instanceof TableLocation.Path path && !ABSOLUTE.matcher(path.uri()).lookingAt()) {
      throw SyncErrors.notANameOrAbsolutePath(path.uri());
    }
    return table.sqlIdentifier();
  }

  /** DESCRIBE HISTORY cannot be a subquery: callers use the DataFrame it returns. */
  static String historyStatement(TableLocation table) {
    return "DESCRIBE HISTORY " + identifier(table);
  }

  /** Maps DEEP CLONE's result row (column name to value; a missing or null figure counts 0). */
  static CloneResult result(
      Map<String, ?> row, long sourceVersion, OptionalLong targetVersion, Duration duration) {
    return new CloneResult(
        figure(row, SOURCE_TABLE_SIZE),
        figure(row, SOURCE_NUM_OF_FILES),
        figure(row, NUM_REMOVED_FILES),
        figure(row, NUM_COPIED_FILES),
        figure(row, REMOVED_FILES_SIZE),
        figure(row, COPIED_FILES_SIZE),
        sourceVersion,
        targetVersion,
        duration);
  }

  /**
   * Whether the {@code source} parameter a CLONE commit recorded names this source. Databricks
   * records the resolved identifier, quoted or not; compare without quotes and case.
   */
  static boolean sameSource(String recorded, TableLocation source) {
    if (recorded == null) {
      return false;
    }
    String wanted = normalise(source.sqlIdentifier());
    String found = normalise(recorded);
    return found.equals(wanted) || found.endsWith("." + wanted)
        || (source instanceof TableLocation.Path path && found.contains(normalise(path.uri())));
  }

  private static String normalise(String identifier) {
    String text = identifier.replace("`", "").trim().toLowerCase(Locale.ROOT);
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  private static long figure(Map<String, ?> row, String column) {
    Object value = row.get(column);
    if (value == null) {
      return 0;
    }
    if (value instanceof Number number) {
      return number.longValue();
    }
    return Long.parseLong(value.toString().trim());
  }
}
