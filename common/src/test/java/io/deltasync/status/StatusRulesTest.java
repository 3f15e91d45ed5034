package io.deltasync.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.config.Credentials;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.errors.SyncException;
import io.deltasync.ledger.InMemorySyncLedger;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.status.StatusReport.GroupReport;
import io.deltasync.status.StatusReport.Lag;
import io.deltasync.status.StatusReport.Primary;
import io.deltasync.table.TableName;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Status decisions on fakes: lag rule edge cases, failures' step, unreachable parts. */
class StatusRulesTest {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final InMemorySyncLedger ledger = new InMemorySyncLedger();
  private final List<WorkflowRun> runs = new ArrayList<>();
  private final List<OptionalLong> asked = new ArrayList<>();
  private final RunSource runSource = (workflow, notBefore) -> {
    asked.add(notBefore);
    return runs.stream().filter(r -> r.workflow().equals(workflow))
        .filter(r -> notBefore.isEmpty() || r.runId() >= notBefore.getAsLong()).toList();
  };

  private static final DeltaSyncConfig CONFIG = new DeltaSyncConfig("scope", List.of(
      new WorkspaceConfig("ws", URI.create("http://127.0.0.1:1"), Optional.empty(),
          new Credentials.Pat(new SecretRef("scope", "pat")), "/p", "/s", Duration.ofMinutes(15),
          Duration.ofMinutes(10), Duration.ofMinutes(60), 0, Optional.empty(), Optional.empty(),
          List.of(new SyncGroup("ws", "g", "o@example.com", Optional.of("wf"),
              List.of(TableMapping.sameName(TableName.parse("c.s.t"))))),
          Optional.of(new LocalRegions("/p", "/s")))), Optional.empty());

  private GroupReport report() {
    return report(w -> ledger, w -> runSource);
  }

  private GroupReport report(java.util.function.Function<WorkspaceConfig, SyncLedger> ledgers,
      java.util.function.Function<WorkspaceConfig, RunSource> sources) {
    return new Status(ledgers, sources, Clock.fixed(NOW, ZoneOffset.UTC))
        .report(CONFIG, Optional.empty()).groups().get(0);
  }

  private static WorkflowRun run(long id, WorkflowRun.Result result, Instant end) {
    return new WorkflowRun(id, "wf", end.minusSeconds(600), Optional.ofNullable(end), result);
  }

  private static LedgerRow row(String syncId, long sequence, SyncStatus status, long runId,
      Instant runEnd, Instant at, Optional<String> error) {
    return new LedgerRow(LedgerRow.CURRENT_FORMAT, syncId, sequence, "ws", "g", "c.s.t", "c.s.t",
        OptionalLong.of(runId), Optional.of(runEnd), OptionalLong.of(5), OptionalLong.of(2),
        OptionalLong.empty(), status, 1, 100, 0, 0, 100, 1, 10, 1, error, at);
  }

  private void append(LedgerRow row) {
    ledger.append(List.of(row), Optional.empty());
  }

  @Test
  void lagCountsFromTheNewestSuccessfulRunIgnoringFailedAndRunningOnes() {
    Instant end1 = NOW.minus(Duration.ofHours(3));
    Instant end2 = NOW.minus(Duration.ofHours(2));
    runs.add(run(1, WorkflowRun.Result.SUCCESS, end1));
    runs.add(run(2, WorkflowRun.Result.SUCCESS, end2));
    runs.add(run(3, WorkflowRun.Result.FAILED, NOW.minus(Duration.ofHours(1))));
    runs.add(new WorkflowRun(4, "wf", NOW.minusSeconds(60), Optional.empty(),
        WorkflowRun.Result.RUNNING));
    append(row("a", 1, SyncStatus.STAGED, 1, end1, end1.plusSeconds(60), Optional.empty()));
    append(row("a", 1, SyncStatus.APPLIED, 1, end1, end1.plusSeconds(120), Optional.empty()));

    GroupReport g = report();

    assertThat(((Primary.Reachable) g.primary()).lastSuccess().orElseThrow().runId()).isEqualTo(2);
    assertThat(g.lag()).isEqualTo(new Lag.Behind(Duration.ofHours(2), runs.get(1), 1));
    // Only runs since the applied one were asked for.
    assertThat(asked).containsExactly(OptionalLong.of(1));
  }

  @Test
  void theSecondaryHoldsARunWhenItHoldsALaterOneAndLagIsZeroWithoutAnySuccess() {
    Instant end1 = NOW.minus(Duration.ofHours(3));
    runs.add(run(1, WorkflowRun.Result.SUCCESS, end1));
    append(row("a", 1, SyncStatus.APPLIED, 7, end1.plusSeconds(1), end1.plusSeconds(120),
        Optional.empty()));
    assertThat(report().lag()).isEqualTo(new Lag.UpToDate());

    runs.clear();
    runs.add(run(1, WorkflowRun.Result.FAILED, end1));
    GroupReport none = report(w -> new InMemorySyncLedger(), w -> runSource);
    assertThat(((Primary.Reachable) none.primary()).lastSuccess()).isEmpty();
    assertThat(none.lag()).isEqualTo(new Lag.UpToDate());
    assertThat(StatusText.lines(new StatusReport(NOW, List.of(none))).get(2))
        .contains("no successful run");
  }

  @Test
  void aReceiverFailureIsNamedSoAndResolvedOnceALaterPointIsApplied() {
    Instant end = NOW.minus(Duration.ofHours(5));
    runs.add(run(1, WorkflowRun.Result.SUCCESS, end));
    append(row("a", 1, SyncStatus.STAGED, 1, end, end.plusSeconds(60), Optional.empty()));
    append(row("a", 1, SyncStatus.FAILED, 1, end, end.plusSeconds(120),
        Optional.of("secondary not writable")));

    GroupReport failed = report();
    assertThat(failed.lastError().orElseThrow()).isEqualTo(new StatusReport.ErrorSummary(
        end.plusSeconds(120), "receive", "c.s.t", "secondary not writable", false));

    append(row("a", 1, SyncStatus.APPLIED, 1, end, end.plusSeconds(180), Optional.empty()));
    GroupReport resolved = report();
    assertThat(resolved.lastError().orElseThrow().resolved()).isTrue();
    assertThat(resolved.lag()).isEqualTo(new Lag.UpToDate());
  }

  @Test
  void anUnreadableLedgerAndAnUnreachablePrimaryAreReportedNotThrown() {
    GroupReport g = report(
        w -> { throw SyncErrors.ledgerUnreadable("/s/_deltasync/ledger",
            new java.io.IOException("disk gone")); },
        w -> { throw SyncErrors.primaryRunLogMissing("/p/_runs"); });

    assertThat(g.ledgerProblem().orElseThrow())
        .startsWith("Cannot read the ledger at /s/_deltasync/ledger: IOException: disk gone");
    assertThat(((Primary.Unreachable) g.primary()).why())
        .startsWith("The primary's run log /p/_runs does not exist");
    assertThat(g.lag()).isEqualTo(new Lag.Unknown("primary unreachable"));
    assertThat(g.lastStaged()).isEmpty();
    assertThat(g.bytesSentLast24h()).isZero();
    List<String> lines = StatusText.lines(new StatusReport(NOW, List.of(g)));
    assertThat(lines).contains("g: ledger unreadable: Cannot read the ledger at"
        + " /s/_deltasync/ledger: IOException: disk gone. Check that the storage is reachable and"
        + " readable by this job's identity.");
  }

  @Test
  void anUnknownGroupIsAUsageError() {
    Status status = new Status(w -> ledger, w -> runSource, Clock.fixed(NOW, ZoneOffset.UTC));

    assertThatThrownBy(() -> status.report(CONFIG, Optional.of("nope")))
        .isInstanceOf(SyncException.class)
        .hasMessage("--group nope names no sync group of the config; the groups are: g");
  }

  @Test
  void durationsAndBytesReadNaturally() {
    assertThat(StatusText.duration(Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(StatusText.duration(Duration.ofSeconds(303))).isEqualTo("5m 03s");
    assertThat(StatusText.duration(Duration.ofMinutes(125))).isEqualTo("2h 05m");
    assertThat(StatusText.duration(Duration.ofHours(76))).isEqualTo("3d 04h");
    assertThat(StatusText.bytes(512)).isEqualTo("512 B");
    assertThat(StatusText.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(StatusText.bytes(3L * 1024 * 1024 * 1024)).isEqualTo("3.0 GiB");
  }
}
