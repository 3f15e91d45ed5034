package io.deltasync.jobs;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of pausing or unpausing a set of jobs in one workspace.
 *
 * @param workspace where
 * @param target the status asked for
 * @param started first attempt
 * @param finished when deltasync stopped asking
 * @param rounds how many rounds of attempts were made
 * @param jobs one outcome per job, in the order asked
 */
public record ScheduleReport(
    String workspace, PauseStatus target, Instant started, Instant finished, int rounds,
    List<JobOutcome> jobs) {

  public ScheduleReport {
    jobs = List.copyOf(jobs);
  }

  public boolean allConfirmed() {
    return jobs.stream().allMatch(JobOutcome::confirmed);
  }

  public List<JobOutcome> unconfirmed() {
    return jobs.stream().filter(j -> !j.confirmed()).toList();
  }
}
