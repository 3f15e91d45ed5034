package io.deltasync.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.faults.FailurePoint;
import io.deltasync.faults.Faults;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.ledger.Epoch;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.Region;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runtime.Cloners;
import io.deltasync.runtime.DrEngines;
import io.deltasync.sync.GroupListener;
import io.deltasync.sync.GroupStatus;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.Sender;
import io.deltasync.testing.LocalWorkspaces;
import io.deltasync.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash matrix of the epoch record (the part {@code CrashConsistencyTest} does not drive): a
 * failover that fails just before or just after appending its epoch record promotes nothing, and
 * failover run again finishes with exactly one epoch, the group at the sync point rolled forward
 * and the primary's sender refused. Real Delta tables, the real failover, sender and receiver.
 */
public class EpochCrashTest {

  /** The failure points this test covers. */
  public static final List<FailurePoint> POINTS =
      List.of(FailurePoint.EPOCH_BEFORE_RECORD, FailurePoint.EPOCH_AFTER_RECORD);

  @TempDir Path dir;

  private final SparkSession spark = SharedSpark.spark();

  @Test
  void aFailoverInterruptedAroundItsEpochRecordIsFinishedByRunningItAgain() throws Exception {
    for (FailurePoint point : POINTS) {
      runCase(dir.resolve(point.name()), point);
    }
  }

  private void runCase(Path root, FailurePoint point) throws Exception {
    try (LocalWorkspaces workspaces = LocalWorkspaces.start("drill", Clock.systemUTC(),
        DrillWorkflow.NAME)) {
      runCase(root, point, workspaces);
    }
  }

  private void runCase(Path root, FailurePoint point, LocalWorkspaces workspaces)
      throws Exception {
    Path primary = root.resolve("east");
    Path secondary = root.resolve("west");
    Files.createDirectories(root);
    DeltaSyncConfig config = ConfigLoader.load(Files.writeString(root.resolve("drill.json"), """
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
        """.formatted(workspaces.jsonKeys(), root.resolve("east-sync"), root.resolve("west-sync"),
        primary, secondary)));
    WorkspaceConfig ws = config.workspaces().get(0);
    JobsControl secondaryJobs = workspaces.secondaryJobs();
    secondaryJobs.setPauseStatus(secondaryJobs.job(DrillWorkflow.NAME), PauseStatus.PAUSED);
    Sender sender = Sender.builder()
        .runSources(w -> LocalRunLog.forPrimary(w.local().orElseThrow()))
        .ledgers(DrEngines::ledger)
        .versions(DrEngines.versions())
        .cloner(DrEngines.cloner())
        .build();
    Receiver receiver = Receiver.create(DrEngines::ledger, DrEngines.cloner(),
        Cloners.stagingCheck(), GroupListener.none());
    for (int day = 1; day <= 2; day++) {
      DrillWorkflow.land(primary, day);
      DrillWorkflow.run(spark, primary, OptionalInt.empty());
      assertThat(sender.run(config, Sender.Request.all()).failed()).isFalse();
      if (day == 1) {
        assertThat(receiver.run(config, Optional.empty()).failed()).isFalse();
      }
    }
    Map<String, List<String>> day2 = DrillWorkflow.contents(spark, primary);

    Faults crash = reached -> {
      if (reached == point) {
        throw new IllegalStateException("injected crash at " + point);
      }
    };
    FailoverReport interrupted = workspaces.engines(Clock.systemUTC()).failover().faults(crash)
        .retryBase(Duration.ofMillis(1)).build().run(config);
    GroupRecovery group = interrupted.groups().get(0);
    assertThat(group.status()).as(point.name()).isEqualTo(GroupRecovery.Status.NOT_PROMOTED);
    assertThat(group.reason()).as(point.name())
        .contains("IllegalStateException: injected crash at " + point);
    assertThat(workspaces.status(Region.SECONDARY, DrillWorkflow.NAME))
        .isEqualTo(PauseStatus.PAUSED);
    List<Epoch> epochs = new LedgerState(DrEngines.ledger(ws).read()).epochs(ws.name());
    assertThat(epochs).as(point.name()).hasSize(point == FailurePoint.EPOCH_BEFORE_RECORD ? 0 : 1);

    FailoverReport again = workspaces.engines(Clock.systemUTC()).failover()
        .retryBase(Duration.ofMillis(1)).build().run(config);
    assertThat(again.groups().get(0).status()).as(point.name())
        .isEqualTo(GroupRecovery.Status.PROMOTED);
    assertThat(again.groups().get(0).point().orElseThrow().sequence()).isEqualTo(2);
    LedgerState state = new LedgerState(DrEngines.ledger(ws).read());
    assertThat(state.epochs(ws.name())).extracting(Epoch::number, Epoch::active)
        .as(point.name()).containsExactly(org.assertj.core.groups.Tuple.tuple(1L, Region.SECONDARY));
    assertThat(state.currentEpoch(ws.name()).recoveryPoint("sample_workflow_1")).hasValue(2);
    assertThat(workspaces.status(Region.SECONDARY, DrillWorkflow.NAME))
        .isEqualTo(PauseStatus.UNPAUSED);
    assertThat(DrillWorkflow.contents(spark, secondary)).isEqualTo(day2);
    assertThat(sender.run(config, Sender.Request.all()).groups().get(0).status())
        .isEqualTo(GroupStatus.FAILED);
  }

}
