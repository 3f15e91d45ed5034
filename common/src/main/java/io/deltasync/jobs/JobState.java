package io.deltasync.jobs;

import java.util.EnumMap;
import java.util.Map;

/**
 * How a job can start by itself: the pause status of each of its triggers (cron schedule,
 * continuous setting, file-arrival/periodic/table trigger). A job without any of them only runs
 * when someone starts it.
 */
public record JobState(JobRef job, Map<Trigger, PauseStatus> triggers) {

  /** The three job settings that start runs by themselves, as the Jobs API names them. */
  public enum Trigger {
    SCHEDULE,
    CONTINUOUS,
    TRIGGER
  }

  public JobState {
    triggers = triggers.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(triggers));
  }

  /** True when nothing starts the job by itself (vacuously true for a job without triggers). */
  public boolean paused() {
    return triggers.values().stream().allMatch(s -> s == PauseStatus.PAUSED);
  }

  /** True when every trigger has {@code status}; a job without triggers has every status. */
  public boolean is(PauseStatus status) {
    return triggers.values().stream().allMatch(s -> s == status);
  }

  public boolean hasTriggers() {
    return !triggers.isEmpty();
  }
}
