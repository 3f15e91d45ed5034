package io.deltasync.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.ledger.Epoch;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runtime.Cloners;
import io.deltasync.runtime.DrEngines;
import io.deltasync.spark.PortableCloner;
import io.deltasync.spark.SparkFingerprinter;
import io.deltasync.spark.SparkTableIds;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupListener;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.GroupStatus;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.Sender;
import io.deltasync.testing.LocalWorkspaces;
import io.deltasync.testing.SharedSpark;
import io.deltasync.verify.Verify;
import io.deltasync.verify.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's sequences 1 and 2 end to end, on real Delta tables through the real sender, receiver,
 * failover, failback, portable cloner, Delta ledger and run logs (the drill's workflow, one batch a
 * day): roles are fenced by the ledger's epochs.
 */
class EpochTest {

  private static final String GROUP = "sample_workflow_1";
  private static final String OPERATOR = "dr-operator@example.com";

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();
  private Path primary;
  private Path secondary;
  private DeltaSyncConfig config;
  private WorkspaceConfig ws;
  private LocalWorkspaces workspaces;
  private JobsControl secondaryJobs;

  @AfterEach
  void stopWorkspaces() {
    workspaces.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    workspaces = LocalWorkspaces.start("drill", Clock.systemUTC(), DrillWorkflow.NAME);
    primary = dir.resolve("east");
    secondary = dir.resolve("west");
    String json = """
        {
          "secret_scope": "drill",
          "workspaces": [{
            "workspace_name": "drill",
            %s
            "sync_location_primary": "%s",
            "sync_location_secondary": "%s",
            "sync_interval_mins": 1,
            "sync_failover_interval_mins": 1,
            "failover_deadline_mins": 2,
            "sync_max_retries": 0,
            "local": {"primary_dir": "%s", "secondary_dir": "%s"},
            "sync_groups": [{
              "group_name": "sample_workflow_1",
              "group_owner_email": "owner@example.com",
              "workflow": "sample_workflow_1",
              "tables": ["dr.raw.bronze", "dr.stage.silver", "dr.main.gold"]
            }]
          }]
        }
        """.formatted(workspaces.jsonKeys(), dir.resolve("east-sync"), dir.resolve("west-sync"),
        primary, secondary);
    Path configFile = Files.writeString(dir.resolve("drill.json"), json);
    config = ConfigLoader.load(configFile);
    ws = config.workspaces().get(0);
    secondaryJobs = workspaces.secondaryJobs();
    // Deployed: the secondary passive (workflow and reverse sender paused, receiver running).
    secondaryJobs.setPauseStatus(secondaryJobs.job(DrillWorkflow.NAME), PauseStatus.PAUSED);
    secondaryJobs.setPauseStatus(secondaryJobs.job("deltasync_sender"), PauseStatus.PAUSED);
  }

  /**
   * Sequence 1: day 1 synced, day 2 run in the primary and never sent, failover, days 2 and 3 in
   * the secondary, failback, then send and receive. The first forward sync point after failback is
   * the state the primary received (days 1-3), never the primary's old run 2 (days 1-2).
   */
  @Test
  void afterFailbackTheNextSendCarriesThePrimarysCurrentStateNotItsOldRun() throws Exception {
    dayInPrimary(1);
    assertThat(send().status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(receive().status()).isEqualTo(GroupStatus.SYNCED);
    dayInPrimary(2); // never sent

    FailoverReport failover = failover();
    assertThat(failover.groups().get(0).status()).isEqualTo(GroupRecovery.Status.PROMOTED);
    assertThat(failover.groups().get(0).point().orElseThrow().sequence()).isEqualTo(1);
    Epoch afterFailover = epoch();
    assertThat(afterFailover.number()).isEqualTo(1);
    assertThat(afterFailover.active()).isEqualTo(Region.SECONDARY);
    assertThat(afterFailover.changedBy()).contains(OPERATOR);
    assertThat(afterFailover.recoveryPoint(GROUP)).hasValue(1);

    dayInSecondary(2);
    dayInSecondary(3);
    Map<String, List<String>> secondaryDays = DrillWorkflow.contents(spark, secondary);
    assertThat(secondaryDays.get("dr.main.gold")).allMatch(row -> row.endsWith(",3]"));

    FailbackReport failback = failback();
    assertThat(failback.complete()).isTrue();
    assertThat(DrillWorkflow.contents(spark, primary)).isEqualTo(secondaryDays);
    Epoch afterFailback = epoch();
    assertThat(afterFailback.number()).isEqualTo(2);
    assertThat(afterFailback.active()).isEqualTo(Region.PRIMARY);
    assertThat(afterFailback.changedBy()).contains(OPERATOR);
    Map<String, Long> primaryNow = new HashMap<>();
    for (String table : DrillWorkflow.TABLES) {
      primaryNow.put(table, latestVersion(primary, table));
      assertThat(afterFailback.baseline(GROUP, table)).hasValue(primaryNow.get(table));
    }

    // The primary's run 2 ended before the failback: it is never synced.
    GroupOutcome sent = send();
    assertThat(sent.status()).isEqualTo(GroupStatus.SYNCED);
    SyncPoint first = state().lastStaged(ws.name(), GROUP).orElseThrow();
    assertThat(first.sequence()).isEqualTo(2);
    assertThat(first.epoch()).isEqualTo(2);
    assertThat(first.sourceRegion()).isEqualTo(Region.PRIMARY);
    for (LedgerRow row : first.tables()) {
      assertThat(row.sourceVersion()).as(row.tableName())
          .hasValue(primaryNow.get(row.tableName()));
      assertThat(row.sourceTableId()).as(row.tableName())
          .contains(new SparkTableIds(spark).tableId(
              new io.deltasync.table.TableLocation.Path(DrillWorkflow.table(primary, row.tableName())))
              .orElseThrow());
    }
    assertThat(receive().status()).isEqualTo(GroupStatus.SYNCED);
    // The secondary's rows equal the primary's current rows: days 1-3, no rollback.
    assertThat(DrillWorkflow.contents(spark, secondary))
        .isEqualTo(DrillWorkflow.contents(spark, primary))
        .isEqualTo(secondaryDays);
    VerifyReport verified = verify();
    assertThat(verified.failed()).as(verified.problems().toString()).isFalse();
    assertThat(verified.groups().get(0).outcome()).isEqualTo(VerifyReport.Outcome.VERIFIED);

    // Nothing newer: the next cycle stages nothing.
    assertThat(send().status()).isEqualTo(GroupStatus.UP_TO_DATE);
    // And the primary's next run is synced as usual.
    dayInPrimary(4);
    assertThat(send().status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(receive().status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(DrillWorkflow.contents(spark, secondary))
        .isEqualTo(DrillWorkflow.contents(spark, primary));
    assertThat(DrillWorkflow.contents(spark, secondary).get("dr.main.gold"))
        .allMatch(row -> row.endsWith(",4]"));
  }

  /**
   * Sequence 1 as the old build got it wrong: after failback, a sync point of the primary's old
   * version (days 1-2) applied over the secondary. {@code verify} compares with the primary's
   * current state (at least the failback's baseline) and reports the rollback as a MISMATCH.
   */
  @Test
  void verifyReportsARollbackBelowTheFailbackBaselineAsAMismatch() throws Exception {
    dayInPrimary(1);
    send();
    receive();
    dayInPrimary(2);
    Map<String, Long> run2Versions = new HashMap<>();
    for (String table : DrillWorkflow.TABLES) {
      run2Versions.put(table, latestVersion(primary, table));
    }
    failover();
    dayInSecondary(2);
    dayInSecondary(3);
    failback();

    // What the old sender did: stage the primary's run 2, and the receiver applied it.
    io.deltasync.spark.PortableCloner cloner = new io.deltasync.spark.PortableCloner(spark);
    io.deltasync.sync.Placement placement = io.deltasync.sync.Placement.of(ws);
    io.deltasync.config.SyncGroup group = ws.groups().get(0);
    List<LedgerRow> rows = new java.util.ArrayList<>();
    java.time.Instant now = java.time.Instant.now();
    for (String table : DrillWorkflow.TABLES) {
      io.deltasync.table.TableName name = io.deltasync.table.TableName.parse(table);
      long version = run2Versions.get(table);
      cloner.clone(placement.primary(name), version, placement.staging(group, name));
      long staged = cloner.latestVersion(placement.staging(group, name));
      rows.add(new LedgerRow(LedgerRow.CURRENT_FORMAT, "old-build", 2, ws.name(), GROUP, table,
          table, java.util.OptionalLong.of(2), Optional.of(now), java.util.OptionalLong.of(version),
          java.util.OptionalLong.of(staged), java.util.OptionalLong.empty(), SyncStatus.STAGED, 0,
          0, 0, 0, 0, 0, 0, 1, Optional.empty(), now, 2, Region.PRIMARY, Optional.empty(),
          Optional.empty()));
    }
    ledger().append(rows, Optional.empty());
    assertThat(receive().status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(DrillWorkflow.contents(spark, secondary).get("dr.main.gold"))
        .allMatch(row -> row.endsWith(",2]"));

    VerifyReport report = verify();
    assertThat(report.failed()).isTrue();
    VerifyReport.TableResult gold = report.groups().get(0).tables().stream()
        .filter(t -> t.table().equals("dr.main.gold")).findFirst().orElseThrow();
    VerifyReport.Comparison withPrimary = gold.comparisons().stream()
        .filter(c -> c.side() == VerifyReport.Side.PRIMARY).findFirst().orElseThrow();
    assertThat(withPrimary.result()).isEqualTo(VerifyReport.Result.MISMATCH);
    assertThat(withPrimary.version()).isEqualTo(epoch().baseline(GROUP, "dr.main.gold")
        .orElseThrow());
  }

  /**
   * Sequence 2: day 1 synced, failover, days 2 and 3 in the secondary. A primary sender left
   * running is refused with a clear error; one that read the ledger before the failover and staged
   * sync point 2 after it (the race) is never applied: not by the receiver, not by a second
   * failover, which leaves the promoted secondary's own writes alone and says why.
   */
  @Test
  void aLateSenderIsRefusedAndItsSyncPointNeverOverwritesThePromotedSecondary() throws Exception {
    dayInPrimary(1);
    assertThat(send().status()).isEqualTo(GroupStatus.SYNCED);
    assertThat(receive().status()).isEqualTo(GroupStatus.SYNCED);
    List<LedgerRow> beforeFailover = ledger().read();

    failover();
    Epoch epoch1 = epoch();
    dayInSecondary(2);
    dayInSecondary(3);
    Map<String, List<String>> secondaryOwn = DrillWorkflow.contents(spark, secondary);

    // The primary runs day 2 once more; its sender, never stopped, is refused.
    dayInPrimary(2);
    int rows = ledger().read().size();
    GroupOutcome refused = send();
    assertThat(refused.status()).isEqualTo(GroupStatus.FAILED);
    assertThat(refused.error()).contains("Sender of workspace drill in the PRIMARY region refused"
        + " to stage: the ledger at " + ledger().location() + " is at epoch 1, in which the"
        + " SECONDARY region is active (made active at " + epoch1.changedAt().orElseThrow()
        + " by " + OPERATOR + "). Nothing was staged. Pause this sender (job deltasync_sender in"
        + " the PRIMARY region); run deltasync failback (or failover) to make the PRIMARY region"
        + " active again.");
    assertThat(ledger().read()).hasSize(rows);

    // The race: a sender cycle that read the ledger before the failover stages after it.
    SyncLedger real = ledger();
    SyncLedger readBeforeFailover = new SyncLedger() {
      @Override
      public List<LedgerRow> read() {
        return beforeFailover;
      }

      @Override
      public AppendOutcome append(List<LedgerRow> appended,
          Optional<io.deltasync.ledger.LedgerTxn> txn) {
        return real.append(appended, txn);
      }

      @Override
      public String location() {
        return real.location();
      }
    };
    GroupOutcome late = sender(w -> readBeforeFailover).run(config, Sender.Request.all())
        .groups().get(0);
    assertThat(late.status()).isEqualTo(GroupStatus.SYNCED);
    SyncPoint point2 = state().lastStaged(ws.name(), GROUP).orElseThrow();
    assertThat(point2.sequence()).isEqualTo(2);
    assertThat(point2.epoch()).isZero();
    assertThat(state().fencedOff(ws.name(), GROUP)).extracting(SyncPoint::sequence)
        .containsExactly(2L);

    // The receiver never applies it.
    GroupOutcome received = receive();
    assertThat(received.status()).isEqualTo(GroupStatus.UP_TO_DATE);
    assertThat(DrillWorkflow.contents(spark, secondary)).isEqualTo(secondaryOwn);

    // Failover again (as after a NOT_CONFIRMED switch): nothing rolled forward, no new epoch.
    FailoverReport again = failover();
    GroupRecovery group = again.groups().get(0);
    assertThat(group.status()).isEqualTo(GroupRecovery.Status.PROMOTED);
    assertThat(group.rolledForward()).isEmpty();
    assertThat(group.point().orElseThrow().sequence()).isEqualTo(1);
    assertThat(group.reason()).contains("sync point(s) 2 (sync " + point2.syncId() + ", run 2,"
        + " staged from the PRIMARY region under epoch 0) not applied: staged under an older"
        + " epoch than the ledger's " + epoch1.describe() + ", so the secondary's own writes"
        + " since are kept");
    assertThat(DrillWorkflow.contents(spark, secondary)).isEqualTo(secondaryOwn);
    assertThat(state().epochs(ws.name())).extracting(Epoch::number).containsExactly(1L);

    // The secondary's next run continues from its own day 3.
    dayInSecondary(4);
    assertThat(DrillWorkflow.contents(spark, secondary).get("dr.main.gold"))
        .allMatch(row -> row.endsWith(",4]"));
    assertThat(DrillWorkflow.contents(spark, secondary).get("dr.raw.bronze")).hasSize(
        secondaryOwn.get("dr.raw.bronze").size() + 10);
  }

  // ---------------------------------------------------------------------------------------------

  private void dayInPrimary(int day) throws Exception {
    DrillWorkflow.land(primary, day);
    DrillWorkflow.run(spark, primary, OptionalInt.empty());
  }

  private void dayInSecondary(int day) throws Exception {
    DrillWorkflow.land(secondary, day);
    DrillWorkflow.run(spark, secondary, OptionalInt.empty());
  }

  private Sender sender(Function<WorkspaceConfig, SyncLedger> ledgers) {
    return Sender.builder()
        .runSources(w -> LocalRunLog.forPrimary(w.local().orElseThrow()))
        .ledgers(ledgers)
        .versions(DrEngines.versions())
        .cloner(DrEngines.cloner())
        .tableIds(new SparkTableIds(spark))
        .build();
  }

  private GroupOutcome send() {
    return sender(DrEngines::ledger).run(config, Sender.Request.all()).groups().get(0);
  }

  private GroupOutcome receive() {
    CycleResult result = Receiver.create(DrEngines::ledger, DrEngines.cloner(),
        Cloners.stagingCheck(), GroupListener.none()).run(config, Optional.empty());
    return result.groups().get(0);
  }

  private FailoverReport failover() {
    return workspaces.engines(Clock.systemUTC()).failover().principal(OPERATOR).retryBase(
        java.time.Duration.ofMillis(1)).build().run(config);
  }

  private FailbackReport failback() {
    return workspaces.engines(Clock.systemUTC()).failback().principal(OPERATOR).retryBase(
        java.time.Duration.ofMillis(1)).build().run(config);
  }

  private VerifyReport verify() {
    return new Verify(DrEngines::ledger, new SparkFingerprinter(spark)).verify(config,
        Optional.empty());
  }

  private SyncLedger ledger() {
    return DrEngines.ledger(ws);
  }

  private LedgerState state() {
    return new LedgerState(ledger().read());
  }

  private Epoch epoch() {
    return state().currentEpoch(ws.name());
  }

  private long latestVersion(Path region, String table) {
    return DrEngines.cloner().latestVersion(
        new io.deltasync.table.TableLocation.Path(DrillWorkflow.table(region, table)));
  }

}
