package io.deltasync.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.config.ConfigLoader;
import io.deltasync.config.Credentials;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The configs shipped in samples/config load and describe the sample set-up. */
class ShippedConfigsTest {

  private static final Path CONFIGS = configs();

  @Test
  void theLocalConfigPutsBothRegionsUnderTheWorkingFolder() {
    DeltaSyncConfig config = ConfigLoader.load(CONFIGS.resolve("local.conf"), Map.of("PWD", "/work/repo"));

    WorkspaceConfig workspace = config.workspaces().get(0);
    assertThat(workspace.local()).contains(new LocalRegions(
        "/work/repo/.deltasync/regions/primary", "/work/repo/.deltasync/regions/secondary"));
    assertThat(workspace.syncLocationPrimary()).isEqualTo("/work/repo/.deltasync/regions/primary/_sync");
    assertThat(workspace.syncLocationSecondary()).isEqualTo("/work/repo/.deltasync/regions/secondary/_sync");
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

  private static void assertSampleGroups(DeltaSyncConfig config) {
    assertThat(config.allGroups()).extracting(SyncGroup::name)
        .containsExactly("sample_workflow_1", "sample_workflow_2", "scheduled_sync");
    assertThat(config.allGroups()).extracting(SyncGroup::workflow).containsExactly(
        Optional.of("sample_workflow_1"), Optional.of("sample_workflow_2"), Optional.empty());
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
