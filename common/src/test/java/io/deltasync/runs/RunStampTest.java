package io.deltasync.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RunStampTest {

  @Test
  void stampIsSmallVersionedJson() {
    assertThat(RunStamp.userMetadata(12, "sample_workflow_1"))
        .isEqualTo("{\"deltasync_run\":{\"v\":1,\"run_id\":12,\"workflow\":\"sample_workflow_1\"}}");
  }

  @Test
  void runIdRoundTrips() {
    assertThat(RunStamp.runId(RunStamp.userMetadata(9_000_000_000L, "w \"quoted\"")))
        .isEqualTo(OptionalLong.of(9_000_000_000L));
  }

  @Test
  void otherUserMetadataHasNoRunId() {
    assertThat(RunStamp.runId(null)).isEmpty();
    assertThat(RunStamp.runId("")).isEmpty();
    assertThat(RunStamp.runId("nightly load by alice")).isEmpty();
    assertThat(RunStamp.runId("{\"run_id\":5}")).isEmpty();
    assertThat(RunStamp.runId("[1,2]")).isEmpty();
    assertThat(RunStamp.runId("{\"deltasync_run\":{\"run_id\":\"5\"}}")).isEmpty();
    assertThat(RunStamp.runId("{\"deltasync_run\":{\"run_id\":-5}}")).isEmpty();
    assertThat(RunStamp.runId("{\"deltasync_run\":{\"run_id\":1.5}}")).isEmpty();
  }

  @Test
  void negativeRunIdIsRefused() {
    assertThatThrownBy(() -> RunStamp.userMetadata(-1, "w"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a run id is never negative, got -1");
  }
}
