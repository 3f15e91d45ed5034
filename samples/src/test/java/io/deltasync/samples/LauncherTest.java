package io.deltasync.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.cli.DeltaSyncCli;
import java.io.PrintWriter;
import java.io.StringWriter;
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

  /** {@code drill}'s options go together: each wrong pair is a usage error (2) that says why. */
  @Test
  void drillRefusesOptionsThatDoNotGoTogether() {
    assertThat(usage("drill", "--keep-primary"))
        .contains("drill --keep-primary needs --config FILE: the workspaces to drill");
    assertThat(usage("drill", "--config", "dr.json"))
        .contains("--config goes with --keep-primary: the local drill builds its own regions and"
            + " config");
    assertThat(usage("drill", "--keep-primary", "--config", "dr.json", "--region", "primary"))
        .contains("the keep-primary drill runs in the secondary region")
        .contains("use --region secondary");
  }

  /** What a command that must end in a usage error writes on stderr. */
  private static String usage(String... args) {
    CommandLine cli = DeltaSyncCli.commandLine(Launcher.launcherCommands());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    assertThat(cli.execute(args)).as(String.join(" ", args)).isEqualTo(2);
    return err.toString();
  }
}
