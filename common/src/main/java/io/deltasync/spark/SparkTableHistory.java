package io.deltasync.spark;

import io.deltasync.errors.SyncErrors;
import io.deltasync.runs.RunStamp;
import io.deltasync.runs.TableCommit;
import io.deltasync.runs.TableHistory;
import io.deltasync.table.TableLocation;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Table history through the {@code DESCRIBE HISTORY} DataFrame, which open-source Delta and
 * Databricks both provide (it cannot be a subquery, so its DataFrame is read directly). Only
 * public SQL is used, never OSS-internal Delta classes, so this runs on Databricks too.
 *
 * <p>The run of a commit is the deltasync {@link RunStamp} in {@code userMetadata} when present;
 * otherwise, when the history has a {@code job} column (Databricks), the job run recorded there:
 * {@code job.jobRunId} (the job run of a multi-task job, which is what the Jobs API lists) or else
 * {@code job.runId}.
 */
public final class SparkTableHistory implements TableHistory {

  private final SparkSession spark;

  public SparkTableHistory(SparkSession spark) {
    this.spark = Objects.requireNonNull(spark, "spark");
  }

  @Override
  public List<TableCommit> commits(TableLocation table) {
    try {
      return commits(spark.sql("DESCRIBE HISTORY " + table.sqlIdentifier()));
    } catch (io.deltasync.errors.SyncException e) {
      throw e;
    } catch (Exception e) {
      // AnalysisException (thrown undeclared from Scala) or Delta's own errors for a missing or
      // non-Delta table.
      throw SyncErrors.tableHistoryUnreadable(table.toString(), e);
    }
  }

  /** The commits of a {@code DESCRIBE HISTORY} result, newest first. */
  static List<TableCommit> commits(Dataset<Row> history) {
    StructType schema = history.schema();
    List<String> columns = Arrays.asList(schema.fieldNames());
    List<Column> select = new ArrayList<>();
    select.add(functions.col("version"));
    select.add(functions.col("timestamp"));
    select.add(columns.contains("userMetadata")
        ? functions.col("userMetadata") : functions.lit(null).cast("string"));
    select.add(jobRunColumn(schema, columns));
    List<TableCommit> commits = new ArrayList<>();
    for (Row row : history.select(select.toArray(new Column[0])).collectAsList()) {
      long version = row.getLong(0);
      Timestamp timestamp = row.getTimestamp(1);
      OptionalLong runId = RunStamp.runId(row.isNullAt(2) ? null : row.getString(2));
      if (runId.isEmpty() && !row.isNullAt(3)) {
        runId = parseRunId(row.getString(3));
      }
      commits.add(new TableCommit(version, timestamp.toInstant(), runId));
    }
    commits.sort(Comparator.comparingLong(TableCommit::version).reversed());
    return commits;
  }

  private static Column jobRunColumn(StructType schema, List<String> columns) {
    if (columns.contains("job")) {
      DataType type = schema.apply("job").dataType();
      if (type instanceof StructType job) {
        List<String> fields = Arrays.asList(job.fieldNames());
        List<Column> candidates = new ArrayList<>();
        if (fields.contains("jobRunId")) {
          candidates.add(functions.col("job.jobRunId").cast("string"));
        }
        if (fields.contains("runId")) {
          candidates.add(functions.col("job.runId").cast("string"));
        }
        if (!candidates.isEmpty()) {
          return functions.coalesce(candidates.toArray(new Column[0]));
        }
      }
    }
    return functions.lit(null).cast("string");
  }

  private static OptionalLong parseRunId(String text) {
    try {
      long id = Long.parseLong(text.trim());
      return id >= 0 ? OptionalLong.of(id) : OptionalLong.empty();
    } catch (NumberFormatException notANumber) {
      return OptionalLong.empty();
    }
  }
}
