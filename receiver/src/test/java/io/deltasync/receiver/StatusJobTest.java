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

/** The status job main: the status command's options without --help, and it throws. */
class StatusJobTest {

  @TempDir Path dir;

  @Test
  void parsesConfigGroupJsonAndAlert() {
    CommandLine cli = StatusJob.commandLine();
    assertThat(cli.getCommandName()).isEqualTo("status");
    assertThat(cli.getCommandSpec().options().stream()
            .flatMap(o -> List.of(o.names()).stream()).sorted().toList())
        .containsExactly("--alert", "--config", "--group", "--json", "--region");
    CommandLine.ParseResult parsed = cli.parseArgs("--config", "dr.json", "--alert", "--json");
    assertThat(parsed.matchedOptionValue("--config", (Object) null)).hasToString("dr.json");
    assertThat(parsed.hasMatchedOption("--alert")).isTrue();
    assertThat(parsed.hasMatchedOption("--json")).isTrue();
  }

  @Test
  void anUnknownOptionIsAUsageErrorNotAnExit() {
    assertThatThrownBy(() -> StatusJob.main(new String[] {"--config", "dr.json", "--alerts"}))
        .isInstanceOfSatisfying(SyncException.class,
            e -> assertThat(e.kind()).isEqualTo(SyncException.Kind.USAGE))
        .hasMessageContaining("status: Unknown option: '--alerts'; see --help");
  }

  @Test
  void aBadConfigThrowsItsProblemsBeforeReadingAnything() throws Exception {
    Path config = Files.writeString(dir.resolve("bad.json"), "{\"secret_scope\": \"s\"}");

    assertThatThrownBy(() -> StatusJob.main(new String[] {"--config", config.toString(), "--alert"}))
        .isInstanceOfSatisfying(SyncException.class,
            e -> assertThat(e.kind()).isEqualTo(SyncException.Kind.USAGE))
        .hasMessageContaining("Config " + config)
        .hasMessageContaining("workspaces");
  }
}
