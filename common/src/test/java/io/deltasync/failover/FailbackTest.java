package io.deltasync.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.clone.TableCloner;
import io.deltasync.config.Credentials;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncException;
import io.deltasync.jobs.JobRef;
import io.deltasync.jobs.JobState;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseChange;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.jobs.RunResult;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.table.TableLocation;
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

/** Failback's order and its stops, on fakes: the primary never runs before its tables are synced. */
class FailbackTest {

  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");

  @TempDir Path dir;

  private final List<String> events = new ArrayList<>();
  private FakeClock clock;
  private FakeLedger forwardLedger;
  private FakeLedger reverseLedger;
  private FakeCloner cloner;
  private WorkspaceConfig ws;
  private DeltaSyncConfig config;
  private LocalWorkspaces workspaces;
  private JobsControl primaryJobs;
  private JobsControl secondaryJobs;
  private List<WorkflowRun> secondaryRuns;

  @AfterEach
  void stopWorkspaces() {
    workspaces.close();
  }

  @BeforeEach
  void setUp() {
    clock = new FakeClock(T0.plus(Duration.ofHours(5)));
    forwardLedger = new FakeLedger();
    reverseLedger = new FakeLedger();
    cloner = new FakeCloner();
    String primary = dir.resolve("primary").toString();
    String secondary = dir.resolve("secondary").toString();
    SyncGroup g1 = new SyncGroup("ws", "g1", "owner@example.com", Optional.of("wf1"),
        List.of(TableMapping.sameName(TableName.parse("c.s.t1")),
            TableMapping.sameName(TableName.parse("c.s.t2"))));
    ws = new WorkspaceConfig("ws", URI.create("http://primary"), Optional.empty(),
        new Credentials.Pat(new SecretRef("scope", "pat")),
        dir.resolve("sync-primary").toString(), dir.resolve("sync-secondary").toString(),
        Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofMinutes(30), 1,
        Optional.empty(), Optional.empty(), List.of(g1),
        Optional.of(new LocalRegions(primary, secondary)));
    config = new DeltaSyncConfig("scope", List.of(ws), Optional.empty());
    workspaces = LocalWorkspaces.start("scope", Clock.systemUTC(), "wf1");
    primaryJobs = workspaces.primaryJobs();
    secondaryJobs = workspaces.secondaryJobs();
    // After failover: the primary paused, the secondary running wf1, its receiver paused.
    for (String job : List.of("wf1", "deltasync_sender")) {
      primaryJobs.setPauseStatus(primaryJobs.job(job), PauseStatus.PAUSED);
    }
    secondaryJobs.setPauseStatus(secondaryJobs.job("deltasync_receiver"), PauseStatus.PAUSED);
    secondaryJobs.setPauseStatus(secondaryJobs.job("deltasync_sender"), PauseStatus.PAUSED);

    Instant recovered = T0.plus(Duration.ofMinutes(60));
    for (String t : List.of("t1", "t2")) {
      // The primary still has the half-done run's state on top of the recovered one.
      cloner.table(table("primary", t), t + "@p101", t + "@p102-partial");
      // The secondary: recovery point (v0), then two runs there.
      cloner.table(table("secondary", t), t + "@p101", t + "@s1", t + "@s2");
    }
    forwardLedger.append(List.of(
        applied("c.s.t1", recovered), applied("c.s.t2", recovered)),
        Optional.of(LedgerTxn.receiver("ws", "g1", 1)));
    secondaryRuns = List.of(
        new WorkflowRun(2, "wf1", T0.plus(Duration.ofMinutes(130)),
            Optional.of(T0.plus(Duration.ofMinutes(140))), WorkflowRun.Result.SUCCESS),
        new WorkflowRun(1, "wf1", T0.plus(Duration.ofMinutes(70)),
            Optional.of(T0.plus(Duration.ofMinutes(80))), WorkflowRun.Result.SUCCESS));
  }

  private static LedgerRow applied(String table, Instant at) {
    return new LedgerRow(LedgerRow.CURRENT_FORMAT, "s1", 1, "ws", "g1", table, table,
        OptionalLong.of(101), Optional.of(at.minusSeconds(600)), OptionalLong.of(0),
        OptionalLong.of(0), OptionalLong.of(0), SyncStatus.APPLIED, 1, 1, 0, 0, 1, 1, 1, 1,
        Optional.empty(), at);
  }

  private String table(String region, String t) {
    return dir.resolve(region).resolve("c/s").resolve(t).toString();
  }

  /** Logs every job switch and every clone, in the order they happen. */
  private JobsControl recording(String side, JobsControl jobs) {
    return new JobsControl() {
      @Override
      public String workspace() {
        return jobs.workspace();
      }

      @Override
      public List<JobRef> findJobs(String name) {
        return jobs.findJobs(name);
      }

      @Override
      public JobState state(JobRef job) {
        return jobs.state(job);
      }

      @Override
      public PauseChange setPauseStatus(JobRef job, PauseStatus status) {
        events.add(side + " " + status + " " + job.name());
        return jobs.setPauseStatus(job, status);
      }

      @Override
      public void cancelActiveRuns(JobRef job) {
        jobs.cancelActiveRuns(job);
      }

      @Override
      public long runNow(JobRef job, Map<String, String> jobParameters) {
        return jobs.runNow(job, jobParameters);
      }

      @Override
      public Optional<RunResult> runResult(long runId) {
        return jobs.runResult(runId);
      }
    };
  }

  private TableCloner recordingCloner() {
    return new TableCloner() {
      @Override
      public CloneResult clone(TableLocation source, long version, TableLocation target,
          CloneOptions options) {
        CloneResult result = cloner.clone(source, version, target, options);
        events.add("clone " + source + "@" + version + " -> " + target
            + (options.force() ? " (force)" : ""));
        return result;
      }

      @Override
      public long latestVersion(TableLocation table) {
        return cloner.latestVersion(table);
      }

      @Override
      public OptionalLong clonedVersion(TableLocation source, TableLocation target) {
        return cloner.clonedVersion(source, target);
      }
    };
  }

  private Failback failback() {
    RunSource runs = (workflow, notBefore) -> secondaryRuns;
    return Failback.builder()
        .primaryJobs(w -> recording("primary", primaryJobs))
        .secondaryJobs(w -> recording("secondary", secondaryJobs))
        .ledgers(w -> w.syncLocationSecondary().endsWith("sync-secondary") ? forwardLedger
            : reverseLedger)
        .secondaryRuns(w -> runs)
        // The fake world: a run's state is a table's newest version.
        .versions((t, run) -> cloner.latestVersion(t))
        .cloner(recordingCloner())
        .clock(clock)
        .sleeper(clock)
        .retryBase(Duration.ofMillis(1))
        .build();
  }

  @Test
  void thePrimaryIsUnpausedOnlyAfterItsTablesHoldTheSecondarysLastRun() {
    secondaryJobs.setPauseStatus(secondaryJobs.job("wf1"), PauseStatus.UNPAUSED);

    FailbackReport report = failback().run(config);

    assertThat(cloner.latest(table("primary", "t1"))).isEqualTo("t1@s2");
    assertThat(cloner.latest(table("primary", "t2"))).isEqualTo("t2@s2");
    String staging1 = dir.resolve("sync-primary/ws/g1/c/s/t1").toString();
    String staging2 = dir.resolve("sync-primary/ws/g1/c/s/t2").toString();
    assertThat(events).containsExactly(
        "secondary PAUSED wf1",
        "primary PAUSED wf1",
        "primary PAUSED deltasync_sender",
        "clone " + table("secondary", "t1") + "@2 -> " + staging1,
        "clone " + table("secondary", "t2") + "@2 -> " + staging2,
        "clone " + staging1 + "@0 -> " + table("primary", "t1") + " (force)",
        "clone " + staging2 + "@0 -> " + table("primary", "t2") + " (force)",
        "primary UNPAUSED wf1",
        "primary UNPAUSED deltasync_sender",
        "secondary UNPAUSED deltasync_receiver",
        "secondary PAUSED deltasync_sender");
    assertThat(report.complete()).isTrue();
    FailbackReport.GroupFailback g1 = report.groups().get(0);
    assertThat(g1.carriedBack()).isTrue();
    assertThat(g1.secondaryRunId()).hasValue(2);
    assertThat(g1.tables()).extracting(FailbackReport.TableCopy::secondaryVersion)
        .containsExactly(OptionalLong.of(2), OptionalLong.of(2));
    assertThat(workspaces.status(Region.SECONDARY, "wf1")).isEqualTo(PauseStatus.PAUSED);
    assertThat(workspaces.status(Region.SECONDARY, "deltasync_receiver"))
        .isEqualTo(PauseStatus.UNPAUSED);
    assertThat(workspaces.status(Region.PRIMARY, "wf1")).isEqualTo(PauseStatus.UNPAUSED);

    // The notification says which secondary run the primary now holds, per table.
    io.deltasync.notify.GroupEvent notice = DrNotices.events(report).get(0);
    assertThat(notice.phase()).isEqualTo(io.deltasync.notify.GroupEvent.Phase.FAILBACK);
    assertThat(notice.failed()).isFalse();
    assertThat(notice.group()).isEqualTo("g1");
    assertThat(notice.runId()).hasValue(2);
    assertThat(notice.tables()).extracting(t -> t.table(), t -> t.sourceVersion())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("c.s.t1", OptionalLong.of(2)),
            org.assertj.core.groups.Tuple.tuple("c.s.t2", OptionalLong.of(2)));
    assertThat(notice.tables()).extracting(t -> t.targetVersion())
        .isEqualTo(g1.tables().stream().map(FailbackReport.TableCopy::primaryVersion).toList());
  }

  @Test
  void aFailedCloneIntoThePrimaryKeepsItPausedAndARerunFinishes() {
    secondaryJobs.setPauseStatus(secondaryJobs.job("wf1"), PauseStatus.UNPAUSED);
    cloner.failInto(table("primary", "t2"));

    assertThatThrownBy(() -> failback().run(config))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("the receive from secondary to primary failed for ws/g1")
        .hasMessageContaining("injected failure writing " + table("primary", "t2"))
        .hasMessageContaining("The primary's workflows stay paused");
    assertThat(events).noneMatch(e -> e.startsWith("primary UNPAUSED"));
    assertThat(workspaces.status(Region.PRIMARY, "wf1")).isEqualTo(PauseStatus.PAUSED);
    assertThat(workspaces.status(Region.PRIMARY, "deltasync_sender")).isEqualTo(PauseStatus.PAUSED);
    assertThat(workspaces.status(Region.SECONDARY, "wf1")).isEqualTo(PauseStatus.PAUSED);

    // Fixed: failback again resumes from the staged sync point and promotes the primary.
    FakeCloner healthy = new FakeCloner();
    healthy.tables.putAll(cloner.tables);
    cloner = healthy;
    events.clear();
    FailbackReport report = failback().run(config);

    assertThat(cloner.latest(table("primary", "t2"))).isEqualTo("t2@s2");
    assertThat(events).noneMatch(e -> e.contains("-> " + dir.resolve("sync-primary")));
    assertThat(events.indexOf("primary UNPAUSED wf1"))
        .isGreaterThan(events.indexOf("clone " + dir.resolve("sync-primary/ws/g1/c/s/t2")
            + "@0 -> " + table("primary", "t2") + " (force)"));
    assertThat(report.complete()).isTrue();
    assertThat(new LedgerState(reverseLedger.read()).lastApplied("ws", "g1").orElseThrow()
        .sequence()).isEqualTo(1);
  }

  @Test
  void withoutARunInTheSecondaryThePrimaryGetsTheRecoveryPoint() {
    secondaryJobs.setPauseStatus(secondaryJobs.job("wf1"), PauseStatus.UNPAUSED);
    secondaryRuns = List.of();
    // Only the recovery point is in the secondary tables.
    for (String t : List.of("t1", "t2")) {
      cloner.table(table("secondary", t), t + "@p101");
    }

    FailbackReport report = failback().run(config);

    assertThat(cloner.latest(table("primary", "t1"))).isEqualTo("t1@p101");
    // Pinned by versions (the failover epoch's baseline), not by a run: none ran there since.
    assertThat(report.groups().get(0).secondaryRunId()).isEmpty();
    assertThat(report.groups().get(0).secondaryRunEnd()).isEmpty();
    assertThat(report.groups().get(0).note())
        .contains("the recovery point: no successful run in the secondary since");
  }

  @Test
  void aGroupNeverPromotedKeepsThePrimarysTables() {
    // wf1 stayed paused in the secondary (not promoted at failover) and never ran there.
    secondaryJobs.setPauseStatus(secondaryJobs.job("wf1"), PauseStatus.PAUSED);
    secondaryRuns = List.of();

    FailbackReport report = failback().run(config);

    assertThat(cloner.latest(table("primary", "t1"))).isEqualTo("t1@p102-partial");
    assertThat(report.groups().get(0).carriedBack()).isFalse();
    assertThat(report.groups().get(0).note().orElseThrow())
        .contains("workflow wf1 was not promoted in the secondary");
    assertThat(events).noneMatch(e -> e.startsWith("clone"));
    assertThat(workspaces.status(Region.PRIMARY, "wf1")).isEqualTo(PauseStatus.UNPAUSED);
  }
}
