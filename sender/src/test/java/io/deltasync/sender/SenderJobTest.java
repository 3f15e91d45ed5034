package io.deltasync.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SenderJobTest {

  @TempDir Path dir;

  @Test
  void parsesExactlyTheSendOptions() {
    assertThat(SenderJob.commandLine().getCommandSpec().options())
        .extracting(o -> o.longestName())
        .containsExactlyInAnyOrder("--config", "--region", "--group", "--dry-run", "--json",
            "--maintain-every-hours", "--staging-retention-hours");
    assertThat(SenderJob.commandLine().getCommandSpec().findOption("--config").required()).isTrue();
  }

  @Test
  void throwsInsteadOfExiting() {
    assertThatThrownBy(() -> SenderJob.main(new String[] {"--group", "g"}))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--config");
    Path missing = dir.resolve("missing.conf");
    assertThatThrownBy(() -> SenderJob.main(new String[] {"--config", missing.toString()}))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining(missing.toString());
  }
}
