package io.deltasync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code deltasync check}, run through {@link DeltaSyncCli#execute} with stdout and stderr captured. */
class CheckCommandTest {

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = DeltaSyncCli.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  static String resource(String name) {
    try {
      return Path.of(CheckCommandTest.class.getResource("/config/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void printsTheWorkspaceAndBothGroupsOfSeed004() {
    String file = resource("seed-004.json");

    Run run = run("check", "--config", file);

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines().toList())
        .containsExactly(
            "Config " + file + " is valid: 1 workspace, 2 groups, 6 tables.",
            "",
            "Workspace dr_test_eastus2_databricks  https://adb-1234567890123456.7.azuredatabricks.net",
            "  credentials      PAT in secret dr-test-scope/dr-pat-key",
            "  sync locations   primary abfss://dr-sync@eastus2drstorageacct.dfs.core.windows.net,"
                + " secondary abfss://dr-sync@westus2drstorageacct.dfs.core.windows.net",
            "  schedule         sync every 15 min, failover check every 10 min for up to 60 min, 3 retries",
            "  notifications    failure -, success -",
            "  Group sample_workflow_1  workflow sample_workflow_1, owner user@example.com",
            "    dr_test_catalog.raw.workflow_1_bronze",
            "    dr_test_catalog.stage.workflow_1_silver",
            "    dr_test_catalog.main.workflow_1_gold",
            "  Group scheduled_sync  standalone, owner user@example.com",
            "    dr_test_catalog.raw.raw_data",
            "    dr_test_catalog.stage.silver_data",
            "    dr_test_catalog.main.gold_data");
  }

  @Test
  void printsEveryPlantedMistakeOnStderrAndExits2() {
    String file = resource("seed-004-five-mistakes.json");

    Run run = run("check", "--config", file);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    List<String> lines = run.err().lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).isEqualTo("deltasync: Config " + file + " has 5 problems:");
    assertThat(lines.subList(1, 6))
        .extracting(line -> line.substring(0, line.indexOf(": ")))
        .containsExactly(
            "  workspaces[0].sync_interval_min",
            "  workspaces[0].sync_location_secondary",
            "  workspaces[0].sync_failover_interval_mins",
            "  workspaces[0].sync_groups[0].group_owner_email",
            "  workspaces[0].sync_groups[1].tables[2]");
    assertThat(lines.get(5))
        .isEqualTo(
            "  workspaces[0].sync_groups[1].tables[2]: \"dr_test_catalog.raw\" is not a"
                + " catalog.schema.table name: write three identifiers (letters, digits, _ or -, not"
                + " starting with a digit or -) separated by dots");
  }

  @Test
  void jsonDescribesAValidConfig() throws Exception {
    String file = resource("seed-004.json");

    Run run = run("check", "--config", file, "--json");

    assertThat(run.exitCode()).isEqualTo(0);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("valid").asBoolean()).isTrue();
    assertThat(json.get("config").asText()).isEqualTo(file);
    JsonNode ws = json.get("workspaces").get(0);
    assertThat(ws.get("workspace_name").asText()).isEqualTo("dr_test_eastus2_databricks");
    assertThat(ws.get("credentials").toString())
        .isEqualTo("{\"type\":\"pat\",\"token\":\"dr-test-scope/dr-pat-key\"}");
    assertThat(ws.get("sync_max_retries").asInt()).isEqualTo(3);
    List<String> groups = new ArrayList<>();
    ws.get("sync_groups")
        .forEach(g -> groups.add(g.get("group_name").asText() + " " + g.get("workflow") + " " + g.get("tables").size()));
    assertThat(groups).containsExactly("sample_workflow_1 \"sample_workflow_1\" 3", "scheduled_sync null 3");
    assertThat(ws.get("sync_groups").get(1).get("tables").get(0).toString())
        .isEqualTo(
            "{\"name\":\"dr_test_catalog.raw.raw_data\",\"secondary_name\":\"dr_test_catalog.raw.raw_data\"}");
  }

  @Test
  void showsTheSecondaryWorkspacesOwnCredentialsByTheirSecretNames(@TempDir Path dir)
      throws Exception {
    String json = java.nio.file.Files.readString(Path.of(resource("seed-004.json")))
        .replace("\"workspace_pat_key\"", "\"secondary_workspace_instance_url\":"
            + " \"https://adb-2.azuredatabricks.net\", \"secondary_workspace_client_id_key\":"
            + " \"sp-west-id\", \"secondary_workspace_client_secret_key\": \"sp-west-secret\","
            + " \"workspace_pat_key\"");
    Path file = java.nio.file.Files.writeString(dir.resolve("two-credentials.json"), json);

    Run text = run("check", "--config", file.toString());
    Run asJson = run("check", "--config", file.toString(), "--json");

    assertThat(text.exitCode()).isEqualTo(0);
    assertThat(text.out().lines().toList()).containsSubsequence(
        "  secondary        https://adb-2.azuredatabricks.net",
        "  credentials      PAT in secret dr-test-scope/dr-pat-key",
        "  secondary creds  OAuth service principal, client id in secret dr-test-scope/sp-west-id,"
            + " client secret in secret dr-test-scope/sp-west-secret");
    JsonNode ws = new ObjectMapper().readTree(asJson.out()).get("workspaces").get(0);
    assertThat(ws.get("secondary_credentials").toString()).isEqualTo("{\"type\":\"oauth-m2m\","
        + "\"client_id\":\"dr-test-scope/sp-west-id\","
        + "\"client_secret\":\"dr-test-scope/sp-west-secret\"}");
    JsonNode seed = new ObjectMapper().readTree(
        run("check", "--config", resource("seed-004.json"), "--json").out()).get("workspaces").get(0);
    assertThat(seed.has("secondary_credentials")).isFalse();
  }

  @Test
  void jsonListsEveryProblemAndStillExits2WithTheReasonOnStderr() throws Exception {
    String file = resource("seed-004-placeholder.json");

    Run run = run("check", "--config", file, "--json");

    assertThat(run.exitCode()).isEqualTo(2);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("valid").asBoolean()).isFalse();
    assertThat(json.get("problems")).hasSize(1);
    assertThat(json.get("problems").get(0).asText())
        .startsWith("workspaces[0].workspace_instance_url: \"https://<workspace url>\" is not a URL");
    assertThat(run.err()).startsWith("deltasync: Config " + file + " has 1 problem:");
  }

  @Test
  void aMissingConfigOptionIsBadUsage() {
    Run run = run("check");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("Missing required option: '--config=FILE'");
  }

  @Test
  void helpDescribesTheCommand() {
    Run run = run("check", "--help");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out())
        .startsWith("Usage: deltasync check [-hV] [--json] --config=FILE")
        .contains("--config=FILE", "--json", "Validates a config");
  }

  @Test
  void everyCommandHasHelp() {
    CommandLine cli = DeltaSyncCli.commandLine();

    assertThat(cli.getSubcommands()).containsKey("check");
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              assertThat(sub.getCommandSpec().findOption("--help"))
                  .as("--help of " + name)
                  .isNotNull();
              assertThat(run(name, "--help").exitCode()).as("exit code of " + name + " --help").isEqualTo(0);
            });
    assertThat(run("--help").out()).contains("check");
  }
}
