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
 * @param runId the workflow run that made it, when known: the deltasync {@link RunStamp} in the
 *     commit's user metadata, or on Databricks the job run recorded in the commit's {@code job}
 */
public record TableCommit(long version, Instant timestamp, OptionalLong runId) {

  public TableCommit {
    if (version < 0) {
      throw new IllegalArgumentException("a table version is never negative, got " + version);
    }
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(runId, "runId");
  }

  /** True when the commit is known to be made by run {@code id}. */
  public boolean madeBy(long id) {
    return runId.isPresent() && runId.getAsLong() == id;
  }

  @Override
  public String toString() {
    return "version " + version + " at " + timestamp
        + (runId.isPresent() ? " by run " + runId.getAsLong() : "");
  }
}
