package io.deltasync.jobs;

import io.deltasync.errors.SyncException;
import io.deltasync.jobs.JobOutcome.Status;
import io.deltasync.sync.Sleeper;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses or unpauses a set of jobs in one workspace, best effort: a job whose workspace does not
 * answer is asked again every {@link RetryPolicy#interval()} until it is confirmed or
 * {@link RetryPolicy#deadline()} has passed since the first attempt; a job the workspace refuses is
 * reported at once and not asked again. Never throws for a job: the {@link ScheduleReport} records
 * what was confirmed and what was not, so a failover goes on without a primary that is down.
 */
public final class ScheduleSwitch {

  private static final Logger LOG = LoggerFactory.getLogger(ScheduleSwitch.class);

  private final JobsControl jobs;
  private final Clock clock;
  private final Sleeper sleeper;

  public ScheduleSwitch(JobsControl jobs, Clock clock, Sleeper sleeper) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * @param names the jobs, by name (duplicates are asked once)
   * @param target the status to set
   * @param activeRuns whether to cancel runs in progress after pausing (ignored when unpausing)
   * @param policy how long to keep asking a workspace that does not answer
   */
  public ScheduleReport apply(
      List<String> names, PauseStatus target, ActiveRuns activeRuns, RetryPolicy policy) {
    Instant started = clock.instant();
    Instant deadline = started.plus(policy.deadline());
    Map<String, Attempt> pending = new LinkedHashMap<>();
    for (String name : names) {
      pending.putIfAbsent(name, new Attempt(name));
    }
    List<Attempt> all = List.copyOf(pending.values());
    int rounds = 0;
    while (true) {
      rounds++;
      for (Attempt attempt : List.copyOf(pending.values())) {
        if (attempt.tryOnce(target, activeRuns)) {
          pending.remove(attempt.name);
        }
      }
      if (pending.isEmpty()) {
        break;
      }
      Instant next = clock.instant().plus(policy.interval());
      if (next.isAfter(deadline)) {
        LOG.warn("Giving up on {} in {} after {} rounds: deadline {} reached; status unknown",
            pending.keySet(), jobs.workspace(), rounds, deadline);
        break;
      }
      LOG.warn("{} in {} not confirmed {} yet; next attempt in {} (deadline {})",
          pending.keySet(), jobs.workspace(), target, policy.interval(), deadline);
      try {
        sleeper.sleep(policy.interval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("Interrupted while waiting for {}; stopping", jobs.workspace());
        break;
      }
    }
    List<JobOutcome> outcomes = new ArrayList<>();
    for (Attempt attempt : all) {
      outcomes.add(attempt.outcome());
    }
    return new ScheduleReport(jobs.workspace(), target, started, clock.instant(), rounds, outcomes);
  }

  /** The progress of one job across rounds. */
  private final class Attempt {
    final String name;
    int attempts;
    JobRef ref;
    boolean paused;
    Optional<Instant> confirmedAt = Optional.empty();
    Status status = Status.NOT_CONFIRMED;
    String detail = "not attempted";

    Attempt(String name) {
      this.name = name;
    }

    /** Returns true when this job is settled (confirmed or refused). */
    boolean tryOnce(PauseStatus target, ActiveRuns activeRuns) {
      attempts++;
      try {
        if (ref == null) {
          ref = jobs.job(name);
        }
        if (!paused) {
          PauseChange change = jobs.setPauseStatus(ref, target);
          paused = true;
          confirmedAt = Optional.of(clock.instant());
          status = change.changed() ? Status.CONFIRMED : Status.ALREADY;
          detail = describe(change, target);
        }
        if (target == PauseStatus.PAUSED && activeRuns == ActiveRuns.CANCEL) {
          jobs.cancelActiveRuns(ref);
          detail = detail + "; active runs cancelled";
        }
        LOG.info("Job {} in {}: {} ({}), attempt {}", name, jobs.workspace(), status, detail, attempts);
        return true;
      } catch (SyncException e) {
        if (e.isRetryable()) {
          if (paused) {
            // The schedule is confirmed; only the cancellation is outstanding.
            detail = describeStatusOnly(target) + "; cancelling active runs did not get an answer: "
                + e.getMessage();
          } else {
            detail = e.getMessage();
          }
          LOG.warn("Job {} in {}: attempt {} got no answer: {}", name, jobs.workspace(), attempts,
              e.getMessage());
          return false;
        }
        if (!paused) {
          status = Status.REFUSED;
        }
        detail = e.getMessage();
        LOG.warn("Job {} in {}: refused on attempt {}: {}", name, jobs.workspace(), attempts,
            e.getMessage());
        return true;
      }
    }

    JobOutcome outcome() {
      return new JobOutcome(name, status, attempts, confirmedAt, detail);
    }

    private String describe(PauseChange change, PauseStatus target) {
      if (!change.after().hasTriggers()) {
        return "no schedule, continuous or trigger setting: runs only when started";
      }
      return change.changed()
          ? target + " (was " + change.before().triggers() + ")"
          : "already " + target;
    }

    private String describeStatusOnly(PauseStatus target) {
      return target + " confirmed";
    }
  }
}
