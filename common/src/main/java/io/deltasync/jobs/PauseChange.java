package io.deltasync.jobs;

/** A job's triggers before and after a pause or unpause. */
public record PauseChange(JobState before, JobState after) {

  /** False when the job already had the asked status and nothing was sent. */
  public boolean changed() {
    return !before.triggers().equals(after.triggers());
  }
}
