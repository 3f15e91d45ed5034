package io.deltasync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncException;
import io.deltasync.ledger.InMemorySyncLedger;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.spark.HadoopDoorbell;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender's decisions, on fakes (no Spark): see SyncEndToEndTest for real Delta tables. */
class SenderTest {

  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

  private final FakeCloner cloner = new FakeCloner();
  private final InMemorySyncLedger ledger = new InMemorySyncLedger();
  private final Map<String, List<WorkflowRun>> runs = new HashMap<>();
  /** version of a table as of a run: "location#runId" -> version. */
  private final Map<String, Long> pins = new HashMap<>();
  private final List<Duration> sleeps = new ArrayList<>();
  private final MutableClock clock = new MutableClock(T0.plusSeconds(3600));

  private final SyncGroup wf = Configs.workflowGroup("wf", "etl", "c.raw.bronze", "c.main.gold");
  private final SyncGroup other = Configs.workflowGroup("other", "etl2", "c.raw.other");
  private final WorkspaceConfig workspace =
      Configs.workspace("ws", "/r", 3, Duration.ofMinutes(15), wf, other);
  private final DeltaSyncConfig config = Configs.config(workspace);
  private final Placement placement = Placement.of(workspace);

  private Sender sender() {
    RunSource source = (workflow, notBefore) -> runs.getOrDefault(workflow, List.of());
    return Sender.builder()
        .runSources(w -> source)
        .ledgers(w -> ledger)
        .versions((table, run) -> {
          Long v = pins.get(table + "#" + run.runId());
          if (v == null) {
            throw new IllegalStateException("no pin for " + table + " run " + run.runId());
          }
          return v;
        })
        .cloner(cloner)
        .clock(clock)
        .sleeper(sleeps::add)
        .random(new Random(7))
        .retryBase(Duration.ofSeconds(2))
        .build();
  }

  private TableLocation primary(String table) {
    return placement.primary(TableName.parse(table));
  }

  private TableLocation staging(SyncGroup group, String table) {
    return placement.staging(group, TableName.parse(table));
  }

  private static WorkflowRun success(long id, Instant end) {
    return new WorkflowRun(id, "etl", end.minusSeconds(300), Optional.of(end), WorkflowRun.Result.SUCCESS);
  }

  private static WorkflowRun running(long id, Instant start) {
    return new WorkflowRun(id, "etl", start, Optional.empty(), WorkflowRun.Result.RUNNING);
  }

  /** bronze v0..v2, gold v0..v1; run 1 ended after bronze v1 and gold v0; run 2 is running. */
  private void twoRunsOfEtl() {
    cloner.commit(primary("c.raw.bronze"), "bronze-0");
    cloner.commit(primary("c.raw.bronze"), "bronze-1");
    cloner.commit(primary("c.raw.bronze"), "bronze-2 (partial, run 2)");
    cloner.commit(primary("c.main.gold"), "gold-0");
    cloner.commit(primary("c.main.gold"), "gold-1 (partial, run 2)");
    runs.put("etl", List.of(running(2, T0.plusSeconds(600)), success(1, T0)));
    pins.put(primary("c.raw.bronze") + "#1", 1L);
    pins.put(primary("c.main.gold") + "#1", 0L);
  }

  private void oneRunOfOther() {
    cloner.commit(primary("c.raw.other"), "other-0");
    runs.put("etl2", List.of(success(5, T0)));
    pins.put(primary("c.raw.other") + "#5", 0L);
  }

  @Test
  void stagesEveryTableAtTheLastSuccessfulRunAndRecordsOneSyncPoint() {
    twoRunsOfEtl();
    oneRunOfOther();

    CycleResult result = sender().run(config, Sender.Request.group("wf"));

    assertThat(result.groups()).singleElement().satisfies(g -> {
      assertThat(g.status()).isEqualTo(GroupStatus.SYNCED);
      assertThat(g.run().orElseThrow().runId()).isEqualTo(1);
      assertThat(g.sequence()).hasValue(1);
      assertThat(g.phases()).as("the clock stood still").contains(
          new GroupOutcome.Phases(Duration.ZERO, Duration.ZERO, Duration.ZERO));
    });
    assertThat(cloner.versions(staging(wf, "c.raw.bronze"))).containsExactly("bronze-1");
    assertThat(cloner.versions(staging(wf, "c.main.gold"))).containsExactly("gold-0");
    SyncPoint point = new LedgerState(ledger.read()).lastStaged("ws", "wf").orElseThrow();
    assertThat(ledger.appends()).isEqualTo(1);
    assertThat(point.runId()).hasValue(1);
    assertThat(point.runEndTime()).hasValue(T0);
    assertThat(point.tables()).extracting(LedgerRow::tableName, r -> r.sourceVersion().getAsLong(),
            r -> r.stagingVersion().getAsLong(), LedgerRow::status, LedgerRow::copiedFilesSize)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c.raw.bronze", 1L, 0L, SyncStatus.STAGED, 8L),
            org.assertj.core.groups.Tuple.tuple("c.main.gold", 0L, 0L, SyncStatus.STAGED, 6L));
    assertThat(cloner.calls).noneMatch(c -> c.contains("other"));
  }

  @Test
  void theSenderRingsTheReceiversDoorbellWhileASyncPointWaitsAndNotOnceItIsApplied(
      @TempDir Path sync) throws IOException {
    WorkspaceConfig ws =
        Configs.workspace("ws", "/r", sync.toString(), 3, Duration.ofMinutes(15), wf);
    DeltaSyncConfig onDisk = Configs.config(ws);
    Path arrivals = Path.of(Placement.of(ws).arrivals().uri());
    twoRunsOfEtl();
    Sender sender = senderWith(new HadoopDoorbell(new Configuration()));

    sender.run(onDisk, Sender.Request.group("wf"));
    assertThat(rings(arrivals)).singleElement().satisfies(ring ->
        assertThat(Files.readString(arrivals.resolve(ring)))
            .isEqualTo("{\"workspace\":\"ws\",\"groups\":[\"wf\"]}\n"));
    clock.advance(Duration.ofMinutes(15));
    assertThat(sender.run(onDisk, Sender.Request.group("wf")).groups().get(0).status())
        .isEqualTo(GroupStatus.UP_TO_DATE);
    assertThat(rings(arrivals)).as("not applied yet: rung again").hasSize(2);

    List<LedgerRow> applied = new LedgerState(ledger.read()).lastStaged("ws", "wf").orElseThrow()
        .tables().stream().map(SenderTest::applied).toList();
    ledger.append(applied, Optional.empty());
    clock.advance(Duration.ofMinutes(15));
    sender.run(onDisk, Sender.Request.group("wf"));
    assertThat(rings(arrivals)).as("applied: nothing waits").hasSize(2);
  }

  @Test
  void theDoorbellKeepsTheNewestHundredRings(@TempDir Path arrivals) throws IOException {
    Doorbell doorbell = new HadoopDoorbell(new Configuration());
    for (int i = 0; i < Doorbell.KEPT + 3; i++) {
      doorbell.ring(arrivals.toString(), String.format("%020d-x.json", i), "{}");
    }

    assertThat(rings(arrivals)).hasSize(Doorbell.KEPT)
        .first().isEqualTo(String.format("%020d-x.json", 3));
  }

  private Sender senderWith(Doorbell doorbell) {
    RunSource source = (workflow, notBefore) -> runs.getOrDefault(workflow, List.of());
    return Sender.builder()
        .runSources(w -> source)
        .ledgers(w -> ledger)
        .versions((table, run) -> pins.get(table + "#" + run.runId()))
        .cloner(cloner)
        .clock(clock)
        .sleeper(sleeps::add)
        .doorbell(doorbell)
        .build();
  }

  /** The rings in the folder, oldest first (Hadoop's checksum files aside). */
  private static List<String> rings(Path folder) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("."))
          .sorted().toList();
    }
  }

  /** The receiver's APPLIED row for a staged row. */
  private static LedgerRow applied(LedgerRow staged) {
    return new LedgerRow(staged.formatVersion(), "applied-" + staged.syncId(), staged.sequence(),
        staged.workspace(), staged.groupName(), staged.tableName(), staged.secondaryTable(),
        staged.runId(), staged.runEndTime(), staged.sourceVersion(), staged.stagingVersion(),
        java.util.OptionalLong.of(0), SyncStatus.APPLIED, 0, 0, 0, 0, 0, 0, 0, 1,
        Optional.empty(), staged.recordedAt().plusSeconds(60), staged.epoch(),
        staged.sourceRegion(), staged.sourceTableId(), Optional.empty());
  }

  @Test
  void aCycleWithNothingNewCopiesNothingAndRecordsNothing() {
    twoRunsOfEtl();
    sender().run(config, Sender.Request.group("wf"));
    int calls = cloner.calls.size();

    CycleResult again = sender().run(config, Sender.Request.group("wf"));

    assertThat(again.groups().get(0).status()).isEqualTo(GroupStatus.UP_TO_DATE);
    assertThat(again.groups().get(0).phases()).isEmpty();
    assertThat(again.groups().get(0).copiedBytes()).isZero();
    assertThat(cloner.calls).hasSize(calls);
    assertThat(ledger.appends()).isEqualTo(1);
  }

  @Test
  void theSyncedRunChosenAgainReadsNoTableHistory() {
    twoRunsOfEtl();
    sender().run(config, Sender.Request.group("wf"));
    pins.clear(); // any version lookup now throws, failing the group

    CycleResult again = sender().run(config, Sender.Request.group("wf"));

    assertThat(again.groups().get(0).status()).isEqualTo(GroupStatus.UP_TO_DATE);
    assertThat(again.groups().get(0).run().map(WorkflowRun::runId)).contains(1L);
    assertThat(ledger.appends()).isEqualTo(1);
  }

  @Test
  void aNewerRunMovesTheGroupToANewSyncPoint() {
    twoRunsOfEtl();
    sender().run(config, Sender.Request.group("wf"));
    runs.put("etl", List.of(success(2, T0.plusSeconds(900)), success(1, T0)));
    pins.put(primary("c.raw.bronze") + "#2", 2L);
    pins.put(primary("c.main.gold") + "#2", 1L);

    CycleResult result = sender().run(config, Sender.Request.group("wf"));

    assertThat(result.groups().get(0).sequence()).hasValue(2);
    SyncPoint point = new LedgerState(ledger.read()).lastStaged("ws", "wf").orElseThrow();
    assertThat(point.runId()).hasValue(2);
    assertThat(point.table("c.raw.bronze").orElseThrow().stagingVersion()).hasValue(1);
    assertThat(cloner.versions(staging(wf, "c.raw.bronze")))
        .containsExactly("bronze-1", "bronze-2 (partial, run 2)");
  }

  @Test
  void aFailedTableRecordsNoSyncPointAndTheOtherGroupsGoOn() {
    twoRunsOfEtl();
    sender().run(config, Sender.Request.group("wf"));
    runs.put("etl", List.of(success(2, T0.plusSeconds(900)), success(1, T0)));
    pins.put(primary("c.raw.bronze") + "#2", 2L);
    pins.put(primary("c.main.gold") + "#2", 1L);
    oneRunOfOther();
    cloner.failNext(primary("c.main.gold"),
        new SyncException(SyncException.Kind.FATAL, "permission denied on c.main.gold"));

    CycleResult result = sender().run(config, Sender.Request.all());

    assertThat(result.groups()).extracting(GroupOutcome::group, GroupOutcome::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("wf", GroupStatus.FAILED),
            org.assertj.core.groups.Tuple.tuple("other", GroupStatus.SYNCED));
    LedgerState state = new LedgerState(ledger.read());
    assertThat(state.lastStaged("ws", "wf").orElseThrow().sequence()).isEqualTo(1);
    assertThat(state.lastStaged("ws", "other").orElseThrow().sequence()).isEqualTo(1);
    assertThat(state.lastFailure("ws", "wf").orElseThrow())
        .satisfies(r -> {
          assertThat(r.tableName()).isEqualTo("c.main.gold");
          assertThat(r.sourceVersion()).hasValue(1);
          assertThat(r.error()).hasValue("permission denied on c.main.gold");
        });
    assertThat(cloner.calls.stream().filter(c -> c.contains("gold@1"))).hasSize(1);
    assertThat(sleeps).isEmpty();
    assertThatThrownBy(result::throwIfFailed)
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("Send failed for 1 group")
        .hasMessageContaining("ws/wf: c.main.gold at version 1: permission denied on c.main.gold")
        .hasMessageNotContaining("ws/other");
  }

  @Test
  void aGroupThatFailsBeforeStagingIsRecordedFailedForStatusButIsNoSyncPoint() {
    twoRunsOfEtl();
    sender().run(config, Sender.Request.group("wf"));
    runs.put("etl", List.of(success(2, T0.plusSeconds(900)), success(1, T0)));
    // Run 2 is chosen, but gold's version as of it cannot be resolved.
    pins.put(primary("c.raw.bronze") + "#2", 2L);
    clock.advance(Duration.ofHours(1));

    CycleResult result = sender().run(config, Sender.Request.group("wf"));

    assertThat(result.groups().get(0).status()).isEqualTo(GroupStatus.FAILED);
    String why = "no pin for " + primary("c.main.gold") + " run 2";
    assertThat(result.groups().get(0).error()).hasValueSatisfying(e -> assertThat(e).contains(why));
    LedgerState state = new LedgerState(ledger.read());
    assertThat(state.lastStaged("ws", "wf").orElseThrow().sequence()).isEqualTo(1);
    List<LedgerRow> failed = state.rows().stream()
        .filter(r -> r.status() == SyncStatus.FAILED).toList();
    assertThat(failed).extracting(LedgerRow::tableName)
        .containsExactly("c.raw.bronze", "c.main.gold");
    for (LedgerRow row : failed) {
      assertThat(row.sequence()).isEqualTo(2);
      assertThat(row.runId()).isEmpty();
      assertThat(row.sourceVersion()).isEmpty();
      assertThat(row.stagingVersion()).isEmpty();
      assertThat(row.copiedFilesSize()).isZero();
      assertThat(row.error()).hasValueSatisfying(e -> assertThat(e).contains(why));
      assertThat(row.recordedAt()).isEqualTo(T0.plusSeconds(7200));
    }
    assertThat(failed.get(0).syncId()).isEqualTo(failed.get(1).syncId())
        .isNotEqualTo(state.lastStaged("ws", "wf").orElseThrow().syncId());
    assertThat(state.lastFailure("ws", "wf")).isPresent();
  }

  @Test
  void aLedgerThatCannotBeReadGetsNoFailureRows() {
    List<LedgerRow> appended = new ArrayList<>();
    SyncLedger unreadable = new SyncLedger() {
      @Override
      public List<LedgerRow> read() {
        throw new SyncException(SyncException.Kind.RETRYABLE, "ledger storage unreachable");
      }

      @Override
      public AppendOutcome append(List<LedgerRow> rows, Optional<LedgerTxn> txn) {
        appended.addAll(rows);
        return AppendOutcome.APPENDED;
      }

      @Override
      public String location() {
        return "/r/ledger";
      }
    };
    twoRunsOfEtl();

    CycleResult result = Sender.builder()
        .runSources(w -> (workflow, notBefore) -> runs.getOrDefault(workflow, List.of()))
        .ledgers(w -> unreadable)
        .versions((table, run) -> pins.get(table + "#" + run.runId()))
        .cloner(cloner)
        .clock(clock)
        .build()
        .run(config, Sender.Request.group("wf"));

    assertThat(result.groups().get(0).status()).isEqualTo(GroupStatus.FAILED);
    assertThat(result.groups().get(0).error()).hasValue("ledger storage unreachable");
    assertThat(appended).isEmpty();
    assertThat(cloner.calls).isEmpty();
  }

  @Test
  void retriesRetryableErrorsWithExponentialBackoffAndJitter() {
    twoRunsOfEtl();
    cloner.failNext(primary("c.raw.bronze"), new UncheckedIOException(new IOException("reset")));
    cloner.failNext(primary("c.raw.bronze"),
        new SyncException(SyncException.Kind.RETRYABLE, "HTTP 503 from storage"));

    CycleResult result = sender().run(config, Sender.Request.group("wf"));

    assertThat(result.groups().get(0).status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(sleeps).hasSize(2);
    assertThat(sleeps.get(0)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(sleeps.get(1)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    SyncPoint point = new LedgerState(ledger.read()).lastStaged("ws", "wf").orElseThrow();
    assertThat(point.table("c.raw.bronze").orElseThrow().attempt()).isEqualTo(3);
    assertThat(point.table("c.main.gold").orElseThrow().attempt()).isEqualTo(1);
  }

  @Test
  void givesUpAfterMaxRetries() {
    twoRunsOfEtl();
    for (int i = 0; i < 4; i++) {
      cloner.failNext(primary("c.main.gold"),
          new SyncException(SyncException.Kind.RETRYABLE, "HTTP 429 throttled"));
    }

    CycleResult result = sender().run(config, Sender.Request.group("wf"));

    assertThat(sleeps).hasSize(3);
    GroupOutcome group = result.groups().get(0);
    assertThat(group.status()).isEqualTo(GroupStatus.FAILED);
    assertThat(group.error()).hasValue("c.main.gold at version 0: HTTP 429 throttled");
    assertThat(group.tables().get(1).attempts()).isEqualTo(4);
    assertThat(new LedgerState(ledger.read()).lastStaged("ws", "wf")).isEmpty();
    assertThat(new LedgerState(ledger.read()).lastFailure("ws", "wf").orElseThrow().attempt())
        .isEqualTo(4);
  }

  @Test
  void standaloneGroupsSyncAtMostOncePerInterval() {
    SyncGroup tables = Configs.standaloneGroup("tables", "c.raw.ref");
    WorkspaceConfig ws = Configs.workspace("ws", "/r", 3, Duration.ofMinutes(15), tables);
    TableLocation ref = Placement.of(ws).primary(TableName.parse("c.raw.ref"));
    cloner.commit(ref, "ref-0");
    Sender sender = sender();

    assertThat(sender.run(Configs.config(ws), Sender.Request.all()).groups().get(0).status())
        .isEqualTo(GroupStatus.SYNCED);
    cloner.commit(ref, "ref-1");
    clock.advance(Duration.ofMinutes(14));
    assertThat(sender.run(Configs.config(ws), Sender.Request.all()).groups().get(0).status())
        .isEqualTo(GroupStatus.NOT_DUE);
    clock.advance(Duration.ofMinutes(1));
    CycleResult due = sender.run(Configs.config(ws), Sender.Request.all());

    assertThat(due.groups().get(0).status()).isEqualTo(GroupStatus.SYNCED);
    SyncPoint point = new LedgerState(ledger.read()).lastStaged("ws", "tables").orElseThrow();
    assertThat(point.sequence()).isEqualTo(2);
    assertThat(point.runId()).isEmpty();
    assertThat(point.table("c.raw.ref").orElseThrow().sourceVersion()).hasValue(1);
  }

  @Test
  void aDryRunPlansAndChangesNothing() {
    twoRunsOfEtl();

    CycleResult plan = sender().run(config, Sender.Request.group("wf").asDryRun());

    GroupOutcome group = plan.groups().get(0);
    assertThat(group.status()).isEqualTo(GroupStatus.PLANNED);
    assertThat(group.run().orElseThrow().runId()).isEqualTo(1);
    assertThat(group.tables()).extracting(t -> t.table().toString(), TableOutcome::sourceVersion)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("c.raw.bronze", 1L),
            org.assertj.core.groups.Tuple.tuple("c.main.gold", 0L));
    assertThat(cloner.calls).isEmpty();
    assertThat(ledger.appends()).isZero();
  }

  @Test
  void anAppendWhoseOutcomeIsUnknownIsRecognisedByItsSyncId() {
    twoRunsOfEtl();
    ledger.failNextAppend(true);

    CycleResult result = sender().run(config, Sender.Request.group("wf"));

    assertThat(result.groups().get(0).status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(ledger.appends()).isEqualTo(1);
  }

  @Test
  void anAppendThatDidNotLandFailsTheGroupAndTheNextCycleRecordsIt() {
    twoRunsOfEtl();
    ledger.failNextAppend(false);

    CycleResult failed = sender().run(config, Sender.Request.group("wf"));

    assertThat(failed.groups().get(0).status()).isEqualTo(GroupStatus.FAILED);
    assertThat(failed.groups().get(0).error().orElseThrow())
        .contains("Could not record sync", "group wf", "memory:ledger", "injected");
    CycleResult next = sender().run(config, Sender.Request.group("wf"));
    assertThat(next.groups().get(0).status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(cloner.versions(staging(wf, "c.raw.bronze"))).containsExactly("bronze-1");
  }

  @Test
  void aRunStillInProgressIsNeverChosen() {
    cloner.commit(primary("c.raw.bronze"), "bronze-0");
    cloner.commit(primary("c.main.gold"), "gold-0");
    runs.put("etl", List.of(running(1, T0)));

    CycleResult result = sender().run(config, Sender.Request.group("wf"));

    assertThat(result.groups().get(0).status()).isEqualTo(GroupStatus.NO_RUN);
    assertThat(cloner.calls).isEmpty();
  }

  @Test
  void aLedgerWrittenByANewerFormatIsRefusedAndNothingIsCloned() {
    twoRunsOfEtl();
    ledger.append(List.of(io.deltasync.ledger.LedgerRows.row(LedgerRow.CURRENT_FORMAT + 1, "future",
        7, "wf", "c.raw.bronze", 1, 0, SyncStatus.STAGED, T0)), Optional.empty());

    CycleResult result = sender().run(config, Sender.Request.all());

    assertThat(result.groups()).extracting(GroupOutcome::status)
        .containsOnly(GroupStatus.FAILED);
    assertThat(result.groups().get(0).error().orElseThrow())
        .contains("memory:ledger", "format version " + (LedgerRow.CURRENT_FORMAT + 1),
            "Upgrade deltasync");
    assertThat(cloner.calls).isEmpty();
  }

  @Test
  void eachWorkspaceGetsItsOwnCycleAndLedger() {
    SyncGroup east = Configs.workflowGroup("east", "etl", "c.raw.bronze");
    SyncGroup west = Configs.workflowGroup("west", "etl", "c.raw.bronze");
    WorkspaceConfig broken = Configs.workspace("broken", "/b", 3, Duration.ofMinutes(15), east);
    WorkspaceConfig fine = Configs.workspace("fine", "/f", 3, Duration.ofMinutes(15), west);
    cloner.commit(Placement.of(fine).primary(TableName.parse("c.raw.bronze")), "west-0");
    runs.put("etl", List.of(success(1, T0)));
    pins.put(Placement.of(fine).primary(TableName.parse("c.raw.bronze")) + "#1", 0L);
    RunSource source = (workflow, notBefore) -> runs.get(workflow);
    Sender sender = Sender.builder()
        .runSources(w -> source)
        .ledgers(w -> {
          if (w.name().equals("broken")) {
            throw io.deltasync.errors.SyncErrors.ledgerUnreadable("/b/sync-secondary/_deltasync/ledger",
                new java.io.IOException("connection refused"));
          }
          return ledger;
        })
        .versions((table, run) -> pins.get(table + "#" + run.runId()))
        .cloner(cloner).clock(clock).sleeper(sleeps::add).build();

    CycleResult result = sender.run(Configs.config(broken, fine), Sender.Request.all());

    assertThat(result.groups()).extracting(GroupOutcome::workspace, GroupOutcome::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("broken", GroupStatus.FAILED),
            org.assertj.core.groups.Tuple.tuple("fine", GroupStatus.SYNCED));
    assertThat(result.groups().get(0).error().orElseThrow())
        .contains("Cannot read the ledger at /b/sync-secondary/_deltasync/ledger",
            "IOException: connection refused");
    assertThat(cloner.versions(Placement.of(fine).staging(west, TableName.parse("c.raw.bronze"))))
        .containsExactly("west-0");
  }

  @Test
  void anUnknownGroupIsAUsageError() {
    assertThatThrownBy(() -> sender().run(config, Sender.Request.group("nope")))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("--group nope names no sync group")
        .hasMessageContaining("wf, other");
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
