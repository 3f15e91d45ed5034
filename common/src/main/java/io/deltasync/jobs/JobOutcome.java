package io.deltasync.jobs;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one job when deltasync paused or unpaused it.
 *
 * @param job the job's name
 * @param status the outcome
 * @param attempts how many times the workspace was asked
 * @param confirmedAt when the workspace acknowledged the status (empty when it never did)
 * @param detail what was done or why not, for people
 */
public record JobOutcome(
    String job, Status status, int attempts, Optional<Instant> confirmedAt, String detail) {

  public enum Status {
    /** The workspace acknowledged the change. */
    CONFIRMED,
    /** The job already had the asked status; nothing was sent. */
    ALREADY,
    /** The workspace never answered before the deadline: the status is unknown. */
    NOT_CONFIRMED,
    /** The workspace answered no (permission, no such job, several jobs with the name). */
    REFUSED
  }

  public JobOutcome {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(confirmedAt, "confirmedAt");
    Objects.requireNonNull(detail, "detail");
  }

  /** True when the job is known to have the asked status. */
  public boolean confirmed() {
    return status == Status.CONFIRMED || status == Status.ALREADY;
  }
}
