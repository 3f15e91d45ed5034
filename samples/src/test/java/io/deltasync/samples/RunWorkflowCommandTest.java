package io.deltasync.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.cli.DeltaSyncCli;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runs.RunStamp;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.testing.SharedSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** run-workflow through the launcher's command line, on a local config, with the real run log. */
class RunWorkflowCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void aRunStoppedInItsSilverLoopIsRecordedFailedAndTheRerunSucceedsWithStampedCommits() throws IOException {
    Path config = config();
    SharedSpark.spark();

    int stopped = launch("run-workflow", "--config", config.toString(), "--workflow", "sample_workflow_1",
        "--new-batch", "--fail-after-silver-commit", "2");

    assertThat(stopped).isEqualTo(1);
    assertThat(err.toString()).contains("sample_workflow_1 stopped on purpose after silver commit 2 of 3");
    Path primary = dir.resolve("regions/primary");
    Path secondary = dir.resolve("regions/secondary");
    // --new-batch lands the batch in both regions, as file_transfer.sh does
    assertThat(RunWorkflowCommand.landing(primary.toString()).resolve("batch_0001.csv")).isRegularFile();
    assertThat(RunWorkflowCommand.landing(secondary.toString()).resolve("batch_0001.csv")).isRegularFile();

    int rerun = launch("run-workflow", "--config", config.toString(), "--workflow", "sample_workflow_1");

    assertThat(rerun).as(err.toString()).isZero();
    assertThat(out.toString()).contains("sample_workflow_1 run 2 in primary succeeded: batches batch_0001,"
        + " 0 new landing rows, 3 silver commits, gold through batch_0001");
    List<WorkflowRun> runs = new LocalRunLog(primary.toString())
        .runs("sample_workflow_1", OptionalLong.empty()).stream()
        .sorted(Comparator.comparingLong(WorkflowRun::runId)).toList();
    assertThat(runs).extracting(WorkflowRun::runId, WorkflowRun::result).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1L, WorkflowRun.Result.FAILED),
        org.assertj.core.groups.Tuple.tuple(2L, WorkflowRun.Result.SUCCESS));
    // Every silver commit carries its run's stamp: create + 2 MERGEs of run 1, 3 MERGEs of run 2.
    List<Row> history = SharedSpark.spark()
        .sql("DESCRIBE HISTORY delta.`" + primary.resolve("dr_test_catalog/stage/workflow_1_silver") + "`")
        .orderBy("version").collectAsList();
    assertThat(history).extracting(r -> RunStamp.runId(r.<String>getAs("userMetadata")).orElse(-1))
        .containsExactly(1L, 1L, 1L, 2L, 2L, 2L);
    assertThat(Files.exists(secondary.resolve("dr_test_catalog"))).isFalse();
  }

  @Test
  void workflowTwoRefusesTheOptionsOfTheSilverLoopAndUnknownWorkflowsAreNamed() throws IOException {
    Path config = config();

    int refused = launch("run-workflow", "--config", config.toString(), "--workflow", "sample_workflow_2",
        "--silver-loops", "2");
    assertThat(refused).isEqualTo(2);
    assertThat(err.toString()).contains("--silver-loops, --fail-after-silver-commit and --new-batch apply"
        + " to sample_workflow_1 only");

    int unknown = launch("run-workflow", "--config", config.toString(), "--workflow", "nightly");
    assertThat(unknown).isEqualTo(2);
    assertThat(err.toString()).contains("No sync group in the config has workflow nightly");
  }

  private int launch(String... args) {
    CommandLine cli = DeltaSyncCli.commandLine(Launcher.launcherCommands());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path config() throws IOException {
    Path file = dir.resolve("local.conf");
    String regions = dir.resolve("regions").toString().replace("\\", "/");
    Files.writeString(file, String.join("\n",
        "secret_scope = \"deltasync\"",
        "workspaces = [{",
        "  workspace_name = \"local\"",
        "  workspace_instance_url = \"http://localhost\"",
        "  workspace_pat_key = \"unused\"",
        "  local { primary_dir = \"" + regions + "/primary\", secondary_dir = \"" + regions + "/secondary\" }",
        "  sync_location_primary = \"" + regions + "/primary/_sync\"",
        "  sync_location_secondary = \"" + regions + "/secondary/_sync\"",
        "  sync_interval_mins = 15",
        "  sync_failover_interval_mins = 10",
        "  sync_max_retries = 3",
        "  sync_groups = [",
        "    { group_name = \"sample_workflow_1\", group_owner_email = \"a@example.com\",",
        "      workflow = \"sample_workflow_1\", tables = [\"dr_test_catalog.raw.workflow_1_bronze\",",
        "      \"dr_test_catalog.stage.workflow_1_silver\", \"dr_test_catalog.main.workflow_1_gold\"] },",
        "    { group_name = \"sample_workflow_2\", group_owner_email = \"a@example.com\",",
        "      workflow = \"sample_workflow_2\", tables = [\"dr_test_catalog.raw.workflow_2_readings\",",
        "      \"dr_test_catalog.main.workflow_2_daily\"] }",
        "  ]",
        "}]",
        ""));
    return file;
  }
}
