package io.deltasync.notify;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What happened to one sync group in one step: the facts a notification reports. Built by the
 * sender, receiver, failover and failback once the step has ended; never holds a secret.
 *
 * @param workspace the workspace name ({@code workspace_name})
 * @param group the sync group name ({@code group_name})
 * @param phase which step ran
 * @param outcome whether the whole group succeeded
 * @param syncId the sync point's id; empty when the step failed before one was assigned
 * @param runId the workflow run the step synced; empty for standalone tables or when unknown
 * @param runEndTime when that run ended
 * @param tables one entry per table of the group, in config order
 * @param error the group's error text (a {@code SyncErrors} message); empty on success; for a LAG,
 *     how far behind the secondary is and which runs it lacks
 * @param startedAt when the step started
 * @param finishedAt when the step ended
 */
public record GroupEvent(
    String workspace,
    String group,
    Phase phase,
    Outcome outcome,
    Optional<String> syncId,
    OptionalLong runId,
    Optional<Instant> runEndTime,
    List<TableEvent> tables,
    Optional<String> error,
    Instant startedAt,
    Instant finishedAt) {

  /** The step that produced the event. */
  public enum Phase {
    SEND,
    RECEIVE,
    FAILOVER,
    FAILBACK,
    /** {@code status --alert}: the group's lag crossed its {@code lag_alert_mins}, or closed. */
    STATUS;

    /** Lower-case word used in subjects and texts: {@code send}, {@code receive} ... */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How the step ended for the group as a whole. */
  public enum Outcome {
    SUCCESS("SUCCEEDED"),
    FAILURE("FAILED"),
    /** The secondary is staler than the group's {@code lag_alert_mins} (phase STATUS). */
    LAG("LAG"),
    /** A group that was alerted as LAG is within its threshold again (phase STATUS). */
    RECOVERED("RECOVERED");

    private final String word;

    Outcome(String word) {
      this.word = word;
    }

    /** {@code SUCCEEDED} or {@code FAILED}. */
    public String word() {
      return word;
    }
  }

  /**
   * One table of the group.
   *
   * @param table the table's name ({@code catalog.schema.table}) or path
   * @param sourceVersion the source table's version the step synced
   * @param stagingVersion the staging table's version written or read
   * @param targetVersion the registered secondary table's version after an apply
   * @param error why this table failed; empty when it did not
   */
  public record TableEvent(
      String table,
      OptionalLong sourceVersion,
      OptionalLong stagingVersion,
      OptionalLong targetVersion,
      Optional<String> error) {

    public TableEvent {
      requireText(table, "table");
      Objects.requireNonNull(sourceVersion, "sourceVersion");
      Objects.requireNonNull(stagingVersion, "stagingVersion");
      Objects.requireNonNull(targetVersion, "targetVersion");
      Objects.requireNonNull(error, "error");
    }

    public boolean failed() {
      return error.isPresent();
    }
  }

  public GroupEvent {
    requireText(workspace, "workspace");
    requireText(group, "group");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(syncId, "syncId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(runEndTime, "runEndTime");
    tables = List.copyOf(tables);
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
  }

  public boolean failed() {
    return outcome == Outcome.FAILURE;
  }

  /** A LAG or RECOVERED alert of {@code status --alert}: told to whoever hears of failures. */
  public boolean lagAlert() {
    return outcome == Outcome.LAG || outcome == Outcome.RECOVERED;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
