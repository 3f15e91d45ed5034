package io.deltasync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.local.LocalRunLog;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.DeltaTables;
import io.deltasync.testing.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code send} and {@code receive} end to end in embedded mode, from a HOCON config file. */
class SendReceiveCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cli = DeltaSyncCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path config() throws Exception {
    Path file = dir.resolve("deltasync.conf");
    Files.writeString(file, """
        secret_scope = scope
        workspaces = [{
          workspace_name = local_ws
          workspace_instance_url = "http://127.0.0.1:1"
          workspace_pat_key = pat
          sync_location_primary = "%1$s/sync-primary"
          sync_location_secondary = "%1$s/sync-secondary"
          sync_interval_mins = 15
          sync_failover_interval_mins = 10
          sync_max_retries = 2
          local { primary_dir = "%1$s/primary", secondary_dir = "%1$s/secondary" }
          sync_groups = [{
            group_name = wf
            group_owner_email = "owner@example.com"
            workflow = etl
            tables = [c.raw.bronze]
          }]
        }]
        """.formatted(dir.toAbsolutePath()));
    return file;
  }

  @Test
  void sendPlansThenSyncsAndReceiveApplies() throws Exception {
    Path config = config();
    TableLocation bronze = TableLocation.path(dir.resolve("primary/c/raw/bronze").toString());
    new LocalRunLog(dir.resolve("primary").toString()).record("etl", runId -> {
      SharedSpark.spark().range(0, 25).write().format("delta").save(bronze.toString());
      return null;
    });
    ObjectMapper json = new ObjectMapper();

    assertThat(run("send", "--config", config.toString(), "--dry-run", "--json")).isZero();
    JsonNode plan = json.readTree(out.toString());
    assertThat(plan.get("dry_run").asBoolean()).isTrue();
    assertThat(plan.at("/groups/0/status").asText()).isEqualTo("PLANNED");
    assertThat(plan.at("/groups/0/run_id").asLong()).isEqualTo(1);
    assertThat(plan.at("/groups/0/tables/0/source_version").asLong()).isZero();
    assertThat(plan.at("/groups/0/tables/0/bytes_to_copy").isNull()).isTrue();
    assertThat(Files.exists(dir.resolve("sync-secondary/_deltasync/ledger"))).isFalse();
    assertThat(Files.exists(dir.resolve("sync-secondary/local_ws"))).isFalse();

    assertThat(run("send", "--config", config.toString(), "--json")).isZero();
    JsonNode sent = json.readTree(out.toString());
    assertThat(sent.at("/groups/0/status").asText()).isEqualTo("SYNCED");
    assertThat(sent.at("/groups/0/sequence").asLong()).isEqualTo(1);
    assertThat(sent.at("/groups/0/tables/0/copied_bytes").asLong()).isPositive();

    assertThat(run("receive", "--config", config.toString())).isZero();
    assertThat(out.toString()).contains("local_ws/wf: applied sync point 1 of run 1");
    DeltaTables.assertSameTable(bronze, 0,
        TableLocation.path(dir.resolve("secondary/c/raw/bronze").toString()));

    assertThat(run("send", "--config", config.toString())).isZero();
    assertThat(out.toString()).contains("local_ws/wf: up to date");

    assertThat(run("receive", "--config", config.toString(), "--group", "nope")).isEqualTo(2);
    assertThat(err.toString()).contains("--group nope names no sync group", "wf");
  }
}
