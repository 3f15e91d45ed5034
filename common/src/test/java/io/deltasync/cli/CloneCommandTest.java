package io.deltasync.cli;

import static io.deltasync.testing.DeltaTables.assertSameTable;
import static io.deltasync.testing.DeltaTables.sql;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.table.TableLocation;
import io.deltasync.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloneCommandTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return DeltaSyncCli.execute(args);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @Test
  void clonesTheLatestVersionAndPrintsDeepCloneFiguresAsJson() throws Exception {
    SharedSpark.spark();
    TableLocation source = TableLocation.path(dir.resolve("source").toString());
    TableLocation target = TableLocation.path(dir.resolve("target").toString());
    sql(source, "CREATE TABLE $t (id INT) USING delta", "INSERT INTO $t VALUES (1), (2)");

    int exit = run("clone", "--source", source.toString(), "--target", target.toString(),
        "--threads", "2", "--json");

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.DONE);
    JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    List<String> names = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("source_table_size", "source_num_of_files",
        "num_removed_files", "num_copied_files", "removed_files_size", "copied_files_size",
        "source_version", "target_version", "duration_ms");
    assertThat(json.get("source_version").asLong()).isEqualTo(1);
    assertThat(json.get("target_version").asLong()).isZero();
    assertThat(json.get("num_copied_files").asLong())
        .isEqualTo(json.get("source_num_of_files").asLong()).isPositive();
    assertSameTable(source, 1, target);

    out.reset();
    int again = run("clone", "--source", source.toString(), "--version", "1",
        "--target", target.toString());

    assertThat(again).isEqualTo(ExitCodes.DONE);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(target + " already holds " + source
        + " version 1: nothing copied, nothing committed" + System.lineSeparator());
  }

  @Test
  void refusesAMissingVersionWithExitCodeOneAndTheReason() {
    TableLocation source = TableLocation.path(dir.resolve("source").toString());
    sql(source, "CREATE TABLE $t (id INT) USING delta");

    int exit = run("clone", "--source", source.toString(), "--version", "3",
        "--target", dir.resolve("target").toString());

    assertThat(exit).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("deltasync: Table " + source
        + " has no version 3: its latest version is 0; clone a version between 0 and 0"
        + System.lineSeparator());
  }

  @Test
  void refusesBadThreadsAsUsage() {
    int exit = run("clone", "--source", "/a", "--target", "/b", "--threads", "0");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("deltasync: --threads must be at least 1, got 0" + System.lineSeparator());
  }
}
