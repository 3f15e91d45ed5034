package io.deltasync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import io.deltasync.table.TableName;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Seed 004's example configuration, as JSON and as HOCON, and a copy with five planted mistakes. */
class ConfigLoaderTest {

  static Path resource(String name) {
    try {
      return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void seed004JsonLoadsAsWritten() {
    DeltaSyncConfig config = ConfigLoader.load(resource("seed-004.json"), Map.of());

    assertSeed004(config, URI.create("https://adb-1234567890123456.7.azuredatabricks.net"), 15);
  }

  @Test
  void seed004AsHoconLoadsWithoutOverrides() {
    DeltaSyncConfig config = ConfigLoader.load(resource("seed-004.conf"), Map.of());

    assertSeed004(config, URI.create("https://adb-1234567890123456.7.azuredatabricks.net"), 15);
  }

  @Test
  void hoconTakesOverridesFromTheEnvironment() {
    DeltaSyncConfig config =
        ConfigLoader.load(
            resource("seed-004.conf"),
            Map.of(
                "DELTASYNC_PRIMARY_URL", "https://adb-999.9.azuredatabricks.net",
                "DELTASYNC_SYNC_INTERVAL_MINS", "30"));

    assertSeed004(config, URI.create("https://adb-999.9.azuredatabricks.net"), 30);
  }

  @Test
  void seed004PlaceholderUrlIsNotAUrl() {
    Path file = resource("seed-004-placeholder.json");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(SyncException.class)
        .hasMessage(
            "Config " + file + " has 1 problem:" + System.lineSeparator()
                + "  workspaces[0].workspace_instance_url: \"https://<workspace url>\" is not a URL:"
                + " write the workspace's https address, e.g."
                + " https://adb-1234567890123456.7.azuredatabricks.net")
        .satisfies(e -> assertThat(((SyncException) e).kind().exitCode()).isEqualTo(2));
  }

  @Test
  void fivePlantedMistakesAreAllReportedWithTheirKeyPaths() {
    ConfigValidation result = ConfigLoader.check(resource("seed-004-five-mistakes.json"), Map.of());

    assertThat(result.valid()).isFalse();
    assertThat(result.config()).isEmpty();
    assertThat(result.problems())
        .containsExactly(
            "workspaces[0].sync_interval_min: unknown key, did you mean \"sync_interval_mins\"?",
            "workspaces[0].sync_location_secondary: \"westus2drstorageacct/dr-sync\" is not a storage"
                + " location: " + ConfigReader.STORAGE_HINT,
            "workspaces[0].sync_failover_interval_mins: must be a positive number of minutes, got 0",
            "workspaces[0].sync_groups[0].group_owner_email: \"user(at)example.com\" is not an email"
                + " address: write one address, e.g. team@example.com",
            "workspaces[0].sync_groups[1].tables[2]: \"dr_test_catalog.raw\" is not a"
                + " catalog.schema.table name: write three identifiers (letters, digits, _ or -, not"
                + " starting with a digit or -) separated by dots");
  }

  @Test
  void aMissingFileIsReported() {
    Path file = Path.of("no-such-dir", "deltasync.json");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("Config " + file + " has 1 problem:")
        .hasMessageContaining(
            "file not found: pass --config with the path of an existing .json or .conf file");
  }

  @Test
  void anUnknownExtensionIsReported() {
    ConfigValidation result = ConfigLoader.check(Path.of("deltasync.yaml"), Map.of());

    assertThat(result.problems())
        .containsExactly(
            "is not a .json or .conf file: deltasync reads seed 004's JSON (.json) and HOCON (.conf)");
  }

  private static void assertSeed004(DeltaSyncConfig config, URI url, int intervalMins) {
    assertThat(config.secretScope()).isEqualTo("dr-test-scope");
    assertThat(config.notifications()).isEmpty();
    assertThat(config.workspaces()).hasSize(1);
    WorkspaceConfig ws = config.workspaces().get(0);
    assertThat(ws.name()).isEqualTo("dr_test_eastus2_databricks");
    assertThat(ws.url()).isEqualTo(url);
    assertThat(ws.secondaryUrl()).isEmpty();
    assertThat(ws.credentials())
        .isEqualTo(new Credentials.Pat(new SecretRef("dr-test-scope", "dr-pat-key")));
    assertThat(ws.syncLocationPrimary())
        .isEqualTo("abfss://dr-sync@eastus2drstorageacct.dfs.core.windows.net");
    assertThat(ws.syncLocationSecondary())
        .isEqualTo("abfss://dr-sync@westus2drstorageacct.dfs.core.windows.net");
    assertThat(ws.syncInterval()).isEqualTo(Duration.ofMinutes(intervalMins));
    assertThat(ws.failoverInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(ws.failoverDeadline()).isEqualTo(Duration.ofMinutes(60));
    assertThat(ws.maxRetries()).isEqualTo(3);
    assertThat(ws.failureNotification()).isEmpty();
    assertThat(ws.successNotification()).isEmpty();
    assertThat(ws.local()).isEmpty();
    assertThat(ws.groups())
        .containsExactly(
            new SyncGroup(
                "dr_test_eastus2_databricks",
                "sample_workflow_1",
                "user@example.com",
                Optional.of("sample_workflow_1"),
                tables(
                    "dr_test_catalog.raw.workflow_1_bronze",
                    "dr_test_catalog.stage.workflow_1_silver",
                    "dr_test_catalog.main.workflow_1_gold")),
            new SyncGroup(
                "dr_test_eastus2_databricks",
                "scheduled_sync",
                "user@example.com",
                Optional.empty(),
                tables(
                    "dr_test_catalog.raw.raw_data",
                    "dr_test_catalog.stage.silver_data",
                    "dr_test_catalog.main.gold_data")));
    assertThat(ws.groups().get(1).standalone()).isTrue();
  }

  private static List<TableMapping> tables(String... names) {
    return List.of(names).stream().map(n -> TableMapping.sameName(TableName.parse(n))).toList();
  }
}
