package io.deltasync.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.config.NotificationConfig.SmtpConfig;
import io.deltasync.table.TableName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per validation rule, each asserting the exact message with its key path. */
class ConfigRulesTest {

  static final String BASE =
      """
      {
        "secret_scope": "dr-scope",
        "workspaces": [
          {
            "workspace_name": "ws1",
            "workspace_instance_url": "https://adb-1.azuredatabricks.net",
            "workspace_pat_key": "pat",
            "sync_location_primary": "abfss://sync@east.dfs.core.windows.net/dr",
            "sync_location_secondary": "abfss://sync@west.dfs.core.windows.net/dr",
            "sync_interval_mins": 15,
            "sync_failover_interval_mins": 10,
            "sync_max_retries": 3,
            "sync_groups": [
              {"group_name": "g1", "group_owner_email": "a@example.com", "workflow": "wf1",
               "tables": ["c.s.t1", "c.s.t2"]},
              {"group_name": "g2", "group_owner_email": "b@example.com", "tables": ["c.s.t3"]}
            ]
          }
        ]
      }
      """;

  @TempDir Path dir;

  // ---- the base is valid

  @Test
  void theBaseConfigIsValid() {
    DeltaSyncConfig config = valid(BASE);

    assertThat(config.allGroups()).extracting(SyncGroup::name).containsExactly("g1", "g2");
    assertThat(config.workspaces().get(0).maxRetries()).isEqualTo(3);
  }

  // ---- missing required keys

  @Test
  void missingRequiredKeysAreEachReported() {
    String json =
        BASE.replace("\"secret_scope\": \"dr-scope\",", "")
            .replace("\"sync_max_retries\": 3,", "")
            .replace("\"group_owner_email\": \"b@example.com\", ", "");

    assertThat(problems(json))
        .containsExactly(
            "secret_scope: required key is missing",
            "workspaces[0].sync_max_retries: required key is missing",
            "workspaces[0].sync_groups[1].group_owner_email: required key is missing");
  }

  @Test
  void anEmptyConfigListsTheTopLevelKeys() {
    assertThat(problems("{}"))
        .containsExactly("secret_scope: required key is missing", "workspaces: required key is missing");
  }

  // ---- wrong types

  @Test
  void wrongTypesNameTheExpectedTypeAndTheValue() {
    String json =
        BASE.replace("\"sync_interval_mins\": 15", "\"sync_interval_mins\": \"fifteen\"")
            .replace("\"sync_failover_interval_mins\": 10", "\"sync_failover_interval_mins\": 2.5")
            .replace("\"tables\": [\"c.s.t3\"]", "\"tables\": \"c.s.t3\"")
            .replace("\"workflow\": \"wf1\"", "\"workflow\": [\"wf1\"]");

    assertThat(problems(json))
        .containsExactly(
            "workspaces[0].sync_interval_mins: expected a whole number of minutes, got \"fifteen\"",
            "workspaces[0].sync_failover_interval_mins: expected a whole number of minutes, got 2.5",
            "workspaces[0].sync_groups[0].workflow: expected a string, got a list",
            "workspaces[0].sync_groups[1].tables: expected a list [...], got \"c.s.t3\"");
  }

  @Test
  void workspacesMustBeAListOfObjects() {
    assertThat(problems("{\"secret_scope\": \"s\", \"workspaces\": [42]}"))
        .containsExactly("workspaces[0]: expected a workspace object, got 42");
    assertThat(problems("{\"secret_scope\": \"s\", \"workspaces\": {}}"))
        .containsExactly("workspaces: expected a list [...], got an object");
    assertThat(problems("{\"secret_scope\": \"s\", \"workspaces\": []}"))
        .containsExactly("workspaces: is empty: list at least one workspace");
  }

  @Test
  void aTableEntryIsANameOrAnObject() {
    String json = BASE.replace("\"tables\": [\"c.s.t3\"]", "\"tables\": [true]");

    assertThat(problems(json))
        .containsExactly(
            "workspaces[0].sync_groups[1].tables[0]: expected a table name \"catalog.schema.table\""
                + " or an object {name, secondary_name}, got true");
  }

  // ---- numbers as strings

  @Test
  void maxRetriesWrittenAsAStringIsANumber() {
    DeltaSyncConfig config = valid(BASE.replace("\"sync_max_retries\": 3", "\"sync_max_retries\": \"7\""));

    assertThat(config.workspaces().get(0).maxRetries()).isEqualTo(7);
  }

  @Test
  void negativeRetriesAreRejected() {
    assertThat(problems(BASE.replace("\"sync_max_retries\": 3", "\"sync_max_retries\": \"-1\"")))
        .containsExactly("workspaces[0].sync_max_retries: must be between 0 and 100, got -1");
  }

  // ---- unknown keys

  @Test
  void aTypoSuggestsTheClosestKeyAndIsReportedOnce() {
    String json = BASE.replace("\"sync_interval_mins\"", "\"sync_intervall_mins\"");

    assertThat(problems(json))
        .containsExactly(
            "workspaces[0].sync_intervall_mins: unknown key, did you mean \"sync_interval_mins\"?");
  }

  @Test
  void camelCaseSuggestsTheSnakeCaseKey() {
    String json = BASE.replace("\"group_owner_email\": \"a@example.com\"", "\"groupOwnerEmail\": \"a@example.com\"");

    assertThat(problems(json))
        .containsExactly(
            "workspaces[0].sync_groups[0].groupOwnerEmail: unknown key, did you mean"
                + " \"group_owner_email\"?");
  }

  @Test
  void anUnknownKeyWithNothingCloseListsTheKnownKeys() {
    String json = BASE.replace("\"secret_scope\": \"dr-scope\",", "\"secret_scope\": \"dr-scope\", \"colour\": \"red\",");

    assertThat(problems(json))
        .containsExactly("colour: unknown key (known keys here: secret_scope, workspaces, notifications)");
  }

  @Test
  void aKeyAtTheWrongLevelSaysWhereItBelongs() {
    String json = BASE.replace("\"secret_scope\": \"dr-scope\",", "\"secret_scope\": \"dr-scope\", \"sync_max_retries\": 3,");

    assertThat(problems(json))
        .containsExactly(
            "sync_max_retries: unknown key here: sync_max_retries belongs in each workspace (workspaces[i])");
  }

  @Test
  void unknownKeysInTableObjectsAreReported() {
    String json =
        BASE.replace("\"tables\": [\"c.s.t3\"]", "\"tables\": [{\"name\": \"c.s.t3\", \"secondry_name\": \"d.s.t3\"}]");

    assertThat(problems(json))
        .containsExactly(
            "workspaces[0].sync_groups[1].tables[0].secondry_name: unknown key, did you mean"
                + " \"secondary_name\"?");
  }

  // ---- duplicates

  @Test
  void duplicateGroupNamesAreRejected() {
    String json = BASE.replace("\"group_name\": \"g2\"", "\"group_name\": \"g1\"");

    assertThat(problems(json))
        .containsExactly(
            "workspaces[0].sync_groups[1].group_name: duplicate group name \"g1\", already used by"
                + " workspaces[0].sync_groups[0]: group names must be unique across the config");
  }

  @Test
  void duplicateWorkspaceAndGroupNamesAcrossWorkspacesAreRejected() {
    String workspace = BASE.substring(BASE.indexOf("    {\n      \"workspace_name\""), BASE.lastIndexOf("    }") + 5);
    String second = workspace.replace("\"c.s.t", "\"d.s.t").replace("\"g2\"", "\"g3\"");
    String json = BASE.replace(workspace, workspace + ",\n" + second);

    assertThat(problems(json))
        .containsExactly(
            "workspaces[1].workspace_name: duplicate workspace name \"ws1\", already used by"
                + " workspaces[0]: workspace names must be unique",
            "workspaces[1].sync_groups[0].group_name: duplicate group name \"g1\", already used by"
                + " workspaces[0].sync_groups[0]: group names must be unique across the config");
  }

  @Test
  void oneTableInTwoGroupsIsRejected() {
    String json = BASE.replace("\"tables\": [\"c.s.t3\"]", "\"tables\": [\"c.s.t3\", \"c.s.t1\"]");

    assertThat(problems(json))
        .containsExactly(
            "workspaces[0].sync_groups[1].tables[1]: table \"c.s.t1\" is already in group \"g1\""
                + " (workspaces[0].sync_groups[0].tables[0]): a table belongs to exactly one group");
  }

  @Test
  void twoTablesCannotSyncIntoOneSecondaryTable() {
    String json =
        BASE.replace(
            "\"tables\": [\"c.s.t3\"]",
            "\"tables\": [{\"name\": \"c.s.t3\", \"secondary_name\": \"c.s.t2\"}]");

    assertThat(problems(json))
        .containsExactly(
            "workspaces[0].sync_groups[1].tables[0]: secondary table \"c.s.t2\" is already the target"
                + " of group \"g1\" (workspaces[0].sync_groups[0].tables[1]): two tables cannot sync"
                + " into one");
  }

  @Test
  void aTableObjectMapsToItsSecondaryName() {
    DeltaSyncConfig config =
        valid(
            BASE.replace(
                "\"tables\": [\"c.s.t3\"]",
                "\"tables\": [{\"name\": \"c.s.t3\", \"secondary_name\": \"dr.s.t3\"}, {\"name\": \"c.s.t4\"}]"));

    assertThat(config.allGroups().get(1).tables())
        .containsExactly(
            new TableMapping(TableName.parse("c.s.t3"), TableName.parse("dr.s.t3")),
            TableMapping.sameName(TableName.parse("c.s.t4")));
  }

  // ---- intervals

  @Test
  void zeroAndNegativeIntervalsAreRejected() {
    String json =
        BASE.replace("\"sync_interval_mins\": 15", "\"sync_interval_mins\": 0")
            .replace("\"sync_failover_interval_mins\": 10", "\"sync_failover_interval_mins\": -5, \"failover_deadline_mins\": \"-1\"");

    assertThat(problems(json))
        .containsExactly(
            "workspaces[0].sync_interval_mins: must be a positive number of minutes, got 0",
            "workspaces[0].sync_failover_interval_mins: must be a positive number of minutes, got -5",
            "workspaces[0].failover_deadline_mins: must be a positive number of minutes, got -1");
  }

  @Test
  void failoverDeadlineDefaultsToAnHourAndCanBeSet() {
    assertThat(valid(BASE).workspaces().get(0).failoverDeadline()).isEqualTo(Duration.ofMinutes(60));
    String json = BASE.replace("\"sync_max_retries\": 3", "\"sync_max_retries\": 3, \"failover_deadline_mins\": 90");
    assertThat(valid(json).workspaces().get(0).failoverDeadline()).isEqualTo(Duration.ofMinutes(90));
  }

  // ---- lag alerts

  @Test
  void lagAlertDefaultsToTwoHoursAndAGroupMayOverrideIt() {
    DeltaSyncConfig defaults = valid(BASE);
    WorkspaceConfig ws = defaults.workspaces().get(0);
    assertThat(ws.lagAlert()).isEqualTo(Duration.ofMinutes(120));
    assertThat(ws.lagAlert(ws.group("g1").orElseThrow())).isEqualTo(Duration.ofMinutes(120));

    String json = BASE.replace("\"sync_max_retries\": 3", "\"sync_max_retries\": 3, \"lag_alert_mins\": 90")
        .replace("\"workflow\": \"wf1\",", "\"workflow\": \"wf1\", \"lag_alert_mins\": \"30\",");
    WorkspaceConfig set = valid(json).workspaces().get(0);
    assertThat(set.lagAlert()).isEqualTo(Duration.ofMinutes(90));
    assertThat(set.group("g1").orElseThrow().lagAlert()).contains(Duration.ofMinutes(30));
    assertThat(set.lagAlert(set.group("g1").orElseThrow())).isEqualTo(Duration.ofMinutes(30));
    assertThat(set.lagAlert(set.group("g2").orElseThrow())).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void lagAlertIsReadFromHocon() throws IOException {
    Path file = Files.writeString(dir.resolve("deltasync.conf"), """
        secret_scope = dr-scope
        workspaces = [{
          workspace_name = ws1
          workspace_instance_url = "https://adb-1.azuredatabricks.net"
          workspace_pat_key = pat
          sync_location_primary = "abfss://sync@east.dfs.core.windows.net/dr"
          sync_location_secondary = "abfss://sync@west.dfs.core.windows.net/dr"
          sync_interval_mins = 15
          sync_failover_interval_mins = 10
          sync_max_retries = 3
          lag_alert_mins = 240
          lag_alert_mins = ${?DELTASYNC_LAG_ALERT_MINS}
          sync_groups = [
            {group_name = g1, group_owner_email = "a@example.com", workflow = wf1,
             lag_alert_mins = 45, tables = [c.s.t1]}
            {group_name = g2, group_owner_email = "b@example.com", workflow = wf2, tables = [c.s.t2]}
          ]
        }]
        """);

    WorkspaceConfig ws = ConfigLoader.check(file, Map.of()).orThrow().workspaces().get(0);
    assertThat(ws.lagAlert(ws.group("g1").orElseThrow())).isEqualTo(Duration.ofMinutes(45));
    assertThat(ws.lagAlert(ws.group("g2").orElseThrow())).isEqualTo(Duration.ofMinutes(240));
    WorkspaceConfig fromEnv = ConfigLoader.check(file, Map.of("DELTASYNC_LAG_ALERT_MINS", "60"))
        .orThrow().workspaces().get(0);
    assertThat(fromEnv.lagAlert(fromEnv.group("g2").orElseThrow())).isEqualTo(Duration.ofMinutes(60));
  }

  @Test
  void ledgerCatalogIsOptionalAndACatalogName() {
    assertThat(valid(BASE).workspaces().get(0).ledgerCatalog()).isEmpty();
    String json = BASE.replace("\"sync_max_retries\": 3", "\"sync_max_retries\": 3, \"ledger_catalog\": \"dr_ops\"");
    assertThat(valid(json).workspaces().get(0).ledgerCatalog()).contains("dr_ops");

    assertThat(problems(json.replace("dr_ops", "dr.ops"))).containsExactly(
        "workspaces[0].ledger_catalog: \"dr.ops\" is not a catalog name: use letters, digits and"
            + " underscores, e.g. dr_test_catalog");
  }

  @Test
  void lagAlertMustBeAPositiveWholeNumberOfMinutes() {
    String json = BASE.replace("\"sync_max_retries\": 3", "\"sync_max_retries\": 3, \"lag_alert_mins\": 0")
        .replace("\"workflow\": \"wf1\",", "\"workflow\": \"wf1\", \"lag_alert_mins\": 1.5,");
    assertThat(problems(json)).containsExactly(
        "workspaces[0].lag_alert_mins: must be a positive number of minutes, got 0",
        "workspaces[0].sync_groups[0].lag_alert_mins: expected a whole number of minutes, got 1.5");

    String negative = BASE.replace("\"workflow\": \"wf1\",", "\"workflow\": \"wf1\", \"lag_alert_mins\": \"-30\",")
        .replace("\"sync_max_retries\": 3", "\"sync_max_retries\": 3, \"lag_alert_mins\": \"two hours\"");
    assertThat(problems(negative)).containsExactly(
        "workspaces[0].lag_alert_mins: expected a whole number of minutes, got \"two hours\"",
        "workspaces[0].sync_groups[0].lag_alert_mins: must be a positive number of minutes, got -30");
  }

  @Test
  void lagAlertOnAStandaloneGroupIsReportedBecauseItNeverApplies() {
    String json = BASE.replace("{\"group_name\": \"g2\", \"group_owner_email\": \"b@example.com\",",
        "{\"group_name\": \"g2\", \"group_owner_email\": \"b@example.com\", \"lag_alert_mins\": 30,");
    assertThat(problems(json)).containsExactly(
        "workspaces[0].sync_groups[1].lag_alert_mins: is set on a standalone group (no workflow),"
            + " which lag alerts never watch: remove it, or set the group's workflow");
  }

  // ---- URLs

  @Test
  void malformedUrlsAreRejected() {
    String hint = ": write the workspace's https address, e.g. https://adb-1234567890123456.7.azuredatabricks.net";

    assertThat(problems(url("https://<workspace url>")))
        .containsExactly("workspaces[0].workspace_instance_url: \"https://<workspace url>\" is not a URL" + hint);
    assertThat(problems(url("adb-1.azuredatabricks.net")))
        .containsExactly("workspaces[0].workspace_instance_url: \"adb-1.azuredatabricks.net\" is not a URL" + hint);
    assertThat(problems(url("ftp://adb-1.azuredatabricks.net")))
        .containsExactly("workspaces[0].workspace_instance_url: \"ftp://adb-1.azuredatabricks.net\" is not a URL" + hint);
    assertThat(problems(url("https://adb-1.azuredatabricks.net/?o=1")))
        .containsExactly("workspaces[0].workspace_instance_url: \"https://adb-1.azuredatabricks.net/?o=1\" is not a URL" + hint);
    assertThat(problems(url("http://adb-1.azuredatabricks.net")))
        .containsExactly(
            "workspaces[0].workspace_instance_url: \"http://adb-1.azuredatabricks.net\" uses plain http:"
                + " a workspace URL must be https (http is accepted for localhost only, e.g. a local test server)");
  }

  @Test
  void localHttpAndASecondaryUrlAreAccepted() {
    String json =
        url("http://127.0.0.1:8089")
            .replace("\"workspace_pat_key\"", "\"secondary_workspace_instance_url\": \"https://adb-2.azuredatabricks.net\", \"workspace_pat_key\"");

    WorkspaceConfig ws = valid(json).workspaces().get(0);
    assertThat(ws.url().toString()).isEqualTo("http://127.0.0.1:8089");
    assertThat(ws.secondaryUrl().map(Object::toString)).contains("https://adb-2.azuredatabricks.net");
  }

  // ---- storage locations

  @Test
  void malformedStorageLocationsAreRejected() {
    assertThat(problems(secondaryLocation("dr-sync/west")))
        .containsExactly(
            "workspaces[0].sync_location_secondary: \"dr-sync/west\" is not a storage location: "
                + ConfigReader.STORAGE_HINT);
    assertThat(problems(secondaryLocation("abfss://<container>@west.dfs.core.windows.net")))
        .containsExactly(
            "workspaces[0].sync_location_secondary: \"abfss://<container>@west.dfs.core.windows.net\""
                + " is not a storage location: " + ConfigReader.STORAGE_HINT);
    assertThat(problems(secondaryLocation("abfss://west.dfs.core.windows.net/dr")))
        .containsExactly(
            "workspaces[0].sync_location_secondary: \"abfss://west.dfs.core.windows.net/dr\" is not a"
                + " storage location: an Azure location needs container@account.host, e.g."
                + " abfss://dr-sync@account.dfs.core.windows.net/path");
    assertThat(problems(secondaryLocation("s3a:///no-bucket")))
        .containsExactly(
            "workspaces[0].sync_location_secondary: \"s3a:///no-bucket\" is not a storage location:"
                + " a s3a:// location needs a bucket, e.g. s3a://my-bucket/path");
    assertThat(problems(secondaryLocation("file:relative/dir")))
        .containsExactly(
            "workspaces[0].sync_location_secondary: \"file:relative/dir\" is not a storage location:"
                + " a file: location needs an absolute path, e.g. file:/data/sync");
    assertThat(problems(secondaryLocation("hdfs://namenode/dr")))
        .containsExactly(
            "workspaces[0].sync_location_secondary: \"hdfs://namenode/dr\" is not a storage location: "
                + ConfigReader.STORAGE_HINT);
  }

  @Test
  void everySupportedStorageLocationIsAccepted() {
    for (String location :
        List.of(
            "abfss://dr-sync@westus2acct.dfs.core.windows.net",
            "wasbs://dr-sync@westus2acct.blob.core.windows.net/dr",
            "wasb://dr-sync@westus2acct.blob.core.windows.net/dr",
            "s3a://my-dr-bucket/sync",
            "gs://my-dr-bucket/sync",
            "file:/tmp/deltasync/west",
            "file:///tmp/deltasync/west",
            "/tmp/deltasync/west")) {
      assertThat(valid(secondaryLocation(location)).workspaces().get(0).syncLocationSecondary())
          .isEqualTo(location);
    }
  }

  @Test
  void theTwoSyncLocationsMustDiffer() {
    assertThat(problems(secondaryLocation("abfss://sync@east.dfs.core.windows.net/dr/")))
        .containsExactly(
            "workspaces[0].sync_location_secondary: is the same location as sync_location_primary"
                + " (\"abfss://sync@east.dfs.core.windows.net/dr\"): each region needs its own sync location");
  }

  // ---- identifiers

  @Test
  void invalidIdentifiersAreRejected() {
    String json =
        BASE.replace("\"secret_scope\": \"dr-scope\"", "\"secret_scope\": \"dr scope!\"")
            .replace("\"workspace_name\": \"ws1\"", "\"workspace_name\": \"ws 1\"")
            .replace("\"group_name\": \"g2\"", "\"group_name\": \"my group\"")
            .replace("\"c.s.t2\"", "\"c.s.2t\"")
            .replace("\"c.s.t3\"", "\"c.s.t3.x\"");

    assertThat(problems(json))
        .containsExactly(
            "secret_scope: \"dr scope!\" is not a secret scope name: use letters, digits, -, _, . or @"
                + " (at most 128 characters)",
            "workspaces[0].workspace_name: \"ws 1\" is not a valid name: use letters, digits, _ or -"
                + " (at most 128, not starting with -)",
            "workspaces[0].sync_groups[0].tables[1]: \"c.s.2t\" is not a catalog.schema.table name:"
                + " write three identifiers (letters, digits, _ or -, not starting with a digit or -)"
                + " separated by dots",
            "workspaces[0].sync_groups[1].group_name: \"my group\" is not a valid name: use letters,"
                + " digits, _ or - (at most 128, not starting with -)",
            "workspaces[0].sync_groups[1].tables[0]: \"c.s.t3.x\" is not a catalog.schema.table name:"
                + " write three identifiers (letters, digits, _ or -, not starting with a digit or -)"
                + " separated by dots");
  }

  // ---- emails

  @Test
  void badEmailsAreRejected() {
    String json =
        BASE.replace("\"a@example.com\"", "\"a@example\"")
            .replace("\"sync_max_retries\": 3", "\"sync_max_retries\": 3, \"sync_failure_notification\": \"oncall\","
                + " \"sync_success_notification\": \"team@example.com\"");

    assertThat(problems(json))
        .containsExactly(
            "workspaces[0].sync_failure_notification: \"oncall\" is not an email address: write one"
                + " address, e.g. team@example.com",
            "workspaces[0].sync_groups[0].group_owner_email: \"a@example\" is not an email address:"
                + " write one address, e.g. team@example.com");
  }

  @Test
  void notificationAddressesAreRead() {
    String json =
        BASE.replace("\"sync_max_retries\": 3", "\"sync_max_retries\": 3, \"sync_failure_notification\": \"oncall@example.com\","
            + " \"sync_success_notification\": \"team@example.com\"");

    WorkspaceConfig ws = valid(json).workspaces().get(0);
    assertThat(ws.failureNotification()).contains("oncall@example.com");
    assertThat(ws.successNotification()).contains("team@example.com");
  }

  // ---- credentials and secrets

  @Test
  void oauthCredentialsUseTheWorkspaceScopeOverride() {
    String json =
        BASE.replace(
            "\"workspace_pat_key\": \"pat\"",
            "\"secret_scope\": \"ws-scope\", \"workspace_client_id_key\": \"sp-id\","
                + " \"workspace_client_secret_key\": \"sp-secret\"");

    assertThat(valid(json).workspaces().get(0).credentials())
        .isEqualTo(
            new Credentials.OAuthM2M(new SecretRef("ws-scope", "sp-id"), new SecretRef("ws-scope", "sp-secret")));
  }

  @Test
  void exactlyOneStyleOfCredentials() {
    assertThat(problems(BASE.replace("\"workspace_pat_key\": \"pat\",", "")))
        .containsExactly(
            "workspaces[0]: no credentials: set workspace_pat_key, or workspace_client_id_key and"
                + " workspace_client_secret_key (names of keys in the secret scope)");
    assertThat(problems(BASE.replace("\"workspace_pat_key\": \"pat\"", "\"workspace_pat_key\": \"pat\", \"workspace_client_id_key\": \"id\"")))
        .containsExactly(
            "workspaces[0]: both workspace_pat_key and workspace_client_id_key/workspace_client_secret_key"
                + " are set: use one style of credentials, a PAT or an OAuth service principal");
    assertThat(problems(BASE.replace("\"workspace_pat_key\": \"pat\"", "\"workspace_client_id_key\": \"id\"")))
        .containsExactly(
            "workspaces[0].workspace_client_secret_key: required key is missing: workspace_client_id_key"
                + " is set, and OAuth needs both the client id and the client secret key");
  }

  @Test
  void aSecretValueIsNeverEchoed() {
    String token = "dapi0123456789abcdef0123456789abcdef";
    String json = BASE.replace("\"workspace_pat_key\": \"pat\"", "\"workspace_pat_key\": \"" + token + "\"");

    List<String> problems = problems(json);

    assertThat(problems)
        .containsExactly(
            "workspaces[0].workspace_pat_key: looks like a Databricks token, not the name of a secret"
                + " key (the value is not shown): store the token in the secret scope, name its key"
                + " here, and revoke the token");
    assertThat(String.join("\n", problems)).doesNotContain(token);
  }

  @Test
  void aSecretKeyNameWithOddCharactersIsNotEchoed() {
    String json =
        BASE.replace("\"workspace_pat_key\": \"pat\"", "\"workspace_pat_key\": \"s3cr3t/+==\"");

    List<String> problems = problems(json);

    assertThat(problems)
        .containsExactly(
            "workspaces[0].workspace_pat_key: is not the name of a secret key (the value is not shown,"
                + " in case it is a secret): name a key in the secret scope with letters, digits, -, _"
                + " or . (at most 128); secrets themselves never go in the config");
    assertThat(String.join("\n", problems)).doesNotContain("s3cr3t");
  }

  @Test
  void aSecretWrittenAsAValueIsPointedAtItsKeyName() {
    String json = BASE.replace("\"workspace_pat_key\": \"pat\"", "\"workspace_pat\": \"dapi-something\"");

    List<String> problems = problems(json);

    assertThat(problems)
        .containsExactly(
            "workspaces[0].workspace_pat: unknown key, did you mean \"workspace_pat_key\"? Secrets"
                + " never go in the config: store the value in the secret scope and name its key in"
                + " workspace_pat_key");
    assertThat(String.join("\n", problems)).doesNotContain("dapi-something");
  }

  // ---- the secondary workspace's own credentials

  /** BASE with a secondary workspace URL and these keys after workspace_pat_key. */
  private static String withSecondary(String keys) {
    return BASE.replace("\"workspace_pat_key\": \"pat\"",
        "\"secondary_workspace_instance_url\": \"https://adb-2.azuredatabricks.net\","
            + " \"workspace_pat_key\": \"pat\"" + keys);
  }

  @Test
  void theSecondaryWorkspaceHasItsOwnPat() {
    WorkspaceConfig ws =
        valid(withSecondary(", \"secondary_workspace_pat_key\": \"pat-west\"")).workspaces().get(0);

    assertThat(ws.primaryWorkspaceCredentials())
        .isEqualTo(new Credentials.Pat(new SecretRef("dr-scope", "pat")));
    assertThat(ws.secondaryCredentials())
        .contains(new Credentials.Pat(new SecretRef("dr-scope", "pat-west")));
    assertThat(ws.secondaryWorkspaceCredentials())
        .isEqualTo(new Credentials.Pat(new SecretRef("dr-scope", "pat-west")));
  }

  @Test
  void theSecondaryWorkspaceHasItsOwnOauthPrincipalInTheWorkspaceScope() {
    String json = withSecondary(", \"secret_scope\": \"ws-scope\","
        + " \"secondary_workspace_client_id_key\": \"sp-west-id\","
        + " \"secondary_workspace_client_secret_key\": \"sp-west-secret\"");

    WorkspaceConfig ws = valid(json).workspaces().get(0);

    assertThat(ws.primaryWorkspaceCredentials())
        .isEqualTo(new Credentials.Pat(new SecretRef("ws-scope", "pat")));
    assertThat(ws.secondaryWorkspaceCredentials()).isEqualTo(new Credentials.OAuthM2M(
        new SecretRef("ws-scope", "sp-west-id"), new SecretRef("ws-scope", "sp-west-secret")));
  }

  @Test
  void withoutItsOwnCredentialsTheSecondaryUsesThePrimarys() {
    WorkspaceConfig ws = valid(withSecondary("")).workspaces().get(0);

    assertThat(ws.secondaryCredentials()).isEmpty();
    assertThat(ws.secondaryWorkspaceCredentials())
        .isEqualTo(new Credentials.Pat(new SecretRef("dr-scope", "pat")));
  }

  @Test
  void exactlyOneStyleOfSecondaryCredentials() {
    assertThat(problems(withSecondary(", \"secondary_workspace_pat_key\": \"pat-west\","
            + " \"secondary_workspace_client_id_key\": \"id\"")))
        .containsExactly(
            "workspaces[0]: both secondary_workspace_pat_key and"
                + " secondary_workspace_client_id_key/secondary_workspace_client_secret_key are set:"
                + " use one style of credentials, a PAT or an OAuth service principal");
    assertThat(problems(withSecondary(", \"secondary_workspace_client_id_key\": \"id\"")))
        .containsExactly(
            "workspaces[0].secondary_workspace_client_secret_key: required key is missing:"
                + " secondary_workspace_client_id_key is set, and OAuth needs both the client id and"
                + " the client secret key");
    assertThat(problems(withSecondary(", \"secondary_workspace_client_secret_key\": \"s\"")))
        .containsExactly(
            "workspaces[0].secondary_workspace_client_id_key: required key is missing:"
                + " secondary_workspace_client_secret_key is set, and OAuth needs both the client id"
                + " and the client secret key");
  }

  @Test
  void secondaryCredentialsNeedTheSecondaryUrl() {
    String json = BASE.replace("\"workspace_pat_key\": \"pat\"",
        "\"workspace_pat_key\": \"pat\", \"secondary_workspace_pat_key\": \"pat-west\"");

    assertThat(problems(json))
        .containsExactly(
            "workspaces[0].secondary_workspace_pat_key: names the secondary workspace's credentials,"
                + " but secondary_workspace_instance_url is not set: set the secondary workspace's"
                + " URL, or remove the key");
  }

  @Test
  void aSecondarySecretValueIsNeverEchoed() {
    String token = "dapi0123456789abcdef0123456789abcdef";

    List<String> problems =
        problems(withSecondary(", \"secondary_workspace_pat_key\": \"" + token + "\""));

    assertThat(problems)
        .containsExactly(
            "workspaces[0].secondary_workspace_pat_key: looks like a Databricks token, not the name"
                + " of a secret key (the value is not shown): store the token in the secret scope,"
                + " name its key here, and revoke the token");
    assertThat(String.join("\n", problems)).doesNotContain(token);
    List<String> oauth = problems(withSecondary(", \"secondary_workspace_client_id_key\": \"id\","
        + " \"secondary_workspace_client_secret_key\": \"s3cr3t/+==\""));
    assertThat(oauth)
        .containsExactly(
            "workspaces[0].secondary_workspace_client_secret_key: is not the name of a secret key"
                + " (the value is not shown, in case it is a secret): name a key in the secret scope"
                + " with letters, digits, -, _ or . (at most 128); secrets themselves never go in the"
                + " config");
    assertThat(String.join("\n", oauth)).doesNotContain("s3cr3t");
  }

  @Test
  void aSecondarySecretWrittenAsAValueIsPointedAtItsKeyName() {
    List<String> problems =
        problems(withSecondary(", \"secondary_workspace_pat\": \"dapi-something\""));

    assertThat(problems)
        .containsExactly(
            "workspaces[0].secondary_workspace_pat: unknown key, did you mean"
                + " \"secondary_workspace_pat_key\"? Secrets never go in the config: store the value"
                + " in the secret scope and name its key in secondary_workspace_pat_key");
    assertThat(String.join("\n", problems)).doesNotContain("dapi-something");
  }

  @Test
  void hoconReadsTheSecondarysCredentials() throws IOException {
    Path file = dir.resolve("deltasync.conf");
    Files.writeString(file, """
        secret_scope = dr-scope
        workspaces = [{
          workspace_name = ws1
          workspace_instance_url = "https://adb-1.azuredatabricks.net"
          secondary_workspace_instance_url = "https://adb-2.azuredatabricks.net"
          workspace_client_id_key = sp-east-id
          workspace_client_secret_key = sp-east-secret
          secondary_workspace_client_id_key = sp-west-id
          secondary_workspace_client_secret_key = sp-west-secret
          sync_location_primary = "abfss://sync@east.dfs.core.windows.net/dr"
          sync_location_secondary = "abfss://sync@west.dfs.core.windows.net/dr"
          sync_interval_mins = 15
          sync_failover_interval_mins = 10
          sync_max_retries = 3
          sync_groups = [{group_name = g1, group_owner_email = "a@example.com", tables = [c.s.t1]}]
        }]
        """);

    WorkspaceConfig ws = ConfigLoader.check(file, Map.of()).orThrow().workspaces().get(0);

    assertThat(ws.primaryWorkspaceCredentials()).isEqualTo(new Credentials.OAuthM2M(
        new SecretRef("dr-scope", "sp-east-id"), new SecretRef("dr-scope", "sp-east-secret")));
    assertThat(ws.secondaryWorkspaceCredentials()).isEqualTo(new Credentials.OAuthM2M(
        new SecretRef("dr-scope", "sp-west-id"), new SecretRef("dr-scope", "sp-west-secret")));
  }

  // ---- notifications

  @Test
  void notificationsAreRead() {
    String json =
        BASE.replace(
            "\"secret_scope\": \"dr-scope\",",
            "\"secret_scope\": \"dr-scope\", \"notifications\": {\"smtp\": {\"host\": \"smtp.example.com\","
                + " \"from\": \"deltasync@example.com\", \"username\": \"deltasync\", \"password_key\":"
                + " \"smtp-password\"}, \"webhook_url_key\": \"slack-webhook\"},");

    NotificationConfig notifications = valid(json).notifications().orElseThrow();

    assertThat(notifications.smtp())
        .contains(
            new SmtpConfig(
                "smtp.example.com", 587, "deltasync@example.com", Optional.of("deltasync"),
                Optional.of(new SecretRef("dr-scope", "smtp-password")), true));
    assertThat(notifications.webhookUrl()).contains(new SecretRef("dr-scope", "slack-webhook"));
  }

  @Test
  void badNotificationSettingsAreReported() {
    String json =
        BASE.replace(
            "\"secret_scope\": \"dr-scope\",",
            "\"secret_scope\": \"dr-scope\", \"notifications\": {\"smtp\": {\"host\": \"smtp://mail\","
                + " \"port\": 70000, \"from\": \"deltasync\", \"password\": \"hunter2\", \"starttls\": \"maybe\"},"
                + " \"webhook_url\": \"https://hooks.slack.com/services/T0/B0/XYZ\"},");

    List<String> problems = problems(json);

    assertThat(problems)
        .containsExactly(
            "notifications.webhook_url: unknown key, did you mean \"webhook_url_key\"? Secrets never go"
                + " in the config: store the value in the secret scope and name its key in webhook_url_key",
            "notifications.smtp.password: unknown key, did you mean \"password_key\"? Secrets never go"
                + " in the config: store the value in the secret scope and name its key in password_key",
            "notifications.smtp.host: \"smtp://mail\" is not a host name: write only the host, e.g."
                + " smtp.example.com (no scheme, no port)",
            "notifications.smtp.port: must be a port number between 1 and 65535, got 70000",
            "notifications.smtp.from: \"deltasync\" is not an email address: write one address, e.g."
                + " team@example.com",
            "notifications.smtp.starttls: expected true or false, got \"maybe\"");
    assertThat(String.join("\n", problems)).doesNotContain("hunter2").doesNotContain("XYZ");
  }

  // ---- embedded mode

  @Test
  void localFoldersResolveAgainstTheConfigFile() {
    String json =
        BASE.replace(
            "\"sync_max_retries\": 3",
            "\"sync_max_retries\": 3, \"local\": {\"primary_dir\": \"regions/east\", \"secondary_dir\": \"/data/west\"}");

    LocalRegions local = valid(json).workspaces().get(0).local().orElseThrow();

    assertThat(local)
        .isEqualTo(new LocalRegions(dir.resolve("regions/east").toAbsolutePath().toString(), "/data/west"));
    assertThat(valid(json).workspaces().get(0).embedded()).isTrue();
  }

  @Test
  void localFoldersMustDifferAndHaveKnownKeys() {
    String json =
        BASE.replace(
            "\"sync_max_retries\": 3",
            "\"sync_max_retries\": 3, \"local\": {\"primary_dir\": \"/data/x\", \"secondary_dir\": \"/data/x/\", \"tmp_dir\": \"/tmp\"}");

    assertThat(problems(json))
        .containsExactly(
            "workspaces[0].local.tmp_dir: unknown key (known keys here: primary_dir, secondary_dir,"
                + " jobs_api)",
            "workspaces[0].local.secondary_dir: is the same folder as primary_dir (\"/data/x\"): the"
                + " regions need two folders");
  }

  // ---- HOCON

  @Test
  void anUnsetRequiredSubstitutionIsReported() throws IOException {
    Path file = dir.resolve("deltasync.conf");
    Files.writeString(file, "secret_scope = ${DELTASYNC_SCOPE}\n");

    ConfigValidation result = ConfigLoader.check(file, Map.of());

    assertThat(result.problems()).hasSize(1);
    assertThat(result.problems().get(0))
        .contains("DELTASYNC_SCOPE")
        .endsWith("(set the environment variable, or write ${?NAME} to make it optional)");
  }

  @Test
  void aJsonSyntaxErrorNamesTheLine() throws IOException {
    Path file = dir.resolve("deltasync.json");
    Files.writeString(file, "{\n  \"secret_scope\": \"s\",\n  \"workspaces\": [\n}\n");

    ConfigValidation result = ConfigLoader.check(file, Map.of());

    assertThat(result.problems()).hasSize(1);
    assertThat(result.problems().get(0)).contains("deltasync.json: 4:");
  }

  // ---- helpers

  private String url(String url) {
    return BASE.replace("https://adb-1.azuredatabricks.net", url);
  }

  private String secondaryLocation(String location) {
    return BASE.replace("abfss://sync@west.dfs.core.windows.net/dr", location);
  }

  private DeltaSyncConfig valid(String json) {
    ConfigValidation result = check(json);
    assertThat(result.problems()).isEmpty();
    return result.orThrow();
  }

  private List<String> problems(String json) {
    ConfigValidation result = check(json);
    assertThat(result.config()).isEmpty();
    return result.problems();
  }

  private ConfigValidation check(String json) {
    try {
      Path file = Files.writeString(dir.resolve("deltasync.json"), json);
      return ConfigLoader.check(file, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
