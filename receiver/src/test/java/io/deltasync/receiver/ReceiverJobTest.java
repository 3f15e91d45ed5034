package io.deltasync.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReceiverJobTest {

  @TempDir Path dir;

  @Test
  void parsesExactlyTheReceiveOptions() {
    assertThat(ReceiverJob.commandLine().getCommandSpec().options())
        .extracting(o -> o.longestName())
        .containsExactlyInAnyOrder("--config", "--region", "--group", "--json");
    assertThat(ReceiverJob.commandLine().getCommandSpec().findOption("--config").required()).isTrue();
  }

  @Test
  void throwsInsteadOfExiting() {
    assertThatThrownBy(() -> ReceiverJob.main(new String[] {"--group", "g"}))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--config");
    Path missing = dir.resolve("missing.conf");
    assertThatThrownBy(() -> ReceiverJob.main(new String[] {"--config", missing.toString()}))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining(missing.toString());
  }
}
