package io.deltasync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.SyncPoint;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real killed processes: a child JVM (the test class path, {@link FaultyDr#main}) runs one sender
 * or receiver cycle over the scenario's folders and halts itself with {@link Runtime#halt} at a
 * failure point: no finally block, no shutdown hook, whatever was in flight stays as it was. This
 * JVM then checks what the secondary exposes and runs the recovery cycle.
 */
class KilledProcessTest {

  @TempDir Path dir;

  record Kill(String step, FailurePoint point, int nth) {}

  @Test
  void aCycleKilledAtAFailurePointLeavesNothingHalfSyncedAndTheNextCycleRecovers()
      throws Exception {
    FaultyDr scenario = new FaultyDr(dir, Instant.now()).withReferenceTable();
    scenario.completeRun();
    assertThat(scenario.send(Faults.NONE).failed()).isFalse();
    assertThat(scenario.receive(Faults.NONE).failed()).isFalse();

    List<Kill> kills = List.of(
        new Kill("send", FailurePoint.CLONE_AFTER_FILE_COPIED, 2),
        new Kill("send", FailurePoint.SENDER_BEFORE_SYNC_POINT, 1),
        new Kill("receive", FailurePoint.RECEIVER_BETWEEN_TABLES, 1),
        new Kill("receive", FailurePoint.LEDGER_AFTER_COMMIT, 1));
    for (Kill kill : kills) {
      int run = scenario.completeRun();
      if (kill.step().equals("receive")) {
        assertThat(scenario.send(Faults.NONE).failed()).isFalse();
      }
      List<LedgerRow> before = scenario.ledgerRows();
      List<Long> stagedBefore = scenario.stagedSequences("orders");

      int exit = runChild(scenario, kill);

      assertThat(exit).as("%s: the child halted at the point (log %s)", kill, log(kill))
          .isEqualTo(FaultyDr.HALTED);
      assertThat(scenario.exposedNonRunStates()).as("%s", kill).isEmpty();
      assertThat(FaultyDr.keys(scenario.ledgerRows())).as("%s: ledger rows kept", kill)
          .containsAll(FaultyDr.keys(before));
      Map<String, Integer> held = scenario.secondaryRuns();
      switch (kill.point()) {
        case CLONE_AFTER_FILE_COPIED, SENDER_BEFORE_SYNC_POINT -> {
          assertThat(scenario.stagedSequences("orders")).as("%s", kill).isEqualTo(stagedBefore);
          assertThat(held).containsOnly(Map.entry("c.s.bronze", run - 1),
              Map.entry("c.s.gold", run - 1));
        }
        // Killed mid-apply: each table is a completed run's state, the group is not yet whole
        // (bronze new, gold old) until the next receiver cycle rolls it forward.
        case RECEIVER_BETWEEN_TABLES -> assertThat(held).containsOnly(
            Map.entry("c.s.bronze", run), Map.entry("c.s.gold", run - 1));
        // Killed after the APPLIED rows committed: the sync point is applied as a whole.
        case LEDGER_AFTER_COMMIT -> {
          assertThat(held).containsOnly(Map.entry("c.s.bronze", run), Map.entry("c.s.gold", run));
          assertThat(scenario.ledgerState().lastApplied("ws", "orders").orElseThrow().sequence())
              .isEqualTo(scenario.ledgerState().lastStaged("ws", "orders").orElseThrow().sequence());
        }
        default -> throw new AssertionError(kill);
      }

      assertThat(scenario.send(Faults.NONE).failed()).as("%s: recovery send", kill).isFalse();
      assertThat(scenario.receive(Faults.NONE).failed()).as("%s: recovery receive", kill).isFalse();

      assertThat(scenario.secondaryRuns()).as("%s: final state", kill)
          .containsOnly(Map.entry("c.s.bronze", run), Map.entry("c.s.gold", run));
      assertThat(FaultyDr.keys(scenario.ledgerRows())).containsAll(FaultyDr.keys(before));
      assertThat(scenario.stagedSequences("orders")).doesNotHaveDuplicates();
      SyncPoint staged = scenario.ledgerState().lastStaged("ws", "orders").orElseThrow();
      SyncPoint applied = scenario.ledgerState().lastApplied("ws", "orders").orElseThrow();
      assertThat(applied.syncId()).as("%s", kill).isEqualTo(staged.syncId());
    }
  }

  private Path log(Kill kill) {
    return dir.resolve("child-" + kill.step() + "-" + kill.point() + ".log");
  }

  /** Starts the child JVM on this JVM's class path and options, and waits for it to end. */
  private int runChild(FaultyDr scenario, Kill kill) throws IOException, InterruptedException {
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("--add-opens") || option.startsWith("-Xmx")) {
        command.add(option);
      }
    }
    command.add("-cp");
    command.add(classPath);
    command.add(FaultyDr.class.getName());
    command.add(dir.toString());
    command.add(Long.toString(scenario.dr.clock.instant().toEpochMilli()));
    command.add(kill.step());
    command.add(kill.point().name());
    command.add(Integer.toString(kill.nth()));
    Process child = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log(kill).toFile())
        .start();
    if (!child.waitFor(20, TimeUnit.MINUTES)) {
      child.destroyForcibly();
      throw new AssertionError("the child JVM did not end within 20 minutes: " + tail(log(kill)));
    }
    if (child.exitValue() != FaultyDr.HALTED) {
      System.err.println(tail(log(kill)));
    }
    return child.exitValue();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join(System.lineSeparator(),
        lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
