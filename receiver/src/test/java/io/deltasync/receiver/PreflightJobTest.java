package io.deltasync.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The preflight job main: the command's options without --help; a FAIL throws, never exits. */
class PreflightJobTest {

  @TempDir Path dir;

  @Test
  void parsesConfigRegionAndJson() {
    CommandLine cli = PreflightJob.commandLine();
    assertThat(cli.getCommandName()).isEqualTo("preflight");
    assertThat(cli.getCommandSpec().options().stream()
            .flatMap(o -> List.of(o.names()).stream()).sorted().toList())
        .containsExactly("--config", "--json", "--region");
    CommandLine.ParseResult parsed = cli.parseArgs("--config", "dr.json", "--region", "secondary");
    assertThat(parsed.matchedOptionValue("--region", (Object) null)).hasToString("SECONDARY");
  }

  @Test
  void withoutARegionItIsAUsageError() {
    assertThatThrownBy(() -> PreflightJob.main(new String[] {"--config", "dr.json"}))
        .isInstanceOfSatisfying(SyncException.class,
            e -> assertThat(e.kind()).isEqualTo(SyncException.Kind.USAGE))
        .hasMessageContaining("preflight: Missing required option: '--region=primary|secondary';"
            + " see --help");
  }

  /**
   * A workspace whose secret is not set and whose table schema does not exist: the run prints the
   * FAIL lines and throws.
   */
  @Test
  void aFailedCheckFailsTheRunAfterPrintingEveryLine() throws Exception {
    Path config = Files.writeString(dir.resolve("dr.json"), """
        {
          "secret_scope": "preflight_job_test",
          "workspaces": [{
            "workspace_name": "sales",
            "workspace_instance_url": "http://127.0.0.1:9",
            "secondary_workspace_instance_url": "http://127.0.0.1:9",
            "workspace_pat_key": "no-such-key",
            "sync_location_primary": "%s",
            "sync_location_secondary": "%s",
            "sync_interval_mins": 15,
            "sync_failover_interval_mins": 10,
            "sync_max_retries": 3,
            "sync_groups": [{
              "group_name": "orders",
              "group_owner_email": "owner@example.com",
              "tables": ["spark_catalog.preflight_job_missing.orders"]
            }]
          }]
        }
        """.formatted(dir.resolve("east"), dir.resolve("west")));
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThatThrownBy(() -> PreflightJob.main(new String[] {"--config", config.toString(),
          "--region", "secondary"}))
          .isInstanceOfSatisfying(SyncException.class,
              e -> assertThat(e.kind()).isEqualTo(SyncException.Kind.FATAL))
          .hasMessage("preflight: at least one check failed; the FAIL lines above say what to fix");
    } finally {
      System.setOut(stdout);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("FAIL secret preflight_job_test/no-such-key: not readable: ",
        "FAIL table orders spark_catalog.preflight_job_missing.orders: not registered, and schema"
            + " spark_catalog.preflight_job_missing does not exist.",
        "OK storage sales ledger " + dir.resolve("west") + "/_deltasync: wrote and deleted a probe"
            + " file",
        "preflight in the secondary region: ");
  }
}
