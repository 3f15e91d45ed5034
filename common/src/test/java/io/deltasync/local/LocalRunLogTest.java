package io.deltasync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import io.deltasync.runs.RunStamp;
import io.deltasync.runs.WorkflowRun.Result;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRunLogTest {

  /** The job of workflow "wf" in the local run log. */
  static final long WF = RunStamp.localJobId("wf");

  @TempDir Path region;

  /** A clock that moves one second each time it is read. */
  private static final class TickingClock extends Clock {
    private final AtomicLong seconds = new AtomicLong(1_700_000_000L);

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(seconds.getAndIncrement());
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final TickingClock clock = new TickingClock();
  private final SparkSession spark = SharedSpark.spark();

  private LocalRunLog log() {
    return new LocalRunLog(region.toString(), new Configuration(), clock, () -> spark);
  }

  @AfterEach
  void noStampLeftBehind() {
    assertThat(spark.conf().getOption(LocalRunLog.USER_METADATA_CONF).isDefined()).isFalse();
  }

  @Test
  void recordsSuccessfulRunsWithIncreasingIds() throws Exception {
    LocalRunLog log = log();
    long first = log.record("wf", runId -> runId);
    long second = log.record("wf", runId -> runId);
    long other = log.record("other", runId -> runId);

    assertThat(List.of(first, second, other)).containsExactly(1L, 2L, 3L);
    assertThat(log.runs("wf", OptionalLong.empty())).containsExactly(
        new WorkflowRun(2, "wf", WF, Instant.ofEpochSecond(1_700_000_002L),
            Optional.of(Instant.ofEpochSecond(1_700_000_003L)), Result.SUCCESS),
        new WorkflowRun(1, "wf", WF, Instant.ofEpochSecond(1_700_000_000L),
            Optional.of(Instant.ofEpochSecond(1_700_000_001L)), Result.SUCCESS));
    assertThat(log.runs("wf", OptionalLong.of(2))).extracting(WorkflowRun::runId).containsExactly(2L);
    assertThat(log.runs("never-ran", OptionalLong.empty())).isEmpty();
    // The run log holds one entry and one id marker per run, nothing else (no temp, no .crc).
    try (var files = Files.list(region.resolve("_runs"))) {
      TreeSet<String> names =
          files.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
      assertThat(names).containsExactly("00000000000000000001.id", "00000000000000000001.json",
              "00000000000000000002.id", "00000000000000000002.json",
              "00000000000000000003.id", "00000000000000000003.json");
    }
    assertThat(Files.readString(region.resolve("_runs/00000000000000000001.json"))).isEqualTo(
        "{\"format\":1,\"run_id\":1,\"workflow\":\"wf\",\"start\":\"2023-11-14T22:13:20Z\","
            + "\"end\":\"2023-11-14T22:13:21Z\",\"result\":\"SUCCESS\"}");
  }

  @Test
  void runIsRunningWhileTheBodyRuns() throws Exception {
    LocalRunLog log = log();
    List<WorkflowRun> seenDuringRun = log.record("wf", runId -> log.runs("wf", OptionalLong.empty()));
    assertThat(seenDuringRun).containsExactly(new WorkflowRun(
        1, "wf", WF, Instant.ofEpochSecond(1_700_000_000L), Optional.empty(), Result.RUNNING));
    assertThat(seenDuringRun.get(0).succeeded()).isFalse();
  }

  @Test
  void failureIsRecordedAndRethrown() {
    LocalRunLog log = log();
    IllegalStateException boom = new IllegalStateException("silver loop broke");
    assertThatThrownBy(() -> log.record("wf", runId -> {
          throw boom;
        }))
        .isSameAs(boom);
    assertThat(log.runs("wf", OptionalLong.empty())).containsExactly(new WorkflowRun(
        1, "wf", WF, Instant.ofEpochSecond(1_700_000_000L),
        Optional.of(Instant.ofEpochSecond(1_700_000_001L)), Result.FAILED));
  }

  @Test
  void interruptedRunIsCanceled() {
    LocalRunLog log = log();
    assertThatThrownBy(() -> log.record("wf", runId -> {
          throw new InterruptedException("stop");
        }))
        .isInstanceOf(InterruptedException.class);
    assertThat(log.runs("wf", OptionalLong.empty())).singleElement()
        .extracting(WorkflowRun::result).isEqualTo(Result.CANCELED);
  }

  @Test
  void stampsEveryDeltaCommitOfTheBodyAndRestoresTheConf() throws Exception {
    String table = region.resolve("c/s/t").toString();
    spark.conf().set(LocalRunLog.USER_METADATA_CONF, "set by the user");
    try {
      long runId = log().record("wf", id -> {
        spark.range(3).write().format("delta").save(table);
        spark.range(2).write().format("delta").mode("append").save(table);
        return id;
      });
      assertThat(spark.conf().get(LocalRunLog.USER_METADATA_CONF)).isEqualTo("set by the user");
      spark.range(1).write().format("delta").mode("append").save(table);

      List<Row> history = spark.sql("DESCRIBE HISTORY delta.`" + table + "`")
          .orderBy("version").select("version", "userMetadata").collectAsList();
      assertThat(history).extracting(r -> r.getLong(0)).containsExactly(0L, 1L, 2L);
      assertThat(history).extracting(r -> RunStamp.runId(r.getString(1)))
          .containsExactly(OptionalLong.of(runId), OptionalLong.of(runId), OptionalLong.empty());
      assertThat(history).extracting(r -> RunStamp.jobId(r.getString(1)))
          .containsExactly(OptionalLong.of(WF), OptionalLong.of(WF), OptionalLong.empty());
      assertThat(history.get(0).getString(1)).isEqualTo("{\"deltasync_run\":{\"v\":2,\"job_id\":"
          + WF + ",\"run_id\":" + runId + ",\"workflow\":\"wf\"}}");
      assertThat(history.get(2).getString(1)).isEqualTo("set by the user");
    } finally {
      spark.conf().unset(LocalRunLog.USER_METADATA_CONF);
    }
  }

  @Test
  void secondRunInTheSameSessionIsRefused() throws Exception {
    LocalRunLog log = log();
    assertThatThrownBy(() -> log.record("outer", outer -> log.record("inner", inner -> inner)))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("Cannot record a run of workflow inner: a run of workflow outer is"
            + " being recorded in the same Spark session");
    assertThat(log.runs("inner", OptionalLong.empty())).isEmpty();
    assertThat(log.runs("outer", OptionalLong.empty())).singleElement()
        .extracting(WorkflowRun::result).isEqualTo(Result.FAILED);
    // The refusal leaves nothing locked: the next run goes ahead.
    long next = log.record("inner", id -> id);
    assertThat(next).isEqualTo(2L);
  }

  @Test
  void concurrentLaunchersGetDistinctIds() throws Exception {
    int launchers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(launchers);
    CountDownLatch go = new CountDownLatch(1);
    Set<Long> ids = new ConcurrentSkipListSet<>();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < launchers; i++) {
        // Each launcher has its own log object (as separate processes would) on the same folder.
        LocalRunLog log = log();
        futures.add(pool.submit(() -> {
          go.await();
          for (int r = 0; r < 5; r++) {
            ids.add(allocate(log));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ids).hasSize(launchers * 5).first().isEqualTo(1L);
    assertThat(ids).last().isEqualTo((long) launchers * 5);
  }

  /** Allocates an id the way record does (record itself needs one session per run). */
  private static long allocate(LocalRunLog log) throws Exception {
    var method = LocalRunLog.class.getDeclaredMethod("allocateRunId", String.class);
    method.setAccessible(true);
    return (long) method.invoke(log, "wf");
  }

  @Test
  void killedRunStaysRunning() throws Exception {
    LocalRunLog log = log();
    log.record("wf", id -> id);
    // A process killed during its run leaves the RUNNING entry it wrote at the start.
    Files.writeString(region.resolve("_runs/00000000000000000002.id"), "");
    Files.writeString(region.resolve("_runs/00000000000000000002.json"),
        "{\"format\":1,\"run_id\":2,\"workflow\":\"wf\",\"start\":\"2023-11-14T23:00:00Z\","
            + "\"end\":null,\"result\":\"RUNNING\"}");
    assertThat(log.runs("wf", OptionalLong.empty())).extracting(WorkflowRun::result)
        .containsExactly(Result.RUNNING, Result.SUCCESS);
    long next = log.record("wf", id -> id);
    assertThat(next).isEqualTo(3L);
  }

  @Test
  void corruptEntryIsNamed() throws IOException {
    Files.createDirectories(region.resolve("_runs"));
    Path entry = region.resolve("_runs/00000000000000000007.json");
    Files.writeString(entry, "{\"format\":1,\"run_id\":7}");
    assertThatThrownBy(() -> log().runs("wf", OptionalLong.empty()))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("Run log entry " + "file:" + entry + " cannot be read: a field is"
            + " missing or malformed");
    Files.writeString(entry, "{\"format\":2,\"run_id\":7}");
    assertThatThrownBy(() -> log().runs("wf", OptionalLong.empty()))
        .hasMessageContaining("its format 2 is not 1");
    Files.writeString(entry, "not json");
    assertThatThrownBy(() -> log().runs("wf", OptionalLong.empty()))
        .hasMessageContaining("it is not JSON");
  }

  @Test
  void blankWorkflowIsRefused() {
    assertThatThrownBy(() -> log().record(" ", id -> id))
        .isInstanceOf(SyncException.class)
        .hasMessage("a local workflow run needs a workflow name, got a blank one");
  }
}
