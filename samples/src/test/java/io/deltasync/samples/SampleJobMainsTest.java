package io.deltasync.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.errors.SyncException;
import org.junit.jupiter.api.Test;

/** The sample job mains parse their parameters and fail with usage errors, never exit. */
class SampleJobMainsTest {

  @Test
  void missingParametersAreAUsageErrorNamingThem() {
    assertThatThrownBy(() -> SampleWorkflow1Job.main(new String[] {"--bronze", "c.raw.b"}))
        .isInstanceOfSatisfying(SyncException.class, e -> assertThat(e.kind()).isEqualTo(SyncException.Kind.USAGE))
        .hasMessageContaining("sample_workflow_1: Missing required options: '--landing=DIR', '--silver=TABLE',"
            + " '--gold=TABLE'");
    assertThatThrownBy(() -> SampleWorkflow2Job.main(new String[] {"--readings", "c.raw.r", "--day", "x"}))
        .hasMessageContaining("sample_workflow_2: Invalid value for option '--day': 'x' is not an int");
  }

  @Test
  void optionsAreValidatedBeforeAnyTableIsTouched() {
    assertThatThrownBy(() -> SampleWorkflow1Job.main(new String[] {
            "--landing", "/Volumes/c/raw/landing/sample_workflow_1", "--bronze", "c.raw.b", "--silver", "c.stage.s",
            "--gold", "c.main.g", "--silver-loops", "2", "--fail-after-silver-commit", "3"}))
        .hasMessageContaining("Option --fail-after-silver-commit is 3, which is out of range: use 1 to"
            + " --silver-loops (2)");
  }

  @Test
  void helpIsPrintedWithoutRunning() throws Exception {
    SampleWorkflow1Job.main(new String[] {"--help"});
    SampleWorkflow2Job.main(new String[] {"--help"});
    assertThat(SampleWorkflow1Job.commandLine().getCommandSpec().findOption("--silver-loops").defaultValue())
        .isEqualTo("3");
  }
}
