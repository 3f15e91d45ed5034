package io.deltasync.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.runs.RunStamp;
import io.deltasync.runs.TableCommit;
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
        new TableCommit(4, T.plusSeconds(240), OptionalLong.empty()),
        new TableCommit(3, T.plusSeconds(180), OptionalLong.of(12)), // the stamp wins
        new TableCommit(2, T.plusSeconds(120), OptionalLong.of(950)),
        new TableCommit(1, T.plusSeconds(60), OptionalLong.of(900)),
        new TableCommit(0, T, OptionalLong.empty()));
  }

  @Test
  void olderJobStructWithoutJobRunIdUsesRunId() {
    StructType job = jobStruct("jobId", "runId");
    List<Row> rows = List.of(RowFactory.create(0L, at(0), null, RowFactory.create("7", "31")));
    assertThat(SparkTableHistory.commits(history(job, rows)))
        .containsExactly(new TableCommit(0, T, OptionalLong.of(31)));
  }

  @Test
  void historyWithoutJobColumnReadsOnlyTheStamp() {
    List<Row> rows = List.of(
        RowFactory.create(1L, at(60), RunStamp.userMetadata(3, "wf")),
        RowFactory.create(0L, at(0), null));
    assertThat(SparkTableHistory.commits(history(null, rows))).containsExactly(
        new TableCommit(1, T.plusSeconds(60), OptionalLong.of(3)),
        new TableCommit(0, T, OptionalLong.empty()));
  }
}
