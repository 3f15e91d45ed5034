package io.deltasync.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.runs.WorkflowRun.Result;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunSelectorTest {

  static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

  static WorkflowRun run(long id, int startMin, Integer endMin, Result result) {
    return new WorkflowRun(id, "wf", T.plusSeconds(startMin * 60L),
        Optional.ofNullable(endMin).map(m -> T.plusSeconds(m * 60L)), result);
  }

  @Test
  void choosesTheNewestSuccessAndCountsTheFailuresSkipped() {
    WorkflowRun running = run(5, 50, null, Result.RUNNING);
    WorkflowRun failed = run(4, 40, 45, Result.FAILED);
    WorkflowRun canceled = run(3, 30, 35, Result.CANCELED);
    WorkflowRun success = run(2, 20, 25, Result.SUCCESS);
    WorkflowRun older = run(1, 10, 15, Result.SUCCESS);

    RunChoice choice = RunSelector.choose(List.of(running, failed, canceled, success, older));

    assertThat(choice).isEqualTo(new RunChoice(Optional.of(success), List.of(), 2));
    assertThat(choice.hasOverlap()).isFalse();
  }

  @Test
  void ordersRunsItselfWhateverTheInputOrder() {
    WorkflowRun older = run(1, 10, 15, Result.SUCCESS);
    WorkflowRun newer = run(2, 20, 25, Result.SUCCESS);
    assertThat(RunSelector.choose(List.of(older, newer)).chosen()).contains(newer);
  }

  @Test
  void neverChoosesARunningRunNorASuccessWithoutEnd() {
    // A run reported SUCCESS but without an end time is not finished (WorkflowRun.succeeded).
    WorkflowRun odd = run(3, 30, null, Result.SUCCESS);
    WorkflowRun running = run(2, 20, null, Result.RUNNING);
    WorkflowRun failed = run(1, 10, 12, Result.FAILED);

    assertThat(RunSelector.choose(List.of(odd, running, failed)))
        .isEqualTo(new RunChoice(Optional.empty(), List.of(), 1));
    assertThat(RunSelector.choose(List.of()))
        .isEqualTo(new RunChoice(Optional.empty(), List.of(), 0));
  }

  @Test
  void reportsRunsOverlappingTheChosenOne() {
    WorkflowRun laterStillRunning = run(6, 28, null, Result.RUNNING); // started before 5 ended
    WorkflowRun laterAfterEnd = run(7, 31, 33, Result.FAILED);        // started after: no overlap
    WorkflowRun chosen = run(5, 20, 30, Result.SUCCESS);
    WorkflowRun earlierEndedDuring = run(4, 15, 22, Result.FAILED);  // ran into the chosen one
    WorkflowRun earlierEndedAtStart = run(3, 10, 20, Result.SUCCESS); // ended as it started
    WorkflowRun laterStartedAtEnd = run(8, 30, 40, Result.SUCCESS);  // started as it ended

    RunChoice choice = RunSelector.choose(List.of(laterStartedAtEnd, laterAfterEnd,
        laterStillRunning, chosen, earlierEndedDuring, earlierEndedAtStart));

    assertThat(choice.chosen()).contains(laterStartedAtEnd);
    RunChoice withoutNewest = RunSelector.choose(List.of(laterAfterEnd, laterStillRunning, chosen,
        earlierEndedDuring, earlierEndedAtStart));
    assertThat(withoutNewest.chosen()).contains(chosen);
    assertThat(withoutNewest.overlapping()).containsExactly(laterStillRunning, earlierEndedDuring);
    assertThat(withoutNewest.skippedFailedRuns()).isEqualTo(1);
    assertThat(withoutNewest.hasOverlap()).isTrue();
  }

  @Test
  void choiceValidatesItself() {
    assertThatThrownBy(() -> new RunChoice(Optional.empty(), List.of(run(1, 0, 1, Result.FAILED)), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("overlapping runs without a chosen run");
    assertThatThrownBy(() -> new RunChoice(Optional.empty(), List.of(), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("skippedFailedRuns must not be negative: -1");
  }
}
