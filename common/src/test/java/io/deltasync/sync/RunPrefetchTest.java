package io.deltasync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.runs.RunSource;
import io.deltasync.runs.WorkflowRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunPrefetchTest {

  private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

  /** Answers one run per workflow, numbered by its argument; records every call. */
  private static final class Source implements RunSource {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public List<WorkflowRun> runs(String workflow, OptionalLong notBeforeRunId) {
      calls.add(workflow + "@" + notBeforeRunId);
      if (workflow.equals("missing")) {
        throw new IllegalArgumentException("no job named missing");
      }
      return List.of(new WorkflowRun(notBeforeRunId.orElse(0) + 1, workflow, T,
          Optional.of(T), WorkflowRun.Result.SUCCESS));
    }
  }

  @Test
  void eachRequestIsAskedOnceAndAnsweredWithWhatTheSourceAnswered() {
    Source source = new Source();
    List<RunPrefetch.Request> requests = List.of(
        new RunPrefetch.Request("a", OptionalLong.empty()),
        new RunPrefetch.Request("b", OptionalLong.of(7)),
        new RunPrefetch.Request("b", OptionalLong.of(7)));
    try (RunPrefetch runs = new RunPrefetch(source, requests, "test")) {
      assertThat(runs.runs("b", OptionalLong.of(7))).extracting(WorkflowRun::runId)
          .containsExactly(8L);
      assertThat(runs.runs("a", OptionalLong.empty())).extracting(WorkflowRun::runId)
          .containsExactly(1L);
      // Taken already, or never prefetched with these arguments: the source is asked again.
      assertThat(runs.runs("b", OptionalLong.of(7))).extracting(WorkflowRun::runId)
          .containsExactly(8L);
      assertThat(runs.runs("a", OptionalLong.of(3))).extracting(WorkflowRun::runId)
          .containsExactly(4L);
    }
    assertThat(source.calls).containsExactlyInAnyOrder("a@OptionalLong.empty",
        "b@OptionalLong[7]", "b@OptionalLong[7]", "a@OptionalLong[3]");
  }

  @Test
  void aFailedRequestThrowsWhatTheSourceThrewToTheGroupThatTakesIt() {
    try (RunPrefetch runs = new RunPrefetch(new Source(),
        List.of(new RunPrefetch.Request("missing", OptionalLong.empty())), "test")) {
      assertThatThrownBy(() -> runs.runs("missing", OptionalLong.empty()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no job named missing");
    }
  }

  @Test
  void requestsRunAtOnceUpToTheLimit() throws Exception {
    CountDownLatch all = new CountDownLatch(RunPrefetch.AT_ONCE);
    RunSource waiting = (workflow, notBefore) -> {
      all.countDown();
      try {
        // Each call returns only once AT_ONCE calls are in flight together.
        if (!all.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("only " + (RunPrefetch.AT_ONCE - all.getCount())
              + " calls at once");
        }
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return List.of();
    };
    List<RunPrefetch.Request> requests = new ArrayList<>();
    for (int i = 0; i < RunPrefetch.AT_ONCE; i++) {
      requests.add(new RunPrefetch.Request("w" + i, OptionalLong.empty()));
    }
    try (RunPrefetch runs = new RunPrefetch(waiting, requests, "test")) {
      for (int i = 0; i < RunPrefetch.AT_ONCE; i++) {
        assertThat(runs.runs("w" + i, OptionalLong.empty())).isEmpty();
      }
    }
  }
}
