package io.deltasync.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.runs.WorkflowRun.Result;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunSource} does, run against each implementation that can run here (the
 * local run log, and the Jobs API through the real SDK against WireMock).
 */
public abstract class RunSourceContract {

  static final Instant T = Instant.parse("2026-11-23T08:00:00Z");

  /** Makes the source hold these runs of {@code workflow} (given newest first). */
  protected abstract void seed(String workflow, List<WorkflowRun> runsNewestFirst) throws Exception;

  protected abstract RunSource source();

  /** The job id the source gives the runs of {@code workflow}. */
  protected abstract long jobId(String workflow);

  /** The seeded runs as the source reports them: each a run of the workflow's job. */
  List<WorkflowRun> ofJob(List<WorkflowRun> runs) {
    return runs.stream().map(r -> new WorkflowRun(r.runId(), r.workflow(), jobId(r.workflow()),
        r.start(), r.end(), r.result())).toList();
  }

  static WorkflowRun run(String workflow, long id, int startMin, Integer endMin, Result result) {
    return new WorkflowRun(id, workflow, T.plusSeconds(startMin * 60L),
        Optional.ofNullable(endMin).map(m -> T.plusSeconds(m * 60L)), result);
  }

  final List<WorkflowRun> history = List.of(
      run("wf", 15, 50, null, Result.RUNNING),
      run("wf", 14, 40, 45, Result.FAILED),
      run("wf", 13, 30, 35, Result.CANCELED),
      run("wf", 12, 20, 25, Result.SUCCESS),
      run("wf", 11, 10, 15, Result.SUCCESS));

  @Test
  void listsEveryRunNewestFirst() throws Exception {
    seed("wf", history);
    assertThat(source().runs("wf", OptionalLong.empty())).containsExactlyElementsOf(ofJob(history));
  }

  @Test
  void stopsAtTheRunAlreadySyncedIncludingIt() throws Exception {
    seed("wf", history);
    assertThat(source().runs("wf", OptionalLong.of(13)))
        .extracting(WorkflowRun::runId).containsExactly(15L, 14L, 13L);
    assertThat(source().runs("wf", OptionalLong.of(16))).isEmpty();
  }

  @Test
  void noRunsYet() throws Exception {
    seed("wf", List.of());
    assertThat(source().runs("wf", OptionalLong.empty())).isEmpty();
  }

  @Test
  void choosesTheSameRunWhateverTheSource() throws Exception {
    seed("wf", history);
    RunChoice choice = RunSelector.choose(source().runs("wf", OptionalLong.empty()));
    assertThat(choice).isEqualTo(new RunChoice(Optional.of(ofJob(history).get(3)), List.of(), 2));
  }
}
