package io.deltasync.databricks;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.clone.TableCloner;
import io.deltasync.errors.SyncErrors;
import io.deltasync.table.TableLocation;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloner on Databricks Runtime: SQL {@code CREATE OR REPLACE TABLE .. DEEP CLONE .. VERSION AS
 * OF}, which Databricks runs incrementally and commits atomically (one {@code CLONE} commit whose
 * operation parameters name the source and source version; that commit is how
 * {@link #clonedVersion} recognises a clone after an unknown outcome).
 *
 * <p>It uses Spark SQL only: the open-source Delta classes are never loaded here, since Databricks
 * ships its own Delta.
 */
public final class DatabricksCloner implements TableCloner {

  private static final Logger LOG = LoggerFactory.getLogger(DatabricksCloner.class);

  private final SparkSession spark;

  public DatabricksCloner(SparkSession spark) {
    this.spark = spark;
  }

  @Override
  public CloneResult clone(
      TableLocation source, long version, TableLocation target, CloneOptions options) {
    long startNanos = System.nanoTime();
    long latest = latestVersion(source);
    if (version < 0 || version > latest) {
      throw SyncErrors.versionDoesNotExist(source, version, latest);
    }
    if (!options.force()) {
      requireCloneOrAbsent(source, target);
    }
    String statement = DeepCloneSql.cloneStatement(source, version, target);
    LOG.info("Cloning {} version {} into {}: {}", source, version, target, statement);
    Map<String, Object> row = new HashMap<>();
    try {
      List<Row> rows = spark.sql(statement).collectAsList();
      if (!rows.isEmpty()) {
        Row first = rows.get(0);
        for (String column : first.schema().fieldNames()) {
          row.put(column, first.getAs(column));
        }
      }
    } catch (RuntimeException e) {
      throw DatabricksErrors.cloneFailed(statement, source, version, target, e);
    }
    OptionalLong targetVersion = OptionalLong.of(latestVersion(target));
    CloneResult result = DeepCloneSql.result(
        row, version, targetVersion, Duration.ofNanos(System.nanoTime() - startNanos));
    LOG.info("Cloned {} version {} into {} version {}: copied {} files ({} bytes)", source,
        version, target, targetVersion.getAsLong(), result.numCopiedFiles(),
        result.copiedFilesSize());
    return result;
  }

  @Override
  public long latestVersion(TableLocation table) {
    Row newest = history(table).stream().findFirst()
        .orElseThrow(() -> SyncErrors.notADeltaTable("table", table));
    return newest.getLong(newest.fieldIndex("version"));
  }

  @Override
  public OptionalLong clonedVersion(TableLocation source, TableLocation target) {
    if (!exists(target)) {
      return OptionalLong.empty();
    }
    for (Row commit : history(target)) {
      if (!"CLONE".equals(commit.getString(commit.fieldIndex("operation")))) {
        continue;
      }
      Map<String, String> parameters = commit.getJavaMap(commit.fieldIndex("operationParameters"));
      if (!DeepCloneSql.sameSource(parameters.get("source"), source)) {
        return OptionalLong.empty();
      }
      String sourceVersion = parameters.get("sourceVersion");
      return sourceVersion == null
          ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(sourceVersion.trim()));
    }
    return OptionalLong.empty();
  }

  /** As the portable cloner: a missing or empty target is adopted, a clone of the source too. */
  private void requireCloneOrAbsent(TableLocation source, TableLocation target) {
    if (!exists(target) || clonedVersion(source, target).isPresent()) {
      return;
    }
    Row detail;
    try {
      detail = spark.sql("DESCRIBE DETAIL " + DeepCloneSql.identifier(target)).first();
    } catch (RuntimeException e) {
      throw DatabricksErrors.readFailed("read the details of", target, e);
    }
    long files = detail.getLong(detail.fieldIndex("numFiles"));
    if (files > 0) {
      throw SyncErrors.targetNotACloneOf(target, source,
          "it holds " + files + " data files and its last DEEP CLONE is not of this source");
    }
  }

  /** False only when Databricks says the table is missing; any other error is thrown, mapped. */
  private boolean exists(TableLocation table) {
    String statement = DeepCloneSql.historyStatement(table);
    try {
      return !spark.sql(statement).isEmpty();
    } catch (RuntimeException e) {
      if (DatabricksErrors.causeOf(e) == DatabricksErrors.Cause.TABLE_MISSING) {
        return false;
      }
      throw DatabricksErrors.readFailed("read the history of", table, e);
    }
  }

  /**
   * The table's history, newest first. A missing table or a permission error is fatal, throttling
   * retryable (never "not a Delta table", which a caller may read as "deleted").
   */
  private List<Row> history(TableLocation table) {
    String statement = DeepCloneSql.historyStatement(table);
    try {
      return spark.sql(statement).orderBy(
          org.apache.spark.sql.functions.col("version").desc()).collectAsList();
    } catch (RuntimeException e) {
      throw DatabricksErrors.readFailed("read the history of", table, e);
    }
  }
}
