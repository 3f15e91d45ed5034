package io.deltasync.failover;

import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.WorkflowRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The RPO of a group recovered at a sync point, as failover and the keep-primary drill see it. */
final class RpoMeasure {

  private static final Logger LOG = LoggerFactory.getLogger(RpoMeasure.class);

  private RpoMeasure() {}

  /**
   * The data lost: from the primary's runs when they can be read (exact), else from the runs the
   * sender staged (a lower bound: runs after the last staged one are unknown).
   *
   * @param asOf count only the runs that ended by then (a drill's simulated outage start); every
   *     run when empty
   * @param command who asks, for the log
   */
  static Rpo of(WorkspaceConfig ws, SyncGroup group, SyncPoint recovered, LedgerState state,
      Function<WorkspaceConfig, RunSource> primaryRuns, Optional<Instant> asOf, String command) {
    if (group.workflow().isEmpty()) {
      return new Rpo(Rpo.Source.NONE, OptionalLong.empty(), Optional.empty(), Duration.ZERO, 0,
          Optional.of("standalone tables: every change after their sync at "
              + recovered.recordedAt() + " is lost"));
    }
    String workflow = group.workflow().get();
    Instant recoveredEnd = recovered.runEndTime().orElse(Instant.EPOCH);
    long recoveredId = recovered.runId().orElse(-1);
    List<WorkflowRun> successful;
    Rpo.Source source;
    Optional<String> note = Optional.empty();
    try {
      successful = primaryRuns.apply(ws).runs(workflow, OptionalLong.empty()).stream()
          .filter(WorkflowRun::succeeded).toList();
      source = Rpo.Source.PRIMARY_RUNS;
    } catch (RuntimeException e) {
      LOG.warn("{} {}/{}: the primary's runs cannot be read ({}); RPO from the ledger", command,
          ws.name(), group.name(), SyncErrors.describe(e));
      successful = state.syncPoints(ws.name(), group.name(), SyncStatus.STAGED).stream()
          .filter(p -> p.runId().isPresent() && p.runEndTime().isPresent())
          .map(p -> new WorkflowRun(p.runId().getAsLong(), workflow, p.runEndTime().get(),
              p.runEndTime(), WorkflowRun.Result.SUCCESS))
          .toList();
      source = Rpo.Source.LEDGER;
      note = Optional.of("the primary's runs could not be read (" + SyncErrors.describe(e)
          + "): figures count only the runs the sender staged, so the loss may be larger");
    }
    if (asOf.isPresent()) {
      successful = successful.stream()
          .filter(r -> !r.end().orElseThrow().isAfter(asOf.get())).toList();
    }
    List<WorkflowRun> newer = successful.stream()
        .filter(r -> r.runId() != recoveredId && r.end().orElseThrow().isAfter(recoveredEnd))
        .toList();
    Optional<WorkflowRun> newest = successful.stream()
        .max(Comparator.comparing((WorkflowRun r) -> r.end().orElseThrow())
            .thenComparingLong(WorkflowRun::runId));
    // The recovered run itself never counts (its end may differ below a millisecond: the ledger
    // stores microseconds).
    Duration loss = newer.stream().map(r -> Duration.between(recoveredEnd, r.end().orElseThrow()))
        .max(Comparator.naturalOrder()).orElse(Duration.ZERO);
    return new Rpo(source,
        newest.map(r -> OptionalLong.of(r.runId())).orElse(OptionalLong.empty()),
        newest.flatMap(WorkflowRun::end), loss, newer.size(), note);
  }
}
