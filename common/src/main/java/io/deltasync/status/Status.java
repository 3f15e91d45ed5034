package io.deltasync.status;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.status.StatusReport.ErrorSummary;
import io.deltasync.status.StatusReport.GroupReport;
import io.deltasync.status.StatusReport.Lag;
import io.deltasync.status.StatusReport.PointSummary;
import io.deltasync.status.StatusReport.Primary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code deltasync status}: per group, the primary's last successful run, the last staged and the
 * last applied sync point, the lag, the last error and the bytes sent in the last 24 hours.
 *
 * <p>Read-only: it reads the ledger (to its end, before deciding anything) and asks the primary's
 * run source for the workflow's runs. Nothing here throws for a group: an unreachable primary or
 * an unreadable ledger is reported in the group's entry and the other groups go on.
 *
 * <p>Lag: the primary's newest completed (successful) run R is compared with the run of the last
 * APPLIED sync point A. The secondary holds R when A is R or a run that ended no earlier than R;
 * then the lag is zero. Otherwise the lag is the time from R's end to now, and the staleness the
 * time from the end of the OLDEST successful run the secondary does not hold to now (what {@link
 * LagAlerts} compares with {@code lag_alert_mins}).
 */
public final class Status {

  private static final Logger LOG = LoggerFactory.getLogger(Status.class);

  /** The window of {@link GroupReport#bytesSentLast24h()}. */
  public static final Duration SENT_WINDOW = Duration.ofHours(24);

  private final Function<WorkspaceConfig, SyncLedger> ledgers;
  private final Function<WorkspaceConfig, RunSource> runSources;
  private final Clock clock;

  /**
   * @param ledgers the ledger of a workspace
   * @param runSources the primary's runs of a workspace (may throw when the primary is unreachable)
   * @param clock now, for the lag and the 24-hour window
   */
  public Status(Function<WorkspaceConfig, SyncLedger> ledgers,
      Function<WorkspaceConfig, RunSource> runSources, Clock clock) {
    this.ledgers = Objects.requireNonNull(ledgers, "ledgers");
    this.runSources = Objects.requireNonNull(runSources, "runSources");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The state of every group of the config (or only {@code group} when given). */
  public StatusReport report(DeltaSyncConfig config, Optional<String> group) {
    if (group.isPresent()
        && config.allGroups().stream().noneMatch(g -> g.name().equals(group.get()))) {
      throw SyncErrors.unknownGroup(group.get(),
          config.allGroups().stream().map(SyncGroup::name).toList());
    }
    Instant now = clock.instant();
    List<GroupReport> reports = new ArrayList<>();
    for (WorkspaceConfig workspace : config.workspaces()) {
      List<SyncGroup> groups = workspace.groups().stream()
          .filter(g -> group.isEmpty() || g.name().equals(group.get()))
          .toList();
      if (!groups.isEmpty()) {
        reports.addAll(workspaceReport(workspace, groups, now));
      }
    }
    return new StatusReport(now, reports);
  }

  private List<GroupReport> workspaceReport(
      WorkspaceConfig workspace, List<SyncGroup> groups, Instant now) {
    Optional<LedgerState> state;
    Optional<String> ledgerProblem;
    try {
      state = Optional.of(new LedgerState(ledgers.apply(workspace).read()));
      ledgerProblem = Optional.empty();
    } catch (RuntimeException e) {
      String why = SyncErrors.describe(e);
      LOG.warn("Workspace {}: cannot read the ledger: {}", workspace.name(), why);
      state = Optional.empty();
      ledgerProblem = Optional.of(why);
    }
    RunSource runs = null;
    String runsProblem = null;
    if (groups.stream().anyMatch(g -> !g.standalone())) {
      try {
        runs = runSources.apply(workspace);
      } catch (RuntimeException e) {
        runsProblem = SyncErrors.describe(e);
        LOG.warn("Workspace {}: the primary's runs are not reachable: {}", workspace.name(),
            runsProblem);
      }
    }
    List<GroupReport> reports = new ArrayList<>();
    for (SyncGroup group : groups) {
      reports.add(groupReport(workspace, group, state, ledgerProblem, runs, runsProblem, now));
    }
    return reports;
  }

  private GroupReport groupReport(WorkspaceConfig workspace, SyncGroup group,
      Optional<LedgerState> state, Optional<String> ledgerProblem, RunSource runs,
      String runsProblem, Instant now) {
    String ws = workspace.name();
    Optional<SyncPoint> staged = state.flatMap(s -> s.lastStaged(ws, group.name()));
    Optional<SyncPoint> applied = state.flatMap(s -> s.lastApplied(ws, group.name()));

    Primary primary;
    List<WorkflowRun> successes = List.of();
    if (group.standalone()) {
      primary = new Primary.Standalone();
    } else if (runs == null) {
      primary = new Primary.Unreachable(runsProblem);
    } else {
      try {
        // Back to the applied run at most: only runs newer than it matter for the lag.
        OptionalLong notBefore = applied.map(SyncPoint::runId).orElse(OptionalLong.empty());
        successes = runs.runs(group.workflow().orElseThrow(), notBefore).stream()
            .filter(WorkflowRun::succeeded)
            .sorted(Comparator.comparing((WorkflowRun r) -> r.end().orElseThrow())
                .thenComparingLong(WorkflowRun::runId).reversed())
            .toList();
        primary = new Primary.Reachable(successes.stream().findFirst());
      } catch (RuntimeException e) {
        String why = SyncErrors.describe(e);
        LOG.warn("Group {}/{}: the primary's runs of workflow {} are not reachable: {}", ws,
            group.name(), group.workflow().orElseThrow(), why);
        primary = new Primary.Unreachable(why);
      }
    }

    Lag lag = lag(primary, applied, successes, ledgerProblem, now);
    Optional<ErrorSummary> lastError = state.flatMap(s -> lastError(s, ws, group.name(), staged,
        applied));
    long sent = state.map(s -> bytesSent(s, ws, group.name(), now)).orElse(0L);
    return new GroupReport(ws, group.name(), group.workflow(), primary, staged.map(Status::summary),
        applied.map(Status::summary), lag, lastError, sent, ledgerProblem,
        state.map(s -> s.currentEpoch(ws)));
  }

  private static Lag lag(Primary primary, Optional<SyncPoint> applied, List<WorkflowRun> successes,
      Optional<String> ledgerProblem, Instant now) {
    if (primary instanceof Primary.Standalone) {
      return new Lag.Unknown("standalone group: no workflow runs to measure against");
    }
    if (primary instanceof Primary.Unreachable unreachable) {
      return new Lag.Unknown("primary unreachable");
    }
    if (ledgerProblem.isPresent()) {
      return new Lag.Unknown("ledger unreadable");
    }
    Optional<WorkflowRun> newest = ((Primary.Reachable) primary).lastSuccess();
    if (newest.isEmpty()) {
      return new Lag.UpToDate();
    }
    WorkflowRun run = newest.get();
    if (holds(applied, run)) {
      return new Lag.UpToDate();
    }
    List<WorkflowRun> notHeld = successes.stream().filter(r -> !holds(applied, r)).toList();
    // successes are newest first, so the last one not held is the oldest state the secondary lacks
    WorkflowRun oldest = notHeld.get(notHeld.size() - 1);
    return new Lag.Behind(since(run, now), run, notHeld.size(), oldest, since(oldest, now));
  }

  private static Duration since(WorkflowRun run, Instant now) {
    Duration since = Duration.between(run.end().orElseThrow(), now);
    return since.isNegative() ? Duration.ZERO : since;
  }

  /** True when the applied sync point is {@code run}, or a run that ended no earlier. */
  private static boolean holds(Optional<SyncPoint> applied, WorkflowRun run) {
    if (applied.isEmpty()) {
      return false;
    }
    SyncPoint point = applied.get();
    if (point.runId().isPresent() && point.runId().getAsLong() == run.runId()) {
      return true;
    }
    return point.runEndTime().isPresent() && !point.runEndTime().get().isBefore(run.end().orElseThrow());
  }

  private static Optional<ErrorSummary> lastError(LedgerState state, String workspace, String group,
      Optional<SyncPoint> staged, Optional<SyncPoint> applied) {
    Optional<LedgerRow> failure = state.lastFailure(workspace, group);
    if (failure.isEmpty()) {
      return Optional.empty();
    }
    LedgerRow row = failure.get();
    // The receiver records its failures under the sync id of the point it tried to apply.
    boolean receive = state.rows().stream()
        .anyMatch(r -> r.status() == SyncStatus.STAGED && r.syncId().equals(row.syncId()));
    Optional<SyncPoint> laterSuccess = receive ? applied : staged;
    boolean resolved = laterSuccess.isPresent() && laterSuccess.get().recordedAt().isAfter(row.recordedAt());
    return Optional.of(new ErrorSummary(row.recordedAt(), receive ? "receive" : "send",
        row.tableName(), row.error().orElse("(no error text)"), resolved));
  }

  private static long bytesSent(LedgerState state, String workspace, String group, Instant now) {
    Instant from = now.minus(SENT_WINDOW);
    return state.rows().stream()
        .filter(r -> r.status() == SyncStatus.STAGED && r.workspace().equals(workspace)
            && r.groupName().equals(group))
        .filter(r -> r.recordedAt().isAfter(from) && !r.recordedAt().isAfter(now))
        .mapToLong(LedgerRow::copiedFilesSize)
        .sum();
  }

  private static PointSummary summary(SyncPoint point) {
    return new PointSummary(point.sequence(), point.syncId(), point.runId(), point.runEndTime(),
        point.recordedAt(), point.tables().size());
  }
}
