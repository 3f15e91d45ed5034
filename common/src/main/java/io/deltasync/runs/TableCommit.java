package io.deltasync.runs;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One commit of a Delta table, as its history reports it.
 *
 * @param version the table version the commit made
 * @param timestamp when it was committed: the in-commit timestamp when the table has them,
 *     otherwise the commit file's time (as Delta reports it, made monotonic across versions)
 * @param jobId the job that made it, when known: on Databricks the history's {@code job.jobId}
 *     (whichever job committed: a workflow, the receiver, failover, maintenance, an ingest), or
 *     the job in the deltasync {@link RunStamp} of the commit's user metadata
 * @param runId the job run that made it, when known: the {@link RunStamp}'s run, or on Databricks
 *     the job run recorded in the commit's {@code job}
 */
public record TableCommit(long version, Instant timestamp, OptionalLong jobId, OptionalLong runId) {

  public TableCommit {
    if (version < 0) {
      throw new IllegalArgumentException("a table version is never negative, got " + version);
    }
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(runId, "runId");
  }

  /** A commit no job is known to have made. */
  public static TableCommit unattributed(long version, Instant timestamp) {
    return new TableCommit(version, timestamp, OptionalLong.empty(), OptionalLong.empty());
  }

  /** A commit made by run {@code runId} of job {@code jobId}. */
  public static TableCommit byRun(long version, Instant timestamp, long jobId, long runId) {
    return new TableCommit(version, timestamp, OptionalLong.of(jobId), OptionalLong.of(runId));
  }

  /** True when the commit is known to be made by job {@code id} (any of its runs). */
  public boolean ofJob(long id) {
    return jobId.isPresent() && jobId.getAsLong() == id;
  }

  /** True when the commit is known to be made by run {@code run} of job {@code job}. */
  public boolean madeBy(long job, long run) {
    return ofJob(job) && runId.isPresent() && runId.getAsLong() == run;
  }

  @Override
  public String toString() {
    return "version " + version + " at " + timestamp
        + (jobId.isPresent() ? " by job " + jobId.getAsLong() : "")
        + (runId.isPresent() ? (jobId.isPresent() ? "" : " by") + " run " + runId.getAsLong() : "");
  }
}
