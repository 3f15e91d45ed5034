package io.deltasync.jobs;

/** What to do with runs already in progress when a job is paused. */
public enum ActiveRuns {
  /** Let them finish. */
  LEAVE,
  /** Cancel them once the schedule is paused, so no region keeps writing after a switch. */
  CANCEL
}
