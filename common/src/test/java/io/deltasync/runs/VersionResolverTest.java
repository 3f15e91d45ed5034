package io.deltasync.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import io.deltasync.runs.WorkflowRun.Result;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The pinning rule on synthetic histories (the real-Delta twin is VersionResolverDeltaTest). */
class VersionResolverTest {

  static final Instant END = Instant.parse("2026-11-23T11:00:00Z");
  /** The workflow's job. */
  static final long JOB = 7;
  /** The receiver's job: its run ids are larger than the workflow's. */
  static final long RECEIVER = 8;
  /** An upstream ingest job writing the same table. */
  static final long INGEST = 9;
  static final WorkflowRun RUN =
      new WorkflowRun(20, "wf", JOB, END.minusSeconds(3600), Optional.of(END), Result.SUCCESS);

  /** A commit of the workflow's job by {@code runId}, or of no known job when null. */
  static TableCommit commit(long version, long secondsFromEnd, Long runId) {
    return runId == null
        ? TableCommit.unattributed(version, END.plusSeconds(secondsFromEnd))
        : TableCommit.byRun(version, END.plusSeconds(secondsFromEnd), JOB, runId);
  }

  static TableCommit commitOf(long job, long version, long secondsFromEnd, long runId) {
    return TableCommit.byRun(version, END.plusSeconds(secondsFromEnd), job, runId);
  }

  @Test
  void newestCommitOfTheRunOrBeforeIt() {
    List<TableCommit> history = List.of(
        commit(4, 600, 21L),   // the next run
        commit(3, -60, 20L),   // the run's last commit
        commit(2, -120, 20L),
        commit(1, -7200, 19L), // an earlier run
        commit(0, -9000, null));
    assertThat(VersionResolver.resolve("c.s.t", history, RUN)).isEqualTo(history.get(1));
  }

  @Test
  void commitAtExactlyTheEndCounts() {
    List<TableCommit> history = List.of(commit(1, 1, null), commit(0, 0, null));
    assertThat(VersionResolver.resolve("c.s.t", history, RUN).version()).isEqualTo(0);
  }

  @Test
  void laterRunsCommitNeverCountsEvenWhenSkewPutsItBeforeTheEnd() {
    List<TableCommit> history = List.of(
        commit(3, -5, null),   // after the later run's commit: includes it, so never counts
        commit(2, -10, 21L),   // later run, stamped, but its time says before the end
        commit(1, -60, 20L),
        commit(0, -9000, null));
    assertThat(VersionResolver.resolve("c.s.t", history, RUN).version()).isEqualTo(1);
  }

  @Test
  void runsOwnCommitCountsEvenWhenSkewPutsItAfterTheEnd() {
    List<TableCommit> history = List.of(
        commit(2, 3, 20L),   // the run's last commit, storage clock 3 s ahead of the Jobs API's
        commit(1, -60, 20L),
        commit(0, -9000, null));
    assertThat(VersionResolver.resolve("c.s.t", history, RUN).version()).isEqualTo(2);
  }

  @Test
  void earlierRunStillWritingAfterTheEndDoesNotCount() {
    List<TableCommit> history = List.of(
        commit(2, 30, 19L), // an overlapping earlier run, after the end
        commit(1, -30, 19L),
        commit(0, -9000, null));
    assertThat(VersionResolver.resolve("c.s.t", history, RUN).version()).isEqualTo(1);
  }

  @Test
  void tableTheRunDidNotWriteResolvesToItsVersionAtTheEnd() {
    List<TableCommit> history = List.of(
        commit(3, 7200, null), commit(2, 10, null), commit(1, -10, null), commit(0, -9000, null));
    assertThat(VersionResolver.resolve("c.s.t", history, RUN).version()).isEqualTo(1);
  }

  @Test
  void orderOfTheHistoryDoesNotMatter() {
    List<TableCommit> history = List.of(
        commit(0, -9000, null), commit(2, 600, 21L), commit(1, -60, 20L));
    assertThat(VersionResolver.resolve("c.s.t", history, RUN).version()).isEqualTo(1);
  }

  @Test
  void tableCreatedAfterTheRunEndedHasNoVersion() {
    List<TableCommit> history = List.of(commit(1, 120, null), commit(0, 60, null));
    assertThatThrownBy(() -> VersionResolver.resolve("c.s.gold", history, RUN))
        .isInstanceOf(SyncException.class)
        .hasMessage("Table c.s.gold has no commit made by run 20 or before its end at"
            + " 2026-11-23T11:00:00Z (its oldest commit in the history is version 0 at"
            + " 2026-11-23T11:01:00Z): the table did not exist when the run ended, or its history"
            + " before then was cleaned up (delta.logRetentionDuration); remove the table from the"
            + " group or wait for a run after its creation");
  }

  @Test
  void tableCreatedByALaterRunHasNoVersion() {
    List<TableCommit> history = List.of(commit(0, -30, 21L));
    assertThatThrownBy(() -> VersionResolver.resolve("c.s.gold", history, RUN))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("(its oldest commit in the history is version 0 at"
            + " 2026-11-23T10:59:30Z by job 7 run 21)");
    assertThatThrownBy(() -> VersionResolver.resolve("c.s.gold", List.of(), RUN))
        .hasMessageContaining("(its history is empty)");
  }

  @Test
  void interleavedRunsAreRefused() {
    List<TableCommit> history = List.of(
        commit(3, -5, 20L),  // the chosen run wrote again after...
        commit(2, -10, 21L), // ...a later run's commit
        commit(1, -60, 20L),
        commit(0, -9000, null));
    assertThatThrownBy(() -> VersionResolver.resolve("c.s.silver", history, RUN))
        .isInstanceOf(SyncException.class)
        .hasMessage("Table c.s.silver: run 20 committed version 3 after version 2 of the later"
            + " run 21, so no version holds exactly the state at the end of run 20 (the runs"
            + " overlapped); the group is not synced to this run: set the job's max concurrent"
            + " runs to 1, a later run will be synced");
  }

  @Test
  void runningRunCannotBePinned() {
    WorkflowRun running =
        new WorkflowRun(21, "wf", END, Optional.empty(), Result.RUNNING);
    assertThatThrownBy(() -> VersionResolver.resolve("c.s.t", List.of(commit(0, 0, null)), running))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("run 21 of wf has not ended: it cannot be pinned");
  }

  @Test
  void otherJobsLargerRunIdsAreNotLaterRunsOfTheWorkflow() {
    List<TableCommit> history = List.of(
        commitOf(INGEST, 6, 40, 3),         // after the end: does not count
        commitOf(RECEIVER, 5, 20, 5001),    // after the end: does not count
        commit(4, 2, 20L),                  // the run's last commit, storage clock 2 s ahead
        commitOf(INGEST, 3, -30, 2),        // before the end: counts
        commitOf(RECEIVER, 2, -60, 5000),   // larger run id, another job, before the end: counts
        commit(1, -120, 20L),
        commitOf(INGEST, 0, -9000, 1));
    assertThat(VersionResolver.resolve("c.s.t", history, RUN)).isEqualTo(history.get(2));
  }

  @Test
  void anotherJobsRunWithTheRunsIdIsNotTheRun() {
    List<TableCommit> history = List.of(
        commitOf(INGEST, 2, 5, 20),   // run id 20 of another job, after the end: not the run's
        commit(1, -60, 20L),
        commit(0, -9000, null));
    assertThat(VersionResolver.resolve("c.s.t", history, RUN).version()).isEqualTo(1);
  }

  @Test
  void otherJobsCommitsNeverCutTheHistoryLikeALaterRunDoes() {
    List<TableCommit> history = List.of(
        commit(3, -5, 20L),                 // the run's commit after the receiver's: no interleave
        commitOf(RECEIVER, 2, -10, 5000),
        commit(1, -60, 20L),
        commit(0, -9000, null));
    assertThat(VersionResolver.resolve("c.s.silver", history, RUN).version()).isEqualTo(3);
  }

  /**
   * A run that triggers the sender from its last task is read as ending with its data tasks
   * (JobsApiRunSource): commits of other jobs while the sender runs come after that end.
   */
  @Test
  void runEndingWithItsDataTasksIsPinnedThereWhileItsSenderRuns() {
    List<TableCommit> history = List.of(
        commitOf(INGEST, 2, 90, 4),   // an upstream ingest while the triggered sender runs
        commit(1, -5, 20L),           // the data task's last commit
        commit(0, -9000, null));
    assertThat(VersionResolver.resolve("c.s.t", history, RUN)).isEqualTo(history.get(1));
  }

  @Test
  void runOfAnUnknownJobIsPinnedByTimeAlone() {
    WorkflowRun unknown =
        new WorkflowRun(20, "wf", END.minusSeconds(3600), Optional.of(END), Result.SUCCESS);
    List<TableCommit> history = List.of(
        commit(3, 3, 20L),    // the run's by its stamp, but its job is not known: after the end
        commit(2, -10, 21L),  // a later run's by its stamp: before the end, so it counts
        commit(1, -60, 20L),
        commit(0, -9000, null));
    assertThat(VersionResolver.resolve("c.s.t", history, unknown).version()).isEqualTo(2);
  }
}
