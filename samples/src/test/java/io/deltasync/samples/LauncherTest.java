package io.deltasync.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.cli.DeltaSyncCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The launcher serves the engine's commands plus its own, each with --help. */
class LauncherTest {

  @Test
  void theLauncherOffersTheEngineCommandsEachWithHelp() {
    CommandLine cli = DeltaSyncCli.commandLine(Launcher.launcherCommands());

    assertThat(cli.getSubcommands()).containsKeys("help", "check");
    cli.getSubcommands()
        .forEach((name, sub) -> assertThat(sub.getCommandSpec().findOption("--help")).as(name).isNotNull());
  }
}
