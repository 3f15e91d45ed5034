package io.deltasync.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of one sender or receiver cycle runs at once, and how long one group may take.
 *
 * @param groups {@code sync_parallel_groups}: groups worked on at once (1 = one after another)
 * @param tables {@code sync_parallel_tables}: tables of one group staged or applied at once
 * @param groupTimeout {@code group_timeout_mins}: how long one group may run in one cycle; a group
 *     that overruns it is stopped, records nothing as synced and is taken up again next cycle
 */
public record Parallelism(int groups, int tables, Duration groupTimeout) {

  /** {@code sync_parallel_groups} when the config does not set it. */
  public static final int DEFAULT_GROUPS = 4;
  /** {@code sync_parallel_tables} when the config does not set it. */
  public static final int DEFAULT_TABLES = 4;
  /**
   * {@code group_timeout_mins} when the config does not set it: long enough for a first clone of a
   * few TiB, short enough that a stuck group gives its place back within a working day.
   */
  public static final Duration DEFAULT_GROUP_TIMEOUT = Duration.ofHours(4);
  /** The largest value {@code sync_parallel_groups} and {@code sync_parallel_tables} accept. */
  public static final int MAX = 64;

  /** The defaults: 4 groups, 4 tables per group, 4 hours per group. */
  public static final Parallelism DEFAULTS =
      new Parallelism(DEFAULT_GROUPS, DEFAULT_TABLES, DEFAULT_GROUP_TIMEOUT);

  /** One group, and one table of it, at a time. */
  public static final Parallelism SEQUENTIAL = new Parallelism(1, 1, DEFAULT_GROUP_TIMEOUT);

  public Parallelism {
    Objects.requireNonNull(groupTimeout, "groupTimeout");
    if (groups < 1 || groups > MAX) {
      throw new IllegalArgumentException("groups must be between 1 and " + MAX + ", got " + groups);
    }
    if (tables < 1 || tables > MAX) {
      throw new IllegalArgumentException("tables must be between 1 and " + MAX + ", got " + tables);
    }
    if (groupTimeout.isNegative() || groupTimeout.isZero()) {
      throw new IllegalArgumentException("groupTimeout must be positive, got " + groupTimeout);
    }
  }

  public Parallelism withGroupTimeout(Duration value) {
    return new Parallelism(groups, tables, value);
  }
}
