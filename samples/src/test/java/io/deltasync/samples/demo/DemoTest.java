package io.deltasync.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.failover.Rpo;
import io.deltasync.testing.SharedSpark;
import io.deltasync.samples.workspace.WorkspaceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  /** The sample tables' column counts (SampleWorkflow1 and SampleWorkflow2). */
  static final int BRONZE_COLUMNS = 6;
  static final int SILVER_COLUMNS = 5;
  static final int GOLD_COLUMNS = 5;
  static final int READINGS_COLUMNS = 4;
  static final int DAILY_COLUMNS = 6;

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
    assertThat(held).containsEntry("preflight-primary", true)
        .containsEntry("preflight-secondary", true)
        .containsEntry("killed-run-halted", true)
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

    // preflight, a job of each region's workspace after the first round: every check OK.
    Path root = settings.dir().toAbsolutePath();
    assertThat(preflight(progress, "primary")).containsExactlyElementsOf(
        allOk(root, "primary"));
    assertThat(preflight(progress, "secondary")).containsExactlyElementsOf(
        allOk(root, "secondary"));
    for (String region : List.of("primary", "secondary")) {
      assertThat(report.checks()).filteredOn(c -> c.name().equals("preflight-" + region))
          .singleElement().extracting(Check::detail).asString()
          .endsWith(" SUCCESS: preflight in the " + region + " region: 33 OK, 0 WARN, 0 FAIL");
    }

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

  /** The preflight lines the drill printed for a region's job run. */
  static List<String> preflight(List<String> progress, String region) {
    String prefix = "    " + region + " preflight: ";
    return progress.stream().filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length())).toList();
  }

  /**
   * Every preflight line of a region in the drill, all OK: the Jobs API principal's tokens of both
   * workspaces, each workspace's Jobs API and the permissions on the jobs failover and failback
   * switch, this region's five tables, the ledger and staging (the failback staging in the
   * secondary), retention, the jobs' settings compared across the workspaces, and each table's
   * schema against its staged copy.
   */
  static List<String> allOk(Path root, String region) throws IOException {
    Map<String, String> hosts = new LinkedHashMap<>();
    for (String side : List.of("primary", "secondary")) {
      hosts.put(side, "http://127.0.0.1:" + WorkspaceSpec.read(
          root.resolve("workspaces").resolve(side + ".workspace.json")).port());
    }
    String api = WorkspaceSpec.JOBS_API;
    List<String> lines = new ArrayList<>();
    hosts.keySet().forEach(side -> lines.add("OK secret demo/" + side + "-" + api
        + "-token: readable"));
    hosts.forEach((side, host) -> lines.add("OK jobs-api demo " + side + ": reached demo " + side
        + " " + host + " as " + api));
    Map<String, Integer> ids = Map.of(Demo.WF1, 1001, Demo.WF2, 1002,
        "deltasync_sender", 1003, "deltasync_receiver", 1004);
    Map<String, List<String>> switched = Map.of(
        "primary", List.of(Demo.WF1, Demo.WF2, "deltasync_sender", "deltasync_receiver"),
        "secondary", List.of(Demo.WF1, Demo.WF2, "deltasync_receiver", "deltasync_sender"));
    for (String side : hosts.keySet()) {
      for (String job : switched.get(side)) {
        lines.add("OK job-permission demo " + side + " " + job + ": job " + ids.get(job) + ", "
            + api + " has CAN_MANAGE");
      }
    }
    Map<String, List<String>> tables = new LinkedHashMap<>();
    tables.put(Demo.WF1, List.of(Demo.BRONZE, Demo.SILVER, Demo.GOLD));
    tables.put(Demo.WF2, List.of(Demo.READINGS, Demo.DAILY));
    Map<String, Integer> columns = Map.of(Demo.BRONZE, BRONZE_COLUMNS, Demo.SILVER, SILVER_COLUMNS,
        Demo.GOLD, GOLD_COLUMNS, Demo.READINGS, READINGS_COLUMNS, Demo.DAILY, DAILY_COLUMNS);
    forEachTable(tables, root, region, (group, path) -> lines.add("OK table " + group + " " + path
        + ": registered"));
    lines.add("OK storage demo ledger " + root + "/sync-secondary/_deltasync: wrote and deleted a"
        + " probe file");
    lines.add(region.equals("primary")
        ? "OK storage demo staging " + root + "/sync-secondary/demo: wrote and deleted a probe file"
        : "OK storage demo failback staging " + root + "/sync-primary: wrote and deleted a probe"
            + " file");
    forEachTable(tables, root, region, (group, path) -> lines.add("OK retention " + group + " "
        + path + ": log and deleted files kept longer than interval 30 minutes"));
    for (String job : List.of("sample_workflow_1", "sample_workflow_2", "deltasync_sender",
        "deltasync_receiver")) {
      // One JAR task: its key, main class and command line (the workflows' is one longer).
      lines.add("OK job-drift demo " + job + ": tasks, parameters and libraries match ("
          + (job.startsWith("sample") ? 9 : 8) + " fields)");
    }
    for (Map.Entry<String, List<String>> group : tables.entrySet()) {
      for (String table : group.getValue()) {
        lines.add("OK schema " + group.getKey() + " " + path(root, region, table) + ": same "
            + columns.get(table) + " columns as the staged copy");
      }
    }
    return lines;
  }

  private static void forEachTable(Map<String, List<String>> tables, Path root, String region,
      java.util.function.BiConsumer<String, String> action) {
    tables.forEach((group, names) -> names.forEach(t -> action.accept(group,
        path(root, region, t))));
  }

  /** Where a table of the drill's config lives in a region's folder. */
  private static String path(Path root, String region, String table) {
    return root.resolve(region).resolve(table.replace('.', '/')).toString();
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
