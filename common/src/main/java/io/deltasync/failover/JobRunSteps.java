package io.deltasync.failover;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.jobs.JobNames;
import io.deltasync.jobs.JobRef;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.RunResult;
import io.deltasync.sync.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failback's halves as jobs of their regions, started and awaited through each workspace's Jobs
 * API with that workspace's credentials: the sender job of the secondary (deployed there for this)
 * runs the reverse send, the receiver job of the primary the reverse receive. Each run gets the
 * job parameter {@value #GROUPS_PARAMETER}: the carried groups, comma-separated, which the job
 * passes on as {@code --group}.
 *
 * <p>A run that fails, is cancelled or does not end within the timeout fails that step; failback
 * stops there with the primary still paused, and running it again resumes (both halves are
 * idempotent: a staged or applied sync point is not done twice).
 */
public final class JobRunSteps implements FailbackSteps {

  /** The job parameter that carries the groups. */
  public static final String GROUPS_PARAMETER = "groups";

  private static final Logger LOG = LoggerFactory.getLogger(JobRunSteps.class);

  private final Function<WorkspaceConfig, JobsControl> primaryJobs;
  private final Function<WorkspaceConfig, JobsControl> secondaryJobs;
  private final JobNames jobNames;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration poll;
  private final Duration timeout;

  public JobRunSteps(Function<WorkspaceConfig, JobsControl> primaryJobs,
      Function<WorkspaceConfig, JobsControl> secondaryJobs, JobNames jobNames, Clock clock,
      Sleeper sleeper, Duration poll, Duration timeout) {
    this.primaryJobs = Objects.requireNonNull(primaryJobs, "primaryJobs");
    this.secondaryJobs = Objects.requireNonNull(secondaryJobs, "secondaryJobs");
    this.jobNames = Objects.requireNonNull(jobNames, "jobNames");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.poll = Objects.requireNonNull(poll, "poll");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public List<String> send(DeltaSyncConfig carried) {
    List<String> failures = new ArrayList<>();
    for (WorkspaceConfig ws : carried.workspaces()) {
      run(secondaryJobs.apply(ws), jobNames.reverseSender(), ws).ifPresent(failures::add);
    }
    return failures;
  }

  @Override
  public List<String> receive(DeltaSyncConfig carried) {
    List<String> failures = new ArrayList<>();
    for (WorkspaceConfig ws : carried.workspaces()) {
      run(primaryJobs.apply(ws), jobNames.receiver(), ws).ifPresent(failures::add);
    }
    return failures;
  }

  /** Runs the job over the workspace's groups and waits; the failure line, if it failed. */
  private Optional<String> run(JobsControl jobs, String name, WorkspaceConfig ws) {
    if (ws.groups().isEmpty()) {
      return Optional.empty();
    }
    String groups = String.join(",", ws.groups().stream().map(SyncGroup::name).toList());
    try {
      JobRef job = jobs.job(name);
      long runId = jobs.runNow(job, Map.of(GROUPS_PARAMETER, groups));
      Instant deadline = clock.instant().plus(timeout);
      while (true) {
        Optional<RunResult> result = jobs.runResult(runId);
        if (result.isPresent()) {
          LOG.info("Failback {}: job {} in {}: {}", ws.name(), name, jobs.workspace(),
              result.get().describe());
          return result.get().succeeded() ? Optional.empty()
              : Optional.of(SyncErrors.jobRunFailed(jobs.workspace(), name,
                  result.get().describe()).getMessage());
        }
        if (!clock.instant().isBefore(deadline)) {
          return Optional.of(SyncErrors.jobRunFailed(jobs.workspace(), name, "run " + runId
              + " did not end within " + timeout).getMessage());
        }
        sleeper.sleep(poll);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while waiting for job " + name + " in " + jobs.workspace());
    } catch (RuntimeException e) {
      return Optional.of("job " + name + " in " + jobs.workspace() + ": "
          + SyncErrors.describe(e));
    }
  }
}
