package io.deltasync.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.config.Credentials;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncException;
import io.deltasync.failover.GroupRecovery.Status;
import io.deltasync.jobs.JobOutcome;
import io.deltasync.jobs.JobRef;
import io.deltasync.jobs.JobState;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseChange;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.jobs.RunResult;
import io.deltasync.jobs.ScheduleReport;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.notify.GroupEvent.Outcome;
import io.deltasync.notify.GroupEvent.Phase;
import io.deltasync.notify.GroupEvent;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.table.TableName;
import io.deltasync.testing.LocalWorkspaces;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failover's decisions on fakes: roll forward, incomplete staging, RPO, and the job switches. */
class FailoverTest {

  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  private static final Duration MIN = Duration.ofMinutes(1);

  @TempDir Path dir;

  private FakeClock clock;
  private FakeLedger ledger;
  private FakeCloner cloner;
  private WorkspaceConfig ws;
  private DeltaSyncConfig config;
  private LocalWorkspaces workspaces;
  private JobsControl primaryJobs;
  private JobsControl secondaryJobs;

  @AfterEach
  void stopWorkspaces() {
    workspaces.close();
  }

  @BeforeEach
  void setUp() {
    clock = new FakeClock(T0.plus(Duration.ofHours(2)));
    ledger = new FakeLedger();
    cloner = new FakeCloner();
    String primary = dir.resolve("primary").toString();
    String secondary = dir.resolve("secondary").toString();
    SyncGroup g1 = new SyncGroup("ws", "g1", "owner@example.com", Optional.of("wf1"),
        List.of(TableMapping.sameName(TableName.parse("c.s.t1")),
            TableMapping.sameName(TableName.parse("c.s.t2"))));
    SyncGroup g2 = new SyncGroup("ws", "g2", "owner@example.com", Optional.of("wf2"),
        List.of(TableMapping.sameName(TableName.parse("c.s.t3"))));
    ws = new WorkspaceConfig("ws", URI.create("http://primary"), Optional.empty(),
        new Credentials.Pat(new SecretRef("scope", "pat")),
        dir.resolve("sync-primary").toString(), dir.resolve("sync-secondary").toString(),
        Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofMinutes(30), 2,
        Optional.empty(), Optional.empty(), List.of(g1, g2),
        Optional.of(new LocalRegions(primary, secondary)));
    config = new DeltaSyncConfig("scope", List.of(ws), Optional.empty());
    workspaces = LocalWorkspaces.start("scope", Clock.systemUTC(), "wf1", "wf2");
    primaryJobs = workspaces.primaryJobs();
    secondaryJobs = workspaces.secondaryJobs();
    // The secondary is deployed passive: workflows, receiver-less reverse sender paused.
    for (String job : List.of("wf1", "wf2", "deltasync_sender")) {
      secondaryJobs.setPauseStatus(secondaryJobs.job(job), PauseStatus.PAUSED);
    }
  }

  private String staging(String group, String table) {
    return dir.resolve("sync-secondary").resolve("ws").resolve(group).resolve("c/s").resolve(table)
        .toString();
  }

  private String secondaryTable(String table) {
    return dir.resolve("secondary").resolve("c/s").resolve(table).toString();
  }

  private static LedgerRow row(String syncId, long seq, String group, String table, long run,
      Instant runEnd, long source, long staging, OptionalLong target, SyncStatus status) {
    return new LedgerRow(LedgerRow.CURRENT_FORMAT, syncId, seq, "ws", group, table, table,
        OptionalLong.of(run), Optional.of(runEnd), OptionalLong.of(source), OptionalLong.of(staging),
        target, status, 1, 10, 0, 0, 10, 1, 5, 1, Optional.empty(), runEnd.plus(MIN));
  }

  /** g1: sync point 1 applied, 2 staged but never applied. g2: 1 applied, 2 staged with t3 short. */
  private void stageHistory() {
    Instant end101 = T0.plus(Duration.ofMinutes(10));
    Instant end102 = T0.plus(Duration.ofMinutes(40));
    cloner.table(staging("g1", "t1"), "t1@run101", "t1@run102");
    cloner.table(staging("g1", "t2"), "t2@run101", "t2@run102");
    cloner.table(secondaryTable("t1"), "t1@run101");
    cloner.table(secondaryTable("t2"), "t2@run101");
    ledger.append(List.of(
        row("s1", 1, "g1", "c.s.t1", 101, end101, 3, 0, OptionalLong.empty(), SyncStatus.STAGED),
        row("s1", 1, "g1", "c.s.t2", 101, end101, 5, 0, OptionalLong.empty(), SyncStatus.STAGED)),
        Optional.of(LedgerTxn.sender("ws", "g1", 1)));
    ledger.append(List.of(
        row("s1", 1, "g1", "c.s.t1", 101, end101, 3, 0, OptionalLong.of(0), SyncStatus.APPLIED),
        row("s1", 1, "g1", "c.s.t2", 101, end101, 5, 0, OptionalLong.of(0), SyncStatus.APPLIED)),
        Optional.of(LedgerTxn.receiver("ws", "g1", 1)));
    ledger.append(List.of(
        row("s2", 2, "g1", "c.s.t1", 102, end102, 7, 1, OptionalLong.empty(), SyncStatus.STAGED),
        row("s2", 2, "g1", "c.s.t2", 102, end102, 9, 1, OptionalLong.empty(), SyncStatus.STAGED)),
        Optional.of(LedgerTxn.sender("ws", "g1", 2)));

    Instant end201 = T0.plus(Duration.ofMinutes(5));
    Instant end202 = T0.plus(Duration.ofMinutes(35));
    cloner.table(staging("g2", "t3"), "t3@run201");
    cloner.table(secondaryTable("t3"), "t3@run201");
    ledger.append(List.of(
        row("s3", 1, "g2", "c.s.t3", 201, end201, 2, 0, OptionalLong.empty(), SyncStatus.STAGED)),
        Optional.of(LedgerTxn.sender("ws", "g2", 1)));
    ledger.append(List.of(
        row("s3", 1, "g2", "c.s.t3", 201, end201, 2, 0, OptionalLong.of(0), SyncStatus.APPLIED)),
        Optional.of(LedgerTxn.receiver("ws", "g2", 1)));
    // The sender recorded sync point 2 of g2, but its staging holds only version 0.
    ledger.append(List.of(
        row("s4", 2, "g2", "c.s.t3", 202, end202, 4, 1, OptionalLong.empty(), SyncStatus.STAGED)),
        Optional.of(LedgerTxn.sender("ws", "g2", 2)));
  }

  private static WorkflowRun run(long id, String wf, Instant end, WorkflowRun.Result result) {
    return new WorkflowRun(id, wf, end.minus(Duration.ofMinutes(4)),
        result == WorkflowRun.Result.RUNNING ? Optional.empty() : Optional.of(end), result);
  }

  private final RunSource primaryRuns = (workflow, notBefore) -> switch (workflow) {
    case "wf1" -> List.of(
        run(104, "wf1", T0.plus(Duration.ofMinutes(90)), WorkflowRun.Result.RUNNING),
        run(103, "wf1", T0.plus(Duration.ofMinutes(70)), WorkflowRun.Result.FAILED),
        run(102, "wf1", T0.plus(Duration.ofMinutes(40)), WorkflowRun.Result.SUCCESS),
        run(101, "wf1", T0.plus(Duration.ofMinutes(10)), WorkflowRun.Result.SUCCESS));
    case "wf2" -> List.of(
        run(203, "wf2", T0.plus(Duration.ofMinutes(65)), WorkflowRun.Result.SUCCESS),
        run(202, "wf2", T0.plus(Duration.ofMinutes(35)), WorkflowRun.Result.SUCCESS),
        run(201, "wf2", T0.plus(Duration.ofMinutes(5)), WorkflowRun.Result.SUCCESS));
    default -> List.of();
  };

  private Failover.Builder failover() {
    return Failover.builder()
        .primaryJobs(w -> primaryJobs)
        .secondaryJobs(w -> secondaryJobs)
        .ledgers(w -> ledger)
        .primaryRuns(w -> primaryRuns)
        .cloner(cloner)
        .clock(clock)
        .sleeper(clock)
        .retryBase(Duration.ofMillis(1));
  }

  @Test
  void rollsForwardAPartlyAppliedSyncPointAndRefusesIncompleteStaging() {
    stageHistory();

    FailoverReport report = failover().build().run(config);

    // Primary: workflows and sender paused, confirmed at once.
    FailoverReport.WorkspaceFailover w = report.workspaces().get(0);
    assertThat(w.primaryShutdown().jobs()).extracting(JobOutcome::job, JobOutcome::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("wf1", JobOutcome.Status.CONFIRMED),
            org.assertj.core.groups.Tuple.tuple("wf2", JobOutcome.Status.CONFIRMED),
            org.assertj.core.groups.Tuple.tuple("deltasync_sender", JobOutcome.Status.CONFIRMED));
    for (String job : List.of("wf1", "wf2", "deltasync_sender")) {
      assertThat(workspaces.status(Region.PRIMARY, job)).as(job).isEqualTo(PauseStatus.PAUSED);
    }

    // g1: sync point 2 rolled forward, the secondary tables hold run 102.
    GroupRecovery g1 = report.groups().get(0);
    assertThat(g1.status()).isEqualTo(Status.PROMOTED);
    assertThat(g1.rolledForward()).hasValue(2);
    assertThat(cloner.latest(secondaryTable("t1"))).isEqualTo("t1@run102");
    assertThat(cloner.latest(secondaryTable("t2"))).isEqualTo("t2@run102");
    RecoveryPoint p1 = g1.point().orElseThrow();
    assertThat(p1.sequence()).isEqualTo(2);
    assertThat(p1.runId()).hasValue(102);
    assertThat(p1.runEnd()).contains(T0.plus(Duration.ofMinutes(40)));
    assertThat(p1.tables()).extracting(t -> t.table(), t -> t.sourceVersion().getAsLong(),
            t -> t.stagingVersion().getAsLong(), t -> t.targetVersion().getAsLong())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("c.s.t1", 7L, 1L, 1L),
            org.assertj.core.groups.Tuple.tuple("c.s.t2", 9L, 1L, 1L));
    Rpo rpo1 = g1.rpo().orElseThrow();
    assertThat(rpo1.source()).isEqualTo(Rpo.Source.PRIMARY_RUNS);
    assertThat(rpo1.primaryLastRunId()).hasValue(102);
    assertThat(rpo1.dataLoss()).isEqualTo(Duration.ZERO);
    assertThat(rpo1.runsNotRecovered()).isZero();

    // g2: staging incomplete, not promoted, still at sync point 1; RPO against run 203.
    GroupRecovery g2 = report.groups().get(1);
    assertThat(g2.status()).isEqualTo(Status.NOT_PROMOTED);
    assertThat(g2.reason().orElseThrow())
        .contains("staging of sync point 2 (sync s4, run 202) is incomplete")
        .contains("staging table " + staging("g2", "t3") + " is at version 0, before the recorded"
            + " version 1");
    assertThat(g2.point().orElseThrow().runId()).hasValue(201);
    assertThat(cloner.latest(secondaryTable("t3"))).isEqualTo("t3@run201");
    Rpo rpo2 = g2.rpo().orElseThrow();
    assertThat(rpo2.dataLoss()).isEqualTo(Duration.ofMinutes(60));
    assertThat(rpo2.runsNotRecovered()).isEqualTo(2);
    assertThat(rpo2.primaryLastRunId()).hasValue(203);

    // Secondary: wf1 runs now, wf2 stays paused, receiver and reverse sender paused.
    assertThat(w.promotion().jobs()).extracting(JobOutcome::job).containsExactly("wf1");
    assertThat(workspaces.status(Region.SECONDARY, "wf1")).isEqualTo(PauseStatus.UNPAUSED);
    assertThat(workspaces.status(Region.SECONDARY, "wf2")).isEqualTo(PauseStatus.PAUSED);
    assertThat(workspaces.status(Region.SECONDARY, "deltasync_receiver"))
        .isEqualTo(PauseStatus.PAUSED);
    assertThat(workspaces.status(Region.SECONDARY, "deltasync_sender"))
        .isEqualTo(PauseStatus.PAUSED);
    assertThat(report.complete()).isFalse();
    assertThat(report.notPromoted()).extracting(GroupRecovery::group).containsExactly("g2");

    // The roll forward recorded sync point 2 of g1 as applied, once.
    LedgerState state = new LedgerState(ledger.read());
    assertThat(state.lastApplied("ws", "g1").orElseThrow().sequence()).isEqualTo(2);
    assertThat(state.lastApplied("ws", "g2").orElseThrow().sequence()).isEqualTo(1);
  }

  @Test
  void eachGroupIsNotifiedPromotedWithItsRecoveryPointOrFailedWithTheReason() {
    stageHistory();
    FailoverReport report = failover().build().run(config);
    List<GroupEvent> sent = new ArrayList<>();

    // Routed by workspace: an event of another workspace would not reach "ws"'s notifier.
    DrNotices.send(DrNotices.events(report), Map.of("ws", event -> {
      sent.add(event);
      return List.of();
    }));

    assertThat(sent).extracting(GroupEvent::group, GroupEvent::phase, GroupEvent::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("g1", Phase.FAILOVER, Outcome.SUCCESS),
            org.assertj.core.groups.Tuple.tuple("g2", Phase.FAILOVER, Outcome.FAILURE));
    GroupEvent g1 = sent.get(0);
    assertThat(g1.syncId()).contains("s2");
    assertThat(g1.runId()).hasValue(102);
    assertThat(g1.runEndTime()).contains(T0.plus(Duration.ofMinutes(40)));
    assertThat(g1.error()).isEmpty();
    assertThat(g1.tables()).extracting(t -> t.table(), t -> t.sourceVersion().getAsLong(),
            t -> t.stagingVersion().getAsLong(), t -> t.targetVersion().getAsLong())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("c.s.t1", 7L, 1L, 1L),
            org.assertj.core.groups.Tuple.tuple("c.s.t2", 9L, 1L, 1L));
    assertThat(g1.startedAt()).isEqualTo(report.started());
    assertThat(g1.finishedAt()).isEqualTo(report.finished());

    GroupEvent g2 = sent.get(1);
    assertThat(g2.syncId()).contains("s3");
    assertThat(g2.runId()).hasValue(201);
    assertThat(g2.error().orElseThrow())
        .startsWith("Not promoted: " + report.groups().get(1).reason().orElseThrow())
        .endsWith("\nThe secondary tables hold sync point #1.");
  }

  @Test
  void aPrimaryThatNeverAnswersIsReportedAndFailoverGoesOnWithTheLedgersRpo() {
    stageHistory();
    JobsControl down = new JobsControl() {
      @Override
      public String workspace() {
        return "primary";
      }

      @Override
      public List<JobRef> findJobs(String name) {
        throw new SyncException(SyncException.Kind.RETRYABLE, "connection refused");
      }

      @Override
      public JobState state(JobRef job) {
        throw new SyncException(SyncException.Kind.RETRYABLE, "connection refused");
      }

      @Override
      public PauseChange setPauseStatus(JobRef job, PauseStatus status) {
        throw new SyncException(SyncException.Kind.RETRYABLE, "connection refused");
      }

      @Override
      public void cancelActiveRuns(JobRef job) {
        throw new SyncException(SyncException.Kind.RETRYABLE, "connection refused");
      }

      @Override
      public long runNow(JobRef job, Map<String, String> jobParameters) {
        throw new SyncException(SyncException.Kind.RETRYABLE, "connection refused");
      }

      @Override
      public Optional<RunResult> runResult(long runId) {
        throw new SyncException(SyncException.Kind.RETRYABLE, "connection refused");
      }
    };
    RunSource unreachable = (workflow, notBefore) -> {
      throw new SyncException(SyncException.Kind.RETRYABLE, "primary Jobs API unreachable");
    };
    Instant start = clock.instant();

    FailoverReport report = failover().primaryJobs(w -> down).primaryRuns(w -> unreachable).build()
        .run(config);

    ScheduleReport shutdown = report.workspaces().get(0).primaryShutdown();
    assertThat(shutdown.allConfirmed()).isFalse();
    assertThat(shutdown.rounds()).isEqualTo(4);
    assertThat(shutdown.finished()).isEqualTo(start.plus(Duration.ofMinutes(30)));
    assertThat(shutdown.jobs()).allSatisfy(j -> {
      assertThat(j.status()).isEqualTo(JobOutcome.Status.NOT_CONFIRMED);
      assertThat(j.detail()).isEqualTo("connection refused");
    });
    assertThat(clock.sleeps).containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(10),
        Duration.ofMinutes(10));

    GroupRecovery g1 = report.groups().get(0);
    assertThat(g1.promoted()).isTrue();
    assertThat(g1.rpo().orElseThrow().source()).isEqualTo(Rpo.Source.LEDGER);
    assertThat(g1.rpo().orElseThrow().note().orElseThrow())
        .contains("primary Jobs API unreachable").contains("the loss may be larger");
    GroupRecovery g2 = report.groups().get(1);
    // The ledger knows run 202 (staged, not recovered) but not run 203.
    assertThat(g2.rpo().orElseThrow().runsNotRecovered()).isEqualTo(1);
    assertThat(g2.rpo().orElseThrow().dataLoss()).isEqualTo(Duration.ofMinutes(30));
    assertThat(workspaces.status(Region.SECONDARY, "wf1")).isEqualTo(PauseStatus.UNPAUSED);
  }

  @Test
  void aRollForwardThatFailsLeavesTheGroupPausedAtItsAppliedPoint() {
    stageHistory();
    cloner.failInto(secondaryTable("t2"));

    FailoverReport report = failover().build().run(config);

    GroupRecovery g1 = report.groups().get(0);
    assertThat(g1.status()).isEqualTo(Status.NOT_PROMOTED);
    assertThat(g1.reason().orElseThrow()).contains("rolling forward sync point 2 failed")
        .contains("injected failure writing " + secondaryTable("t2"));
    assertThat(g1.point().orElseThrow().sequence()).isEqualTo(1);
    assertThat(workspaces.status(Region.SECONDARY, "wf1")).isEqualTo(PauseStatus.PAUSED);
    assertThat(report.workspaces().get(0).promotion().jobs()).isEmpty();
  }

  @Test
  void runningFailoverTwiceChangesNothingTheSecondTime() {
    stageHistory();
    failover().build().run(config);
    int rows = ledger.read().size();

    FailoverReport again = failover().build().run(config);

    assertThat(ledger.read()).hasSize(rows);
    assertThat(again.groups().get(0).rolledForward()).isEmpty();
    assertThat(again.groups().get(0).point().orElseThrow().sequence()).isEqualTo(2);
    assertThat(again.workspaces().get(0).primaryShutdown().jobs())
        .allSatisfy(j -> assertThat(j.status()).isEqualTo(JobOutcome.Status.ALREADY));
    assertThat(again.workspaces().get(0).promotion().jobs())
        .allSatisfy(j -> assertThat(j.status()).isEqualTo(JobOutcome.Status.ALREADY));
  }

  @Test
  void theReportReadsForPeopleAndForMachines() throws Exception {
    stageHistory();
    FailoverReport report = failover().build().run(config);

    java.io.StringWriter text = new java.io.StringWriter();
    DrReports.print(report, new java.io.PrintWriter(text));
    assertThat(text.toString())
        .contains("Failover INCOMPLETE")
        .contains("  Group g1: PROMOTED\n    rolled forward sync point 2\n"
            + "    recovery point: sync point 2, run 102, ended 2026-11-23T08:40:00Z\n"
            + "      c.s.t1: primary version 7 -> c.s.t1 version 1\n")
        .contains("    RPO: nothing lost, 0 completed primary run(s) not recovered (newest primary"
            + " run 102, from PRIMARY_RUNS)\n")
        .contains("  Group g2: NOT_PROMOTED - staging of sync point 2 (sync s4, run 202) is"
            + " incomplete")
        .contains("    RPO: 60 min 0 s lost, 2 completed primary run(s) not recovered (newest"
            + " primary run 203, from PRIMARY_RUNS)\n");
    assertThat(DrReports.problems(report)).hasSize(1).first().asString()
        .startsWith("group ws/g2 not promoted: staging of sync point 2");

    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
        .valueToTree(DrReports.json(report));
    assertThat(json.path("format_version").asInt()).isEqualTo(1);
    assertThat(json.path("complete").asBoolean()).isFalse();
    com.fasterxml.jackson.databind.JsonNode g2 = json.path("workspaces").get(0).path("groups").get(1);
    assertThat(g2.path("status").asText()).isEqualTo("NOT_PROMOTED");
    assertThat(g2.path("recovery_point").path("run_id").asLong()).isEqualTo(201);
    assertThat(g2.path("rpo").path("data_loss_seconds").asLong()).isEqualTo(3600);
    assertThat(g2.path("rpo").path("runs_not_recovered").asInt()).isEqualTo(2);
    assertThat(json.path("workspaces").get(0).path("primary_shutdown").path("jobs").get(2)
        .path("job").asText()).isEqualTo("deltasync_sender");
  }
}
