package io.deltasync.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.errors.SyncErrors;
import io.deltasync.testing.CapturedLogs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The launcher's global {@code --quiet}: the result on stdout, a failure's message, nothing else. */
class LauncherOutputTest {

  private static final Logger LOG = LoggerFactory.getLogger(LauncherOutputTest.class);

  /** A command that logs, writes progress to stderr, prints its result, and fails on request. */
  @Command(name = "noisy")
  static final class Noisy implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--fail") boolean fail;

    @Override
    public Integer call() {
      LOG.info("working");
      LOG.warn("a library warns");
      spec.commandLine().getErr().println("[step 1/1] progress");
      if (fail) {
        throw SyncErrors.usage("--fail was given: nothing to do");
      }
      spec.commandLine().getOut().println("the result");
      return 0;
    }
  }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void restoreLogging() {
    ((LoggerContext) LogManager.getContext(false)).reconfigure();
    System.clearProperty(LauncherOutput.PROGRESS_PROPERTY);
  }

  private int run(String... args) {
    return LauncherOutput.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new Noisy());
  }

  @Test
  void withoutQuietLogsAndProgressAreWritten() {
    System.setProperty(LauncherOutput.PROGRESS_PROPERTY, "true");
    try (CapturedLogs logs = CapturedLogs.capture()) {
      assertThat(run("noisy")).isZero();
      assertThat(logs.text()).contains("INFO " + LauncherOutputTest.class.getName() + " - working")
          .contains("WARN " + LauncherOutputTest.class.getName() + " - a library warns");
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("the result\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("[step 1/1] progress\n");
    assertThat(System.getProperty(LauncherOutput.PROGRESS_PROPERTY)).isEqualTo("true");
  }

  @Test
  void quietPrintsOnlyTheResultAndTurnsProgressOff() {
    System.setProperty(LauncherOutput.PROGRESS_PROPERTY, "true");
    try (CapturedLogs logs = CapturedLogs.capture()) {
      assertThat(run("--quiet", "noisy")).isZero();
      assertThat(logs.text()).isEmpty();
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("the result\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(System.getProperty(LauncherOutput.PROGRESS_PROPERTY)).isNull();
  }

  @Test
  void quietStillSaysWhyACommandFailedOrWasMisused() {
    assertThat(run("noisy", "--fail", "--quiet")).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("deltasync: --fail was given: nothing to do\n");

    err.reset();
    assertThat(run("--quiet", "noisy", "--no-such-option")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Unknown option: '--no-such-option'");
  }
}
