package io.deltasync.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.failover.Rpo;
import io.deltasync.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the demo's engine once at its smallest size (one round before the killed run) on the
 * shared Spark session: every check must hold, and the closing table must say what the drill did.
 * The killed run really is a second JVM halted in its silver loop.
 */
class DemoTest {

  @TempDir Path dir;

  @Test
  void theDrillHoldsEveryCheck() throws Exception {
    List<String> progress = new ArrayList<>();
    Demo.Settings settings = new Demo.Settings(dir.resolve("demo"), 1, 3, 2);

    DemoReport report = new Demo(SharedSpark.spark(), settings, progress::add).run();

    assertThat(report.failed()).as("failed checks").isEmpty();
    assertThat(report.passed()).isTrue();
    Map<String, Boolean> held = report.checks().stream()
        .collect(Collectors.toMap(Check::name, Check::held, (a, b) -> a && b));
    assertThat(held).containsEntry("killed-run-halted", true)
        .containsEntry("killed-run-left-running", true)
        .containsEntry("partial-silver-in-primary", true)
        .containsEntry("partial-silver-differs", true)
        .containsEntry("killed-run-not-staged", true)
        .containsEntry("staging-equals-last-completed-workflow_1_bronze", true)
        .containsEntry("staging-equals-last-completed-workflow_1_silver", true)
        .containsEntry("staging-equals-last-completed-workflow_1_gold", true)
        .containsEntry("staging-excludes-partial-silver", true)
        .containsEntry("failover-complete", true)
        .containsEntry("recovered-to-last-completed-run", true)
        .containsEntry("rolled-forward", true)
        .containsEntry("rpo-counts-lost-run", true)
        .containsEntry("primary-paused", true)
        .containsEntry("secondary-promoted", true)
        .containsEntry("verify", true)
        .containsEntry("secondary-equals-recovery-point-workflow_1_silver", true)
        .containsEntry("resumed-equals-uninterrupted", true)
        .containsEntry("resumed-days-complete", true)
        .containsEntry("failback-complete", true)
        .containsEntry("primary-equals-secondary-workflow_1_silver", true)
        .containsEntry("primary-equals-secondary-workflow_2_daily", true)
        .containsEntry("primary-back-in-service", true);

    assertThat(report.groups()).extracting(DemoReport.GroupSummary::group)
        .containsExactly("sample_workflow_1", "sample_workflow_2");
    for (DemoReport.GroupSummary g : report.groups()) {
      assertThat(g.status()).isEqualTo("PROMOTED");
      assertThat(g.verify()).isEqualTo("VERIFIED");
      assertThat(g.bytesSent()).isPositive();
      assertThat(g.runId()).isPresent();
      assertThat(g.runEnd()).isPresent();
    }
    assertThat(report.groups().get(0).tables()).hasSize(3);
    assertThat(report.groups().get(1).tables()).hasSize(2);
    assertThat(report.groups().get(0).rpo()).map(Rpo::runsNotRecovered).contains(0);
    assertThat(report.groups().get(1).rpo()).map(Rpo::runsNotRecovered).contains(1);

    assertThat(progress).filteredOn(l -> l.startsWith("[step "))
        .hasSize(Demo.STEPS)
        .first().asString().startsWith("[step 1/" + Demo.STEPS + "]");
    assertThat(report.lines()).last().asString().contains("checks held")
        .contains("DEMO PASSED");
    assertThat(report.lines().get(0)).contains("GROUP", "RPO", "BYTES SENT", "VERIFY");

    // The drill report, in the drill's folder.
    List<Path> files;
    try (java.util.stream.Stream<Path> list = java.nio.file.Files.list(settings.dir())) {
      files = list.filter(f -> f.getFileName().toString().startsWith("drill-")).sorted().toList();
    }
    assertThat(files).hasSize(2);
    String md = java.nio.file.Files.readString(files.get(1));
    assertThat(files.get(1).getFileName().toString()).endsWith(".md");
    assertThat(md).startsWith("# Disaster Recovery Test Report\n")
        .contains("- **Recovery Time (RTO):** ", "objective 4h 00m 00s: met",
            "- **Functionality Restored:** FULLY", "## Issues Encountered\nNone.\n")
        .containsPattern("\\| sample_workflow_1 \\| yes \\| \\d+ \\| [^|]+ \\| 0 \\| 0s \\|")
        .containsPattern("\\| sample_workflow_2 \\| yes \\| \\d+ \\| [^|]+ \\| 1 \\| ")
        .containsPattern("\\| sample_workflow_2 \\| dr_test_catalog.raw.workflow_2_readings \\| [1-9]\\d* \\|");
    String html = java.nio.file.Files.readString(files.get(0));
    assertThat(html).contains("data-group=\"sample_workflow_1\"", "data-group=\"sample_workflow_2\"")
        .doesNotContain("<script");
  }

  @Test
  void refusesToWipeAFolderThatIsNotADemo() throws Exception {
    Path precious = dir.resolve("precious");
    Files.createDirectories(precious);
    Files.writeString(precious.resolve("data.csv"), "keep me");

    Demo demo = new Demo(SharedSpark.spark(), Demo.Settings.defaults(precious), line -> { });

    assertThatThrownBy(demo::run)
        .hasMessageContaining("--dir " + precious)
        .hasMessageContaining("holds no deltasync.json of a previous demo");
    assertThat(precious.resolve("data.csv")).hasContent("keep me");
  }

  @Test
  void settingsRefuseAKillOutsideTheSilverLoop() {
    assertThatThrownBy(() -> new Demo.Settings(dir, 1, 3, 3))
        .hasMessageContaining("silver loops 3, kill after commit 3");
    assertThatThrownBy(() -> new Demo.Settings(dir, 0, 3, 2))
        .hasMessageContaining("--rounds is 0");
  }
}
