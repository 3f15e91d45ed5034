package io.deltasync.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.testing.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's lifecycle section (issue 12's three sequences through the real commands) on the
 * shared Spark session: every check holds, and each sequence asserts what the issue asks.
 */
class LifecycleSequencesTest {

  @TempDir Path dir;

  @Test
  void theThreeSequencesEndCorrectly() throws Exception {
    List<String> progress = new ArrayList<>();

    List<Check> checks = new LifecycleSequences(SharedSpark.spark(), dir.resolve("lifecycle"),
        progress::add).run(10);

    assertThat(checks.stream().filter(c -> !c.held()).toList()).as(String.join("\n", progress))
        .isEmpty();
    assertThat(checks).allMatch(c -> c.step() == 10);
    assertThat(checks).extracting(Check::name).containsExactly(
        "failback-then-send-cycle",
        "failback-then-send-secondary-equals-primary-workflow_2_readings",
        "failback-then-send-secondary-equals-primary-workflow_2_daily",
        "failback-then-send-days",
        "failback-then-send-verify",
        "late-sender-refused",
        "failover-again-keeps-secondary-writes-workflow_2_readings",
        "failover-again-keeps-secondary-writes-workflow_2_daily",
        "failover-again-next-run-continues",
        "lost-file-reported-damaged",
        "lost-file-nothing-applied-workflow_2_readings",
        "lost-file-nothing-applied-workflow_2_daily",
        "lost-file-healed-workflow_2_readings",
        "lost-file-healed-workflow_2_daily");
    assertThat(progress).contains("ok   failback-then-send-days: the secondary holds days"
        + " [1, 2, 3] (expected [1, 2, 3]: the primary's current state)");
  }
}
