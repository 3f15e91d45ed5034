package io.deltasync.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The failover, failback and drill job mains: exactly their options, and they throw. */
class DrJobMainsTest {

  @TempDir Path dir;

  @Test
  void bothJobsParseExactlyConfigRegionAndJson() {
    for (CommandLine cli : List.of(FailoverJob.commandLine(), FailbackJob.commandLine())) {
      assertThat(cli.getCommandSpec().options().stream()
              .flatMap(o -> List.of(o.names()).stream()).sorted().toList())
          .as(cli.getCommandName())
          .containsExactly("--config", "--help", "--json", "--region", "--version", "-V", "-h");
      CommandLine.ParseResult parsed = cli.parseArgs("--config", "dr.json", "--json");
      assertThat(parsed.matchedOptionValue("--config", (Object) null)).hasToString("dr.json");
      assertThat(parsed.hasMatchedOption("--json")).isTrue();
    }
    assertThat(FailoverJob.commandLine().getCommandName()).isEqualTo("failover");
    assertThat(FailbackJob.commandLine().getCommandName()).isEqualTo("failback");
  }

  @Test
  void theDrillJobParsesExactlyConfigRegionAndDir() {
    CommandLine cli = DrillJob.commandLine();
    assertThat(cli.getCommandName()).isEqualTo("drill");
    assertThat(cli.getCommandSpec().options().stream()
            .flatMap(o -> List.of(o.names()).stream()).sorted().toList())
        .containsExactly("--config", "--dir", "--help", "--region", "--version", "-V", "-h");
    CommandLine.ParseResult parsed = cli.parseArgs("--config", "dr.json", "--region",
        "secondary", "--dir", "/Volumes/main/deltasync/drills");
    assertThat(parsed.matchedOptionValue("--dir", (Object) null))
        .hasToString("/Volumes/main/deltasync/drills");
  }

  @Test
  void theDrillJobRefusesToRunInThePrimary() throws Exception {
    Path config = Files.writeString(dir.resolve("bad.json"), "{\"secret_scope\": \"s\"}");
    assertThatThrownBy(() -> DrillJob.main(new String[] {"--config", config.toString(),
        "--region", "primary"}))
        .isInstanceOfSatisfying(SyncException.class,
            e -> assertThat(e.kind()).isEqualTo(SyncException.Kind.USAGE))
        .hasMessageContaining("the keep-primary drill runs in the secondary region")
        .hasMessageContaining("use --region secondary");
  }

  @Test
  void anUnknownOptionIsAUsageErrorNotAnExit() {
    assertThatThrownBy(() -> FailoverJob.main(new String[] {"--config", "dr.json", "--group", "g"}))
        .isInstanceOfSatisfying(SyncException.class,
            e -> assertThat(e.kind()).isEqualTo(SyncException.Kind.USAGE))
        .hasMessageContaining("failover: Unknown options: '--group', 'g'; see --help");
    assertThatThrownBy(() -> FailbackJob.main(new String[] {}))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("failback: Missing required option: '--config=FILE'");
  }

  @Test
  void aBadConfigThrowsItsProblemsBeforeTouchingAnyWorkspace() throws Exception {
    Path config = Files.writeString(dir.resolve("bad.json"), "{\"secret_scope\": \"s\"}");

    assertThatThrownBy(() -> FailoverJob.main(new String[] {"--config", config.toString()}))
        .isInstanceOfSatisfying(SyncException.class,
            e -> assertThat(e.kind()).isEqualTo(SyncException.Kind.USAGE))
        .hasMessageContaining("Config " + config)
        .hasMessageContaining("workspaces");
  }
}
