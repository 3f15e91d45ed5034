package io.deltasync.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.runs.RunStamp;
import io.deltasync.runs.TableCommit;
import io.deltasync.runs.VersionResolver;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * How a history row names its run, on histories shaped like Databricks' (a {@code job} struct),
 * which open-source Delta cannot produce locally.
 */
class SparkTableHistoryTest {

  final SparkSession spark = SharedSpark.spark();
  static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

  static StructType jobStruct(String... fields) {
    StructType job = new StructType();
    for (String field : fields) {
      job = job.add(field, DataTypes.StringType);
    }
    return job;
  }

  Dataset<Row> history(StructType job, List<Row> rows) {
    StructType schema = new StructType()
        .add("version", DataTypes.LongType)
        .add("timestamp", DataTypes.TimestampType)
        .add("userMetadata", DataTypes.StringType);
    if (job != null) {
      schema = schema.add("job", job);
    }
    return spark.createDataFrame(rows, schema);
  }

  static Timestamp at(long seconds) {
    return Timestamp.from(T.plusSeconds(seconds));
  }

  @Test
  void databricksJobRunIdIsPreferredToTheTaskRunId() {
    StructType job = jobStruct("jobId", "jobName", "jobRunId", "runId", "jobOwnerId", "triggerType");
    List<Row> rows = List.of(
        RowFactory.create(0L, at(0), null, null),
        RowFactory.create(1L, at(60), null, RowFactory.create("7", "wf", "900", "901", "u", "cron")),
        RowFactory.create(2L, at(120), null, RowFactory.create("7", "wf", null, "950", "u", "cron")),
        RowFactory.create(3L, at(180), RunStamp.userMetadata(12, "wf"),
            RowFactory.create("7", "wf", "999", "998", "u", "cron")),
        RowFactory.create(4L, at(240), "free text", RowFactory.create("7", "wf", "n/a", null, "u", "x")));

    assertThat(SparkTableHistory.commits(history(job, rows))).containsExactly(
        new TableCommit(4, T.plusSeconds(240), OptionalLong.of(7), OptionalLong.empty()),
        TableCommit.byRun(3, T.plusSeconds(180), RunStamp.localJobId("wf"), 12), // the stamp wins
        TableCommit.byRun(2, T.plusSeconds(120), 7, 950),
        TableCommit.byRun(1, T.plusSeconds(60), 7, 900),
        TableCommit.unattributed(0, T));
  }

  @Test
  void olderJobStructWithoutJobRunIdUsesRunId() {
    StructType job = jobStruct("jobId", "runId");
    List<Row> rows = List.of(RowFactory.create(0L, at(0), null, RowFactory.create("7", "31")));
    assertThat(SparkTableHistory.commits(history(job, rows)))
        .containsExactly(TableCommit.byRun(0, T, 7, 31));
  }

  @Test
  void historyWithoutJobColumnReadsOnlyTheStamp() {
    List<Row> rows = List.of(
        RowFactory.create(1L, at(60), RunStamp.userMetadata(3, "wf")),
        RowFactory.create(0L, at(0), null));
    assertThat(SparkTableHistory.commits(history(null, rows))).containsExactly(
        TableCommit.byRun(1, T.plusSeconds(60), RunStamp.localJobId("wf"), 3),
        TableCommit.unattributed(0, T));
  }

  /**
   * A Databricks history with commits of three jobs: the workflow's own (job 7), the receiver
   * (job 8, whose run ids are larger than the workflow's) and an upstream ingest (job 9). Only job
   * 7's commits are runs of the workflow; the receiver's larger run ids are not "later runs".
   */
  @Test
  void onlyTheWorkflowsOwnJobCountsAsItsRunsInADatabricksHistory() {
    StructType job = jobStruct("jobId", "jobName", "jobRunId", "runId", "jobOwnerId", "triggerType");
    Instant end = T.plusSeconds(300); // run 900 of job 7 ended here
    List<Row> rows = List.of(
        RowFactory.create(0L, at(0), null, RowFactory.create("9", "ingest", "40", "41", "u", "cron")),
        RowFactory.create(1L, at(60), null, RowFactory.create("7", "wf", "900", "901", "u", "cron")),
        // The receiver, run 5000 (larger than 900), before the run's end: it counts by its time.
        RowFactory.create(2L, at(120), null, RowFactory.create("8", "rcv", "5000", "5001", "u", "x")),
        RowFactory.create(3L, at(180), null, RowFactory.create("9", "ingest", "41", "42", "u", "cron")),
        // Run 900's last commit, the storage clock 2 s ahead of the Jobs API: still counts.
        RowFactory.create(4L, at(302), null, RowFactory.create("7", "wf", "900", "902", "u", "cron")),
        // After the end: the receiver again, then the ingest; neither counts.
        RowFactory.create(5L, at(310), null, RowFactory.create("8", "rcv", "5002", "5003", "u", "x")),
        RowFactory.create(6L, at(320), null, RowFactory.create("9", "ingest", "42", "43", "u", "cron")));
    List<TableCommit> commits = SparkTableHistory.commits(history(job, rows));
    WorkflowRun run900 = new WorkflowRun(900, "wf", 7, T, java.util.Optional.of(end),
        WorkflowRun.Result.SUCCESS);
    WorkflowRun unknownJob = new WorkflowRun(900, "wf", T, java.util.Optional.of(end),
        WorkflowRun.Result.SUCCESS);

    assertThat(commits).containsExactly(
        TableCommit.byRun(6, T.plusSeconds(320), 9, 42),
        TableCommit.byRun(5, T.plusSeconds(310), 8, 5002),
        TableCommit.byRun(4, T.plusSeconds(302), 7, 900),
        TableCommit.byRun(3, T.plusSeconds(180), 9, 41),
        TableCommit.byRun(2, T.plusSeconds(120), 8, 5000),
        TableCommit.byRun(1, T.plusSeconds(60), 7, 900),
        TableCommit.byRun(0, T, 9, 40));
    assertThat(VersionResolver.resolve("c.s.t", commits, run900).version()).isEqualTo(4);
    // Not knowing the job, only time counts: v4 is 2 s after the end.
    assertThat(VersionResolver.resolve("c.s.t", commits, unknownJob).version()).isEqualTo(3);
  }
}
