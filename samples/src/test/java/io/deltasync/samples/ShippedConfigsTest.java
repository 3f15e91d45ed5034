package io.deltasync.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.config.ConfigLoader;
import io.deltasync.config.Credentials;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.samples.RunWorkflowCommand.Region;
import io.deltasync.samples.RunWorkflowCommand.RunOptions;
import io.deltasync.table.TableName;
import io.deltasync.testing.SharedSpark;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configs shipped in samples/config load, describe the sample set-up, and name only tables that
 * the sample workflows create: the shipped sender has something to send on its first cycle.
 */
class ShippedConfigsTest {

  private static final Path CONFIGS = configs();

  @Test
  void theLocalConfigPutsBothRegionsUnderTheWorkingFolder() {
    DeltaSyncConfig config = ConfigLoader.load(CONFIGS.resolve("local.conf"), Map.of("PWD", "/srv/deltasync"));

    WorkspaceConfig workspace = config.workspaces().get(0);
    assertThat(workspace.local()).contains(new LocalRegions(
        "/srv/deltasync/.deltasync/regions/primary", "/srv/deltasync/.deltasync/regions/secondary"));
    assertThat(workspace.syncLocationPrimary()).isEqualTo("/srv/deltasync/.deltasync/regions/primary/_sync");
    assertThat(workspace.syncLocationSecondary()).isEqualTo("/srv/deltasync/.deltasync/regions/secondary/_sync");
    assertSampleGroups(config);
  }

  @Test
  void theDatabricksConfigNamesTheBundleJobsAsWorkflows() {
    DeltaSyncConfig config = ConfigLoader.load(CONFIGS.resolve("databricks.json"), Map.of());

    WorkspaceConfig workspace = config.workspaces().get(0);
    assertThat(workspace.embedded()).isFalse();
    assertThat(workspace.syncInterval()).isEqualTo(Duration.ofMinutes(15));
    // A PAT works only in its own workspace: the secondary has its own.
    assertThat(workspace.primaryWorkspaceCredentials())
        .isEqualTo(new Credentials.Pat(new SecretRef("deltasync", "sender-pat")));
    assertThat(workspace.secondaryWorkspaceCredentials())
        .isEqualTo(new Credentials.Pat(new SecretRef("deltasync", "sender-pat-secondary")));
    assertSampleGroups(config);
  }

  /**
   * Runs each group's workflow once, as {@code ./deltasync run-workflow} does, on real Delta tables
   * in the local primary region, then finds exactly the config's tables there.
   */
  @Test
  void theLocalConfigNamesOnlyTablesTheSampleWorkflowsCreate(@TempDir Path dir) throws Exception {
    DeltaSyncConfig config = ConfigLoader.load(CONFIGS.resolve("local.conf"), Map.of("PWD", dir.toString()));
    SparkSession spark = SharedSpark.spark();

    for (SyncGroup group : config.allGroups()) {
      String workflow = group.workflow().orElseThrow(() -> new AssertionError(
          "group " + group.name() + " has no workflow: nothing creates its tables"));
      boolean landing = workflow.equals(SampleWorkflow1.NAME);
      RunWorkflowCommand.run(config, workflow, Region.primary,
          new RunOptions(landing ? OptionalInt.of(1) : OptionalInt.empty(), OptionalInt.empty(), landing), spark);
    }

    Path primary = dir.resolve(".deltasync/regions/primary");
    Set<String> configured = new TreeSet<>();
    config.allGroups().forEach(g -> g.tables().forEach(t -> configured.add(t.source().toString())));
    Set<String> created = deltaTablesUnder(primary);
    assertThat(created).isEqualTo(configured);
    for (String table : configured) {
      String path = primary.resolve(TableName.parse(table).relativePath()).toString();
      assertThat(DeltaTable.isDeltaTable(spark, path)).as(table).isTrue();
      assertThat(spark.read().format("delta").load(path).count()).as(table).isPositive();
    }
  }

  /** catalog.schema.table of every Delta table (a folder with a _delta_log) under a region folder. */
  private static Set<String> deltaTablesUnder(Path region) throws IOException {
    Set<String> tables = new TreeSet<>();
    try (Stream<Path> logs = Files.walk(region)) {
      for (Path log : logs.filter(p -> p.getFileName().toString().equals("_delta_log")).toList()) {
        Path table = region.relativize(log.getParent());
        tables.add(String.join(".", List.of(table.getName(0).toString(), table.getName(1).toString(),
            table.getName(2).toString())));
      }
    }
    return tables;
  }

  private static void assertSampleGroups(DeltaSyncConfig config) {
    assertThat(config.allGroups()).extracting(SyncGroup::name)
        .containsExactly("sample_workflow_1", "sample_workflow_2");
    assertThat(config.allGroups()).extracting(SyncGroup::workflow).containsExactly(
        Optional.of("sample_workflow_1"), Optional.of("sample_workflow_2"));
    assertThat(config.allGroups().get(0).tables()).extracting(t -> t.source().toString()).containsExactly(
        "dr_test_catalog.raw.workflow_1_bronze", "dr_test_catalog.stage.workflow_1_silver",
        "dr_test_catalog.main.workflow_1_gold");
  }

  private static Path configs() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("samples/config"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no samples/config above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("samples/config");
  }
}
