package io.deltasync.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runs.WorkflowRun.Result;
import io.deltasync.spark.SparkTableHistory;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.MutableClock;
import io.deltasync.testing.SharedSpark;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinning rule on real Delta histories in local Spark. Commit times are set by changing the
 * modification times of the {@code _delta_log/*.json} files, which is what open-source Delta
 * reports as a commit's time when the table has no in-commit timestamps.
 */
class VersionResolverDeltaTest {

  static final Instant END = Instant.parse("2026-11-23T11:00:00Z");
  /** The workflow's job, as the local launcher stamps it. */
  static final long WF = RunStamp.localJobId("wf");
  static final WorkflowRun RUN_20 =
      new WorkflowRun(20, "wf", WF, END.minusSeconds(3600), Optional.of(END), Result.SUCCESS);

  @TempDir Path dir;

  final SparkSession spark = SharedSpark.spark();
  final TableHistory history = new SparkTableHistory(spark);

  /** Appends rows {@code from..to-1} in one commit, stamped with {@code runId} when given. */
  void append(String table, long from, long to, Long runId) {
    var writer = spark.range(from, to).write().format("delta").mode("append");
    if (runId != null) {
      writer = writer.option("userMetadata", RunStamp.userMetadata(runId, "wf"));
    }
    writer.save(table);
  }

  /** Appends rows {@code from..to-1} in one commit of run {@code runId} of job {@code jobId}. */
  void appendBy(String table, long from, long to, long jobId, long runId, String job) {
    spark.range(from, to).write().format("delta").mode("append")
        .option("userMetadata", RunStamp.userMetadata(jobId, runId, job)).save(table);
  }

  static void setCommitTime(String table, long version, Instant time) {
    File commit = new File(table, String.format("_delta_log/%020d.json", version));
    assertThat(commit).exists();
    assertThat(commit.setLastModified(time.toEpochMilli())).isTrue();
  }

  static Instant minutes(long fromEnd) {
    return END.plusSeconds(fromEnd * 60);
  }

  List<Long> idsAsOf(String table, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(table)
        .orderBy("id").collectAsList().stream().map(r -> r.getLong(0)).collect(Collectors.toList());
  }

  TableCommit resolve(String table, WorkflowRun run) {
    return VersionResolver.resolve(table, history.commits(TableLocation.path(table)), run);
  }

  @Test
  void pinsTheRunsLastCommitAndIgnoresTheNextRunsSkewedCommit() {
    String table = dir.resolve("silver").toString();
    append(table, 0, 1, null);   // v0: created long before
    append(table, 1, 2, 20L);    // v1: run 20
    append(table, 2, 3, 20L);    // v2: run 20, its last commit
    append(table, 3, 4, 21L);    // v3: run 21, but the storage clock says before run 20 ended
    append(table, 4, 5, null);   // v4: someone, after the end
    setCommitTime(table, 0, minutes(-120));
    setCommitTime(table, 1, minutes(-30));
    setCommitTime(table, 2, minutes(-1));
    setCommitTime(table, 3, END.minusSeconds(30));
    setCommitTime(table, 4, minutes(10));

    assertThat(history.commits(TableLocation.path(table))).containsExactly(
        TableCommit.unattributed(4, minutes(10)),
        TableCommit.byRun(3, END.minusSeconds(30), WF, 21),
        TableCommit.byRun(2, minutes(-1), WF, 20),
        TableCommit.byRun(1, minutes(-30), WF, 20),
        TableCommit.unattributed(0, minutes(-120)));

    TableCommit pinned = resolve(table, RUN_20);

    assertThat(pinned.version()).isEqualTo(2);
    assertThat(idsAsOf(table, pinned.version())).containsExactly(0L, 1L, 2L);
  }

  @Test
  void runsOwnCommitCountsWhenTheStorageClockIsAhead() {
    String table = dir.resolve("gold").toString();
    append(table, 0, 1, null);
    append(table, 1, 2, 20L);
    setCommitTime(table, 0, minutes(-120));
    setCommitTime(table, 1, END.plusSeconds(2)); // 2 s after the Jobs API says the run ended

    assertThat(resolve(table, RUN_20).version()).isEqualTo(1);
  }

  @Test
  void tableTheRunDidNotWriteResolvesToItsVersionAtTheEnd() {
    String table = dir.resolve("dim").toString();
    append(table, 0, 1, null);
    append(table, 1, 2, null);
    append(table, 2, 3, null);
    setCommitTime(table, 0, minutes(-120));
    setCommitTime(table, 1, minutes(-50));
    setCommitTime(table, 2, END.plusMillis(1));

    TableCommit pinned = resolve(table, RUN_20);

    assertThat(pinned).isEqualTo(TableCommit.unattributed(1, minutes(-50)));
    assertThat(idsAsOf(table, 1)).containsExactly(0L, 1L);
  }

  @Test
  void tableCreatedAfterTheRunEndedIsAnError() {
    String table = dir.resolve("late").toString();
    append(table, 0, 1, null);
    setCommitTime(table, 0, minutes(5));

    assertThatThrownBy(() -> resolve(table, RUN_20))
        .isInstanceOf(SyncException.class)
        .hasMessageStartingWith("Table " + table + " has no commit made by run 20 or before its"
            + " end at 2026-11-23T11:00:00Z (its oldest commit in the history is version 0 at"
            + " 2026-11-23T11:05:00Z): the table did not exist when the run ended");
  }

  @Test
  void deltaMakesNonMonotonicCommitTimesMonotonicAndTheRuleUsesThat() {
    String table = dir.resolve("skewed").toString();
    append(table, 0, 1, null);
    append(table, 1, 2, null);
    append(table, 2, 3, null);
    setCommitTime(table, 0, minutes(-60));
    setCommitTime(table, 1, minutes(-10));
    setCommitTime(table, 2, minutes(-20)); // written after v1, but its file time is earlier

    List<TableCommit> commits = history.commits(TableLocation.path(table));
    // Delta reports v2 one millisecond after v1, not at its file time.
    assertThat(commits.get(0)).isEqualTo(
        TableCommit.unattributed(2, minutes(-10).plusMillis(1)));

    WorkflowRun endedBetween = new WorkflowRun(
        20, "wf", WF, minutes(-100), Optional.of(minutes(-15)), Result.SUCCESS);
    // By the raw file time v2 would count, though it contains v1, which is after the end.
    assertThat(VersionResolver.resolve(table, commits, endedBetween).version()).isEqualTo(0);
  }

  @Test
  void inCommitTimestampsWinOverFileTimes() {
    String table = dir.resolve("ict").toString();
    spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT) USING delta"
        + " TBLPROPERTIES ('delta.enableInCommitTimestamps' = 'true')");
    append(table, 0, 1, 20L);  // v1: run 20's last commit
    append(table, 1, 2, null); // v2: after the run
    List<TableCommit> before = history.commits(TableLocation.path(table));
    Instant ictV1 = before.get(1).timestamp();
    Instant ictV2 = before.get(0).timestamp();
    assertThat(ictV2).isAfter(ictV1);
    // File times far in the past: were they used, every commit would be before the run's end.
    for (long v = 0; v <= 2; v++) {
      setCommitTime(table, v, Instant.parse("2001-01-01T00:00:00Z").plusSeconds(v));
    }

    List<TableCommit> commits = history.commits(TableLocation.path(table));

    assertThat(commits).extracting(TableCommit::timestamp)
        .containsExactly(ictV2, ictV1, before.get(2).timestamp());
    WorkflowRun run = new WorkflowRun(20, "wf", WF, ictV1.minusSeconds(60), Optional.of(ictV1),
        Result.SUCCESS);
    assertThat(VersionResolver.resolve(table, commits, run).version()).isEqualTo(1);
  }

  /**
   * A table written by three jobs, as on Databricks: the workflow's own, the receiver (whose run
   * ids are far larger than the workflow's) and an upstream ingest. Only the workflow's job's
   * commits are its runs; the others count by their time.
   */
  @Test
  void commitsOfThreeJobsOnlyTheWorkflowsJobIsReadAsItsRuns() {
    long receiver = RunStamp.localJobId("deltasync_receiver");
    long ingest = RunStamp.localJobId("orders_ingest");
    String table = dir.resolve("shared").toString();
    appendBy(table, 0, 1, ingest, 3, "orders_ingest");           // v0: the ingest, long before
    append(table, 1, 2, 20L);                                     // v1: run 20 of the workflow
    appendBy(table, 2, 3, receiver, 5000, "deltasync_receiver"); // v2: receiver run 5000
    appendBy(table, 3, 4, ingest, 4, "orders_ingest");           // v3: the ingest again
    append(table, 4, 5, 20L);                                     // v4: run 20's last commit
    appendBy(table, 5, 6, receiver, 5001, "deltasync_receiver"); // v5: receiver, after the end
    append(table, 6, 7, 21L);                                     // v6: run 21 of the workflow
    appendBy(table, 7, 8, ingest, 5, "orders_ingest");           // v7: the ingest, after run 21
    setCommitTime(table, 0, minutes(-120));
    setCommitTime(table, 1, minutes(-30));
    setCommitTime(table, 2, minutes(-20));
    setCommitTime(table, 3, minutes(-10));
    setCommitTime(table, 4, END.plusSeconds(2)); // the storage clock 2 s ahead of the Jobs API
    setCommitTime(table, 5, minutes(5));
    setCommitTime(table, 6, minutes(10));
    setCommitTime(table, 7, minutes(20));

    List<TableCommit> commits = history.commits(TableLocation.path(table));

    assertThat(commits).containsExactly(
        TableCommit.byRun(7, minutes(20), ingest, 5),
        TableCommit.byRun(6, minutes(10), WF, 21),
        TableCommit.byRun(5, minutes(5), receiver, 5001),
        TableCommit.byRun(4, END.plusSeconds(2), WF, 20),
        TableCommit.byRun(3, minutes(-10), ingest, 4),
        TableCommit.byRun(2, minutes(-20), receiver, 5000),
        TableCommit.byRun(1, minutes(-30), WF, 20),
        TableCommit.byRun(0, minutes(-120), ingest, 3));
    // Run 20: the receiver's run 5000 is no later run of the workflow; v4 is run 20's own.
    assertThat(resolve(table, RUN_20).version()).isEqualTo(4);
    assertThat(idsAsOf(table, 4)).containsExactly(0L, 1L, 2L, 3L, 4L);
    // Run 21, ended at +15 min: the ingest's v7 at +20 min is after it.
    WorkflowRun run21 =
        new WorkflowRun(21, "wf", WF, minutes(8), Optional.of(minutes(15)), Result.SUCCESS);
    assertThat(resolve(table, run21).version()).isEqualTo(6);
    // The receiver's own run 5000, ended at -15 min: the workflow's run 20 is no run of its job.
    WorkflowRun receiverRun = new WorkflowRun(5000, "deltasync_receiver", receiver, minutes(-25),
        Optional.of(minutes(-15)), Result.SUCCESS);
    assertThat(resolve(table, receiverRun).version()).isEqualTo(2);
  }

  /**
   * The local path end to end: three workflows share one run log (so their run ids interleave),
   * each run stamps its commits with its workflow's job, and only the chosen workflow's later run
   * cuts the history. The run log's clock runs an hour ahead when run 1 ends, so every other
   * job's commit is before that end by time.
   */
  @Test
  void theLocalRunLogTellsTheWorkflowsRunsFromOtherJobsRuns() throws Exception {
    String region = dir.resolve("region").toString();
    String table = dir.resolve("region/c/s/orders").toString();
    Instant now = Instant.now();
    MutableClock clock = new MutableClock(now.minusSeconds(3600));
    LocalRunLog log = new LocalRunLog(region, new Configuration(), clock, () -> spark);
    log.record("wf", runId -> {                                         // run 1: v0
      spark.range(0, 1).write().format("delta").save(table);
      clock.set(now.plusSeconds(3600));
      return null;
    });
    clock.set(now);
    log.record("orders_ingest", runId -> {                              // run 2: v1
      spark.range(1, 2).write().format("delta").mode("append").save(table);
      return null;
    });
    log.record("deltasync_receiver", runId -> {                         // run 3: v2
      spark.range(2, 3).write().format("delta").mode("append").save(table);
      return null;
    });
    assertThatThrownBy(() -> log.<Void>record("wf", runId -> {          // run 4: v3, then fails
      spark.range(3, 4).write().format("delta").mode("append").save(table);
      throw new IllegalStateException("gold failed");
    })).hasMessage("gold failed");

    List<TableCommit> commits = history.commits(TableLocation.path(table));
    WorkflowRun chosen = RunSelector.choose(log.runs("wf", OptionalLong.empty())).chosen().orElseThrow();

    assertThat(commits).extracting(TableCommit::version, TableCommit::jobId, TableCommit::runId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3L, OptionalLong.of(WF), OptionalLong.of(4)),
            org.assertj.core.groups.Tuple.tuple(2L,
                OptionalLong.of(RunStamp.localJobId("deltasync_receiver")), OptionalLong.of(3)),
            org.assertj.core.groups.Tuple.tuple(1L,
                OptionalLong.of(RunStamp.localJobId("orders_ingest")), OptionalLong.of(2)),
            org.assertj.core.groups.Tuple.tuple(0L, OptionalLong.of(WF), OptionalLong.of(1)));
    assertThat(chosen.runId()).isEqualTo(1);
    assertThat(chosen.jobId()).hasValue(WF);
    assertThat(chosen.end()).contains(now.plusSeconds(3600));
    TableCommit pinned = VersionResolver.resolve(table, commits, chosen);
    assertThat(pinned.version()).isEqualTo(2);
    assertThat(idsAsOf(table, 2)).containsExactly(0L, 1L, 2L);
  }

  /** On a history whose v2 is a later run's commit, a run of another job is pinned by time. */
  @Test
  void laterRunOfTheWorkflowCutsOnlyItsOwnJobsPin() {
    String table = dir.resolve("cut").toString();
    append(table, 0, 1, 20L);  // v0: run 20
    append(table, 1, 2, 21L);  // v1: run 21, the storage clock says before run 20's end
    setCommitTime(table, 0, minutes(-30));
    setCommitTime(table, 1, minutes(-1));
    WorkflowRun ingestRun = new WorkflowRun(20, "orders_ingest",
        RunStamp.localJobId("orders_ingest"), minutes(-60), Optional.of(END), Result.SUCCESS);

    assertThat(resolve(table, RUN_20).version()).isEqualTo(0);
    assertThat(resolve(table, ingestRun).version()).isEqualTo(1);
  }

  @Test
  void missingTableIsNamed() {
    String table = dir.resolve("nope").toString();
    assertThatThrownBy(() -> history.commits(TableLocation.path(table)))
        .isInstanceOf(SyncException.class)
        .hasMessageStartingWith("Could not read the history of table " + table + ": ")
        .hasMessageEndingWith("; check that the table exists, is a Delta table, and that the"
            + " principal can read it");
  }

  /**
   * The key scenario on real tables: a workflow run is in the middle of its silver loop when the
   * sender looks. The previous run failed half-way. The version pinned is the end of the last
   * successful run, never the partial silver.
   */
  @Test
  void midRunTheLastSuccessfulRunIsPinned() throws Exception {
    String silver = dir.resolve("region/c/s/silver").toString();
    String gold = dir.resolve("region/c/s/gold").toString();
    LocalRunLog log = new LocalRunLog(dir.resolve("region").toString(), new Configuration(),
        Clock.systemUTC(), () -> spark);
    log.record("wf", runId -> {
      spark.range(0, 10).write().format("delta").save(silver);
      spark.range(10, 20).write().format("delta").mode("append").save(silver);
      spark.range(0, 1).write().format("delta").save(gold);
      return null;
    });
    assertThatThrownBy(() -> log.<Void>record("wf", runId -> {
      spark.range(20, 30).write().format("delta").mode("append").save(silver);
      throw new IllegalStateException("silver loop failed");
    })).hasMessage("silver loop failed");

    List<Object> seen = log.record("wf", runId -> {
      spark.range(30, 40).write().format("delta").mode("append").save(silver); // partial silver
      RunChoice choice = RunSelector.choose(log.runs("wf", OptionalLong.empty()));
      WorkflowRun chosen = choice.chosen().orElseThrow();
      return List.of(choice,
          VersionResolver.resolve(silver, history.commits(TableLocation.path(silver)), chosen),
          VersionResolver.resolve(gold, history.commits(TableLocation.path(gold)), chosen));
    });

    RunChoice choice = (RunChoice) seen.get(0);
    assertThat(choice.chosen()).get().extracting(WorkflowRun::runId).isEqualTo(1L);
    assertThat(choice.skippedFailedRuns()).isEqualTo(1);
    assertThat(choice.overlapping()).isEmpty();
    TableCommit silverPin = (TableCommit) seen.get(1);
    TableCommit goldPin = (TableCommit) seen.get(2);
    assertThat(silverPin.version()).isEqualTo(1);
    assertThat(silverPin.runId()).hasValue(1);
    assertThat(silverPin.jobId()).hasValue(WF);
    assertThat(chosen(choice).jobId()).hasValue(WF);
    assertThat(goldPin.version()).isEqualTo(0);
    assertThat(idsAsOf(silver, silverPin.version()))
        .isEqualTo(java.util.stream.LongStream.range(0, 20).boxed().toList());
    // Both later runs' commits are in the history, stamped with their runs.
    List<Row> stamps = spark.sql("DESCRIBE HISTORY delta.`" + silver + "`")
        .orderBy("version").select("userMetadata").collectAsList();
    assertThat(stamps).extracting(r -> RunStamp.runId(r.getString(0)))
        .containsExactly(OptionalLong.of(1), OptionalLong.of(1), OptionalLong.of(2),
            OptionalLong.of(3));
  }

  private static WorkflowRun chosen(RunChoice choice) {
    return choice.chosen().orElseThrow();
  }
}
