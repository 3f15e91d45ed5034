package io.deltasync.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runtime.PrimaryRuns;
import io.deltasync.secrets.EnvSecretProvider;
import io.deltasync.status.StatusReport.GroupReport;
import io.deltasync.status.StatusReport.Lag;
import io.deltasync.status.StatusReport.Primary;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.GroupStatus;
import io.deltasync.sync.TableOutcome;
import io.deltasync.testing.DrScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Status on real Delta tables: state produced by the real sender and receiver (portable cloner,
 * local run log, Delta ledger), times from a hand-set clock.
 */
class StatusTest {

  static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");

  @TempDir Path root;

  /**
   * Run 1 (08:00-08:10) sent at 08:15 and applied at 08:20; run 2 (next day 10:00-10:10) sent at
   * 10:15 and not applied; status at 10:45: staged #2, applied #1, lag 35 min from run 2's end,
   * bytes of the second send only (the first is 26 h old).
   */
  private DrScenario twoRunsSyncedOneApplied() throws Exception {
    DrScenario s = new DrScenario(root, T0);
    long run1 = s.runOrders(Duration.ofMinutes(10),
        "CREATE TABLE $bronze (id BIGINT, name STRING) USING delta",
        "INSERT INTO $bronze VALUES (1, 'a'), (2, 'b')",
        "CREATE TABLE $gold (name STRING, total BIGINT) USING delta",
        "INSERT INTO $gold VALUES ('a', 1), ('b', 2)");
    assertThat(run1).isEqualTo(1);
    s.clock.set(T0.plus(Duration.ofMinutes(15)));
    assertThat(groupStatus(s.send(), "orders")).isEqualTo(GroupStatus.SYNCED);
    s.clock.set(T0.plus(Duration.ofMinutes(20)));
    assertThat(groupStatus(s.receive(), "orders")).isEqualTo(GroupStatus.SYNCED);

    s.clock.set(T0.plus(Duration.ofHours(26)));
    long run2 = s.runOrders(Duration.ofMinutes(10),
        "INSERT INTO $bronze VALUES (3, 'c')",
        "INSERT INTO $gold VALUES ('c', 3)");
    assertThat(run2).isEqualTo(2);
    s.clock.set(T0.plus(Duration.ofHours(26)).plus(Duration.ofMinutes(15)));
    CycleResult second = s.send();
    assertThat(groupStatus(second, "orders")).isEqualTo(GroupStatus.SYNCED);
    secondSendBytes = orders(second).tables().stream().mapToLong(TableOutcome::copiedBytes).sum();
    s.clock.set(T0.plus(Duration.ofHours(26)).plus(Duration.ofMinutes(45)));
    return s;
  }

  private long secondSendBytes;

  @Test
  void reportsTwoRunsSyncedOneAppliedWithExactLagAndBytes() throws Exception {
    DrScenario s = twoRunsSyncedOneApplied();
    // The ledger rows the bytes come from, read independently of status.
    List<LedgerRow> staged = s.ledger().read().stream()
        .filter(r -> r.status() == SyncStatus.STAGED && r.groupName().equals("orders")).toList();
    long firstSendBytes = staged.stream().filter(r -> r.sequence() == 1)
        .mapToLong(LedgerRow::copiedFilesSize).sum();
    assertThat(firstSendBytes).isPositive();
    assertThat(secondSendBytes).isPositive();
    assertThat(staged.stream().filter(r -> r.sequence() == 2).mapToLong(LedgerRow::copiedFilesSize)
        .sum()).isEqualTo(secondSendBytes);

    // The standalone group's history, written through the ledger API: a sync point outside the
    // 24-hour window, one just inside it, then a failure.
    Instant now = Instant.parse("2026-01-06T10:45:00Z");
    s.ledger().append(List.of(referenceRow("r1", 1, SyncStatus.STAGED, 1_000,
        now.minus(Duration.ofHours(24)), Optional.empty())), Optional.empty());
    s.ledger().append(List.of(referenceRow("r2", 2, SyncStatus.STAGED, 5_000,
        now.minus(Duration.ofHours(24)).plusSeconds(1), Optional.empty())), Optional.empty());
    s.ledger().append(List.of(referenceRow("r3", 3, SyncStatus.FAILED, 0,
        now.minus(Duration.ofMinutes(10)), Optional.of("Clone of c.s.countries failed: disk full"))),
        Optional.empty());

    StatusReport report = status(s).report(s.config, Optional.empty());

    assertThat(report.at()).isEqualTo(now);
    GroupReport orders = report.groups().get(0);
    assertThat(orders.group()).isEqualTo("orders");
    assertThat(orders.workflow()).contains("orders_flow");
    Primary.Reachable primary = (Primary.Reachable) orders.primary();
    assertThat(primary.lastSuccess().orElseThrow().runId()).isEqualTo(2);
    assertThat(primary.lastSuccess().orElseThrow().end())
        .contains(Instant.parse("2026-01-06T10:10:00Z"));
    assertThat(orders.lastStaged().orElseThrow().sequence()).isEqualTo(2);
    assertThat(orders.lastStaged().orElseThrow().runId()).isEqualTo(OptionalLong.of(2));
    assertThat(orders.lastStaged().orElseThrow().recordedAt())
        .isEqualTo(Instant.parse("2026-01-06T10:15:00Z"));
    assertThat(orders.lastStaged().orElseThrow().tables()).isEqualTo(2);
    assertThat(orders.lastApplied().orElseThrow().sequence()).isEqualTo(1);
    assertThat(orders.lastApplied().orElseThrow().runId()).isEqualTo(OptionalLong.of(1));
    assertThat(orders.lastApplied().orElseThrow().recordedAt())
        .isEqualTo(Instant.parse("2026-01-05T08:20:00Z"));
    Lag.Behind lag = (Lag.Behind) orders.lag();
    assertThat(lag.lag()).isEqualTo(Duration.ofMinutes(35));
    assertThat(lag.newestNotHeld().runId()).isEqualTo(2);
    assertThat(lag.runsBehind()).isEqualTo(1);
    assertThat(orders.lag().seconds()).isEqualTo(OptionalLong.of(2100));
    assertThat(orders.bytesSentLast24h()).isEqualTo(secondSendBytes);
    assertThat(orders.lastError()).isEmpty();
    assertThat(orders.ledgerProblem()).isEmpty();

    GroupReport reference = report.groups().get(1);
    assertThat(reference.group()).isEqualTo("reference");
    assertThat(reference.primary()).isInstanceOf(Primary.Standalone.class);
    assertThat(reference.lastStaged().orElseThrow().sequence()).isEqualTo(2);
    assertThat(reference.lastStaged().orElseThrow().runId()).isEmpty();
    assertThat(reference.lastApplied()).isEmpty();
    assertThat(reference.lastError().orElseThrow()).isEqualTo(new StatusReport.ErrorSummary(
        Instant.parse("2026-01-06T10:35:00Z"), "send", "c.s.countries",
        "Clone of c.s.countries failed: disk full", false));
    // Exactly 24 h old is outside the window; one second younger is inside.
    assertThat(reference.bytesSentLast24h()).isEqualTo(5_000);
    assertThat(reference.lag()).isInstanceOf(Lag.Unknown.class);

    List<String> lines = StatusText.lines(report);
    String bytes = StatusText.bytes(secondSendBytes);
    assertThat(lines.subList(0, 4)).containsExactly(
        "Status at 2026-01-06T10:45:00Z",
        String.format("%-9s  %-32s  %-32s  %-32s  %-7s  %-" + Math.max(8, bytes.length())
                + "s  %s", "GROUP", "PRIMARY LAST RUN", "LAST STAGED", "LAST APPLIED", "LAG",
            "SENT 24H", "LAST ERROR").stripTrailing(),
        String.format("%-9s  %-32s  %-32s  %-32s  %-7s  %-" + Math.max(8, bytes.length())
                + "s  %s", "orders", "run 2 ended 2026-01-06T10:10:00Z",
            "#2 run 2 at 2026-01-06T10:15:00Z", "#1 run 1 at 2026-01-05T08:20:00Z", "35m 00s",
            bytes, "-"),
        String.format("%-9s  %-32s  %-32s  %-32s  %-7s  %-" + Math.max(8, bytes.length())
                + "s  %s", "reference", "standalone", "#2 at 2026-01-05T10:45:01Z", "-", "unknown",
            "4.9 KiB", "send 2026-01-06T10:35:00Z c.s.countries"));
    assertThat(lines).contains("reference: last error (send, 2026-01-06T10:35:00Z) on"
        + " c.s.countries: Clone of c.s.countries failed: disk full");
    assertThat(lines).contains("orders: the secondary does not hold run 2 (ended"
        + " 2026-01-06T10:10:00Z); 1 successful run not applied yet");
  }

  @Test
  void lagIsZeroOnceTheSecondaryHoldsTheNewestRun() throws Exception {
    DrScenario s = twoRunsSyncedOneApplied();
    s.clock.set(T0.plus(Duration.ofHours(26)).plus(Duration.ofMinutes(50)));
    assertThat(groupStatus(s.receive(), "orders")).isEqualTo(GroupStatus.SYNCED);
    s.clock.set(T0.plus(Duration.ofHours(27)));

    GroupReport orders = status(s).report(s.config, Optional.of("orders")).groups().get(0);

    assertThat(orders.lastApplied().orElseThrow().sequence()).isEqualTo(2);
    assertThat(orders.lag()).isEqualTo(new Lag.UpToDate());
    assertThat(orders.lag().seconds()).isEqualTo(OptionalLong.of(0));
    assertThat(StatusText.lag(orders.lag())).isEqualTo("0s");
    // 27 h after T0, the second send (26 h 15 m) is still in the window.
    assertThat(orders.bytesSentLast24h()).isEqualTo(secondSendBytes);
  }

  @Test
  void reportsThePrimaryUnreachableWhenItsRunLogIsMissingAndCarriesOn() throws Exception {
    DrScenario s = twoRunsSyncedOneApplied();
    Path runs = root.resolve("primary/_runs");
    assertThat(runs).isDirectory();
    deleteTree(runs);

    StatusReport report = status(s).report(s.config, Optional.empty());

    GroupReport orders = report.groups().get(0);
    Primary.Unreachable primary = (Primary.Unreachable) orders.primary();
    assertThat(primary.why()).contains("The primary's run log")
        .contains(root.resolve("primary").toString() + "/_runs").contains("does not exist");
    assertThat(orders.lag()).isEqualTo(new Lag.Unknown("primary unreachable"));
    assertThat(orders.lag().seconds()).isEmpty();
    // What the ledger says is still reported.
    assertThat(orders.lastStaged().orElseThrow().sequence()).isEqualTo(2);
    assertThat(orders.lastApplied().orElseThrow().sequence()).isEqualTo(1);
    assertThat(orders.bytesSentLast24h()).isEqualTo(secondSendBytes);
    assertThat(report.groups()).hasSize(2);
    List<String> lines = StatusText.lines(report);
    assertThat(lines.get(2)).startsWith("orders ").contains("UNREACHABLE").contains("unknown");
    assertThat(lines).anySatisfy(l -> assertThat(l)
        .startsWith("orders: primary unreachable: The primary's run log"));
  }

  private static LedgerRow referenceRow(String syncId, long sequence, SyncStatus status,
      long copiedBytes, Instant at, Optional<String> error) {
    return new LedgerRow(LedgerRow.CURRENT_FORMAT, syncId, sequence, "ws", "reference",
        "c.s.countries", "c.s.countries", OptionalLong.empty(), Optional.empty(),
        OptionalLong.of(4), status == SyncStatus.STAGED ? OptionalLong.of(sequence - 1)
            : OptionalLong.empty(), OptionalLong.empty(), status, 1, copiedBytes, 0, 0, copiedBytes,
        1, 250, status == SyncStatus.FAILED ? 3 : 1, error, at);
  }

  private static Status status(DrScenario s) {
    return new Status(s::ledger, ws -> PrimaryRuns.forWorkspace(ws, new EnvSecretProvider()),
        s.clock);
  }

  private static GroupOutcome orders(CycleResult result) {
    return result.groups().stream().filter(g -> g.group().equals("orders")).findFirst()
        .orElseThrow();
  }

  private static GroupStatus groupStatus(CycleResult result, String group) {
    return result.groups().stream().filter(g -> g.group().equals(group)).findFirst()
        .orElseThrow().status();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
