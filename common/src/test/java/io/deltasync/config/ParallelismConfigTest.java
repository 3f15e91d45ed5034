package io.deltasync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sync_parallel_groups}, {@code sync_parallel_tables} and {@code group_timeout_mins}. */
class ParallelismConfigTest {

  @TempDir Path dir;

  @Test
  void unsetTheyDefaultToFourGroupsFourTablesAndFourHours() throws IOException {
    WorkspaceConfig ws = json(ConfigRulesTest.BASE).orThrow().workspaces().get(0);

    assertThat(ws.parallelism()).isEqualTo(new Parallelism(4, 4, Duration.ofMinutes(240)));
  }

  @Test
  void jsonSetsThemAsNumbersOrStringsOfDigitsAsSeed004Writes() throws IOException {
    WorkspaceConfig ws = json(ConfigRulesTest.BASE.replace("\"sync_max_retries\": 3,",
        "\"sync_max_retries\": 3, \"sync_parallel_groups\": \"8\", \"sync_parallel_tables\": 2,"
            + " \"group_timeout_mins\": \"90\",")).orThrow().workspaces().get(0);

    assertThat(ws.parallelism()).isEqualTo(new Parallelism(8, 2, Duration.ofMinutes(90)));
  }

  @Test
  void hoconSetsThemAndTheEnvironmentOverrides() throws IOException {
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
          sync_parallel_groups = 2
          sync_parallel_groups = ${?DELTASYNC_PARALLEL_GROUPS}
          group_timeout_mins = 30
          sync_groups = [{group_name = g1, group_owner_email = "a@example.com", tables = [c.s.t1]}]
        }]
        """);

    assertThat(ConfigLoader.check(file, Map.of()).orThrow().workspaces().get(0).parallelism())
        .isEqualTo(new Parallelism(2, 4, Duration.ofMinutes(30)));
    assertThat(ConfigLoader.check(file, Map.of("DELTASYNC_PARALLEL_GROUPS", "16")).orThrow()
        .workspaces().get(0).parallelism().groups()).isEqualTo(16);
  }

  @Test
  void badValuesAreEachReportedWithTheirKey() throws IOException {
    ConfigValidation result = json(ConfigRulesTest.BASE.replace("\"sync_max_retries\": 3,",
        "\"sync_max_retries\": 3, \"sync_parallel_groups\": 0, \"sync_parallel_tables\": 65,"
            + " \"group_timeout_mins\": -5,"));

    assertThat(result.config()).isEmpty();
    assertThat(result.problems()).containsExactly(
        "workspaces[0].sync_parallel_groups: must be between 1 and 64, got 0: 1 runs one at a"
            + " time, more run that many at once",
        "workspaces[0].sync_parallel_tables: must be between 1 and 64, got 65: 1 runs one at a"
            + " time, more run that many at once",
        "workspaces[0].group_timeout_mins: must be a positive number of minutes, got -5");
  }

  @Test
  void aWordIsNotANumber() throws IOException {
    List<String> problems = json(ConfigRulesTest.BASE.replace("\"sync_max_retries\": 3,",
        "\"sync_max_retries\": 3, \"sync_parallel_groups\": \"many\",")).problems();

    assertThat(problems).singleElement().asString()
        .startsWith("workspaces[0].sync_parallel_groups: expected a whole number, got");
  }

  private ConfigValidation json(String text) throws IOException {
    return ConfigLoader.check(Files.writeString(dir.resolve("deltasync.json"), text), Map.of());
  }
}
