package io.deltasync.jobs;

/** Whether a job's schedule, continuous setting or trigger starts runs by itself. */
public enum PauseStatus {
  PAUSED,
  UNPAUSED
}
