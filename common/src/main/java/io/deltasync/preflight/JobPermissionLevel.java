package io.deltasync.preflight;

/** A principal's permission on a job, weakest first; each includes the ones before it. */
public enum JobPermissionLevel {
  NONE,
  CAN_VIEW,
  CAN_MANAGE_RUN,
  CAN_MANAGE,
  IS_OWNER;

  public boolean includes(JobPermissionLevel needed) {
    return compareTo(needed) >= 0;
  }
}
