package io.deltasync.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RunStampTest {

  @Test
  void stampIsSmallVersionedJson() {
    assertThat(RunStamp.userMetadata(7311, 12, "sample_workflow_1")).isEqualTo(
        "{\"deltasync_run\":{\"v\":2,\"job_id\":7311,\"run_id\":12,"
            + "\"workflow\":\"sample_workflow_1\"}}");
  }

  @Test
  void localStampCarriesTheWorkflowsLocalJobId() {
    long job = RunStamp.localJobId("sample_workflow_1");
    assertThat(RunStamp.userMetadata(12, "sample_workflow_1"))
        .isEqualTo(RunStamp.userMetadata(job, 12, "sample_workflow_1"));
    assertThat(RunStamp.jobId(RunStamp.userMetadata(12, "sample_workflow_1"))).hasValue(job);
  }

  @Test
  void localJobIdsAreStableDistinctAndJsonSafe() {
    // From SHA-256("sample_workflow_1"): the same in every process, region and release.
    assertThat(RunStamp.localJobId("sample_workflow_1"))
        .isEqualTo(RunStamp.localJobId("sample_workflow_1"))
        .isNotEqualTo(RunStamp.localJobId("sample_workflow_2"))
        .isBetween(0L, (1L << 53) - 1);
    assertThat(RunStamp.localJobId("sample_workflow_1")).isEqualTo(4_046_455_431_927_049L);
    // SHA-256("") starts e3b0c44298fc1c14: its low 53 bits.
    assertThat(RunStamp.localJobId("")).isEqualTo(0x10c44298fc1c14L);
  }

  @Test
  void versionOneStampsBelongToTheirWorkflowsLocalJob() {
    String v1 = "{\"deltasync_run\":{\"v\":1,\"run_id\":12,\"workflow\":\"wf\"}}";
    assertThat(RunStamp.runId(v1)).hasValue(12);
    assertThat(RunStamp.jobId(v1)).hasValue(RunStamp.localJobId("wf"));
  }

  @Test
  void jobIdRoundTrips() {
    assertThat(RunStamp.jobId(RunStamp.userMetadata(1_100_000_000_000_000L, 3, "w")))
        .hasValue(1_100_000_000_000_000L);
    assertThat(RunStamp.jobId("{\"deltasync_run\":{\"v\":2,\"job_id\":\"7\",\"run_id\":3}}"))
        .isEmpty();
    assertThat(RunStamp.jobId("{\"deltasync_run\":{\"v\":2,\"job_id\":7}}")).isEmpty();
    assertThat(RunStamp.jobId("nightly load by alice")).isEmpty();
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
    assertThatThrownBy(() -> RunStamp.userMetadata(-2, 1, "w"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a job id is never negative, got -2");
  }
}
