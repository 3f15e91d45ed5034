package io.deltasync.notify;

import io.deltasync.notify.GroupEvent.TableEvent;
import java.util.OptionalLong;

/** The human-readable words of a notification: one subject and one plain-text body per event. */
final class EventText {

  private EventText() {}

  /** {@code [deltasync] FAILED send sample_workflow_1 (dr_test_eastus2)}. */
  static String subject(GroupEvent event) {
    if (event.phase() == GroupEvent.Phase.STATUS) {
      // [deltasync] LAG sample_workflow_1 (dr_test_eastus2)
      return "[deltasync] " + event.outcome().word() + " " + event.group() + " ("
          + event.workspace() + ")";
    }
    return "[deltasync] " + event.outcome().word() + " " + event.phase().word() + " "
        + event.group() + " (" + event.workspace() + ")";
  }

  /** One line, for chat: the subject, and the error when there is one. */
  static String headline(GroupEvent event) {
    return subject(event) + event.error().map(e -> ": " + firstLine(e)).orElse("");
  }

  /** The plain-text body: the group, each table with its versions, and the error. */
  static String body(GroupEvent event) {
    if (event.phase() == GroupEvent.Phase.STATUS) {
      return statusBody(event);
    }
    StringBuilder text = new StringBuilder();
    text.append("deltasync ").append(event.phase().word()).append(" of group ")
        .append(event.group()).append(" in workspace ").append(event.workspace()).append(' ')
        .append(event.outcome().word()).append(".\n");
    event.error().ifPresent(e -> text.append("\nError: ").append(indent(e)).append('\n'));
    text.append('\n');
    text.append("Sync id:      ").append(event.syncId().orElse("-")).append('\n');
    text.append("Workflow run: ").append(orDash(event.runId()));
    event.runEndTime().ifPresent(t -> text.append(", ended ").append(t));
    text.append('\n');
    text.append("Started:      ").append(event.startedAt()).append('\n');
    text.append("Finished:     ").append(event.finishedAt()).append('\n');
    text.append('\n');
    text.append("Tables (").append(event.tables().size()).append("):\n");
    for (TableEvent table : event.tables()) {
      text.append("- ").append(table.table())
          .append(": source version ").append(orDash(table.sourceVersion()))
          .append(", staging version ").append(orDash(table.stagingVersion()))
          .append(", target version ").append(orDash(table.targetVersion()))
          .append(table.failed() ? ", FAILED" : ", OK").append('\n');
      table.error().ifPresent(e -> text.append("  Error: ").append(indent(e)).append('\n'));
    }
    return text.toString();
  }

  /**
   * A lag alert: the LAG text (how far behind, which runs are missing) or, for RECOVERED, the run
   * the secondary holds now.
   */
  private static String statusBody(GroupEvent event) {
    StringBuilder text = new StringBuilder();
    text.append("deltasync status of group ").append(event.group()).append(" in workspace ")
        .append(event.workspace()).append(": ").append(event.outcome().word()).append(".\n\n");
    if (event.outcome() == GroupEvent.Outcome.RECOVERED) {
      text.append("The secondary is within the lag alert threshold again.\n");
    }
    event.error().ifPresent(e -> text.append(e.strip()).append('\n'));
    text.append('\n');
    text.append(event.outcome() == GroupEvent.Outcome.LAG ? "Newest run not held: " : "Run held:            ")
        .append(orDash(event.runId()));
    event.runEndTime().ifPresent(t -> text.append(", ended ").append(t));
    text.append('\n');
    text.append("Applied sync id:     ").append(event.syncId().orElse("-")).append('\n');
    text.append("Checked:             ").append(event.finishedAt()).append('\n');
    return text.toString();
  }

  static String orDash(OptionalLong value) {
    return value.isPresent() ? Long.toString(value.getAsLong()) : "-";
  }

  private static String indent(String text) {
    return text.strip().replace("\r\n", "\n").replace("\n", "\n    ");
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    return newline < 0 ? stripped : stripped.substring(0, newline).strip();
  }
}
