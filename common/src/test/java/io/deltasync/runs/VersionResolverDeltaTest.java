package io.deltasync.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runs.WorkflowRun.Result;
import io.deltasync.spark.SparkTableHistory;
import io.deltasync.table.TableLocation;
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
  static final WorkflowRun RUN_20 =
      new WorkflowRun(20, "wf", END.minusSeconds(3600), Optional.of(END), Result.SUCCESS);

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
        new TableCommit(4, minutes(10), OptionalLong.empty()),
        new TableCommit(3, END.minusSeconds(30), OptionalLong.of(21)),
        new TableCommit(2, minutes(-1), OptionalLong.of(20)),
        new TableCommit(1, minutes(-30), OptionalLong.of(20)),
        new TableCommit(0, minutes(-120), OptionalLong.empty()));

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

    assertThat(pinned).isEqualTo(new TableCommit(1, minutes(-50), OptionalLong.empty()));
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
        new TableCommit(2, minutes(-10).plusMillis(1), OptionalLong.empty()));

    WorkflowRun endedBetween = new WorkflowRun(
        20, "wf", minutes(-100), Optional.of(minutes(-15)), Result.SUCCESS);
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
    WorkflowRun run = new WorkflowRun(20, "wf", ictV1.minusSeconds(60), Optional.of(ictV1),
        Result.SUCCESS);
    assertThat(VersionResolver.resolve(table, commits, run).version()).isEqualTo(1);
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
}
