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

/** The failover and failback job mains: exactly {@code --config FILE [--json]}, and they throw. */
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
