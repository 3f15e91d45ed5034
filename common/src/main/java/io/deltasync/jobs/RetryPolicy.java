package io.deltasync.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to keep asking a workspace that does not answer: again every {@code interval}
 * ({@code sync_failover_interval_mins}) until {@code deadline} ({@code failover_deadline_mins})
 * has passed since the first attempt.
 */
public record RetryPolicy(Duration interval, Duration deadline) {

  public RetryPolicy {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(deadline, "deadline");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, was " + interval);
    }
    if (deadline.isNegative()) {
      throw new IllegalArgumentException("deadline must not be negative, was " + deadline);
    }
  }

  /** One attempt, no retry: for a controlled step against a workspace that is up. */
  public static RetryPolicy once() {
    return new RetryPolicy(Duration.ofMinutes(1), Duration.ZERO);
  }
}
