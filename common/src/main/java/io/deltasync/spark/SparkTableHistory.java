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
 * <p>The job and run of a commit are the deltasync {@link RunStamp}'s in {@code userMetadata} when
 * present; otherwise, when the history has a {@code job} column (Databricks), the ones recorded
 * there: the job {@code job.jobId}, and the run {@code job.jobRunId} (the job run of a multi-task
 * job, which is what the Jobs API lists) or else {@code job.runId}. That column names whichever
 * job made the commit (a workflow, the receiver, failover, maintenance, an ingest), so the run id
 * alone means nothing without the job id.
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
    select.add(jobColumn(schema, columns, List.of("jobRunId", "runId")));
    select.add(jobColumn(schema, columns, List.of("jobId")));
    List<TableCommit> commits = new ArrayList<>();
    for (Row row : history.select(select.toArray(new Column[0])).collectAsList()) {
      long version = row.getLong(0);
      Timestamp timestamp = row.getTimestamp(1);
      String userMetadata = row.isNullAt(2) ? null : row.getString(2);
      OptionalLong runId = RunStamp.runId(userMetadata);
      OptionalLong jobId = RunStamp.jobId(userMetadata);
      if (runId.isEmpty()) {
        runId = row.isNullAt(3) ? OptionalLong.empty() : parseId(row.getString(3));
        jobId = row.isNullAt(4) ? OptionalLong.empty() : parseId(row.getString(4));
      }
      commits.add(new TableCommit(version, timestamp.toInstant(), jobId, runId));
    }
    commits.sort(Comparator.comparingLong(TableCommit::version).reversed());
    return commits;
  }

  /** The first of these {@code job} fields the history has, as a string; null when none. */
  private static Column jobColumn(StructType schema, List<String> columns, List<String> names) {
    if (columns.contains("job")) {
      DataType type = schema.apply("job").dataType();
      if (type instanceof StructType job) {
        List<String> fields = Arrays.asList(job.fieldNames());
        List<Column> candidates = new ArrayList<>();
        for (String name : names) {
          if (fields.contains(name)) {
            candidates.add(functions.col("job." + name).cast("string"));
          }
        }
        if (!candidates.isEmpty()) {
          return functions.coalesce(candidates.toArray(new Column[0]));
        }
      }
    }
    return functions.lit(null).cast("string");
  }

  private static OptionalLong parseId(String text) {
    try {
      long id = Long.parseLong(text.trim());
      return id >= 0 ? OptionalLong.of(id) : OptionalLong.empty();
    } catch (NumberFormatException notANumber) {
      return OptionalLong.empty();
    }
  }
}
