package io.deltasync.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deltasync.clone.CloneResult;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupOutcome;
import io.deltasync.sync.GroupStatus;
import io.deltasync.sync.TableOutcome;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Prints a sender or receiver cycle: readable text, or JSON with {@code --json}. */
final class CycleReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CycleReport() {}

  static void print(PrintWriter out, CycleResult result, boolean json) {
    if (json) {
      try {
        out.println(JSON.writeValueAsString(toJson(result)));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      printText(out, result);
    }
    out.flush();
  }

  static Map<String, Object> toJson(CycleResult result) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("step", result.step().name().toLowerCase(java.util.Locale.ROOT));
    json.put("dry_run", result.dryRun());
    json.put("failed", result.failed());
    List<Object> groups = new ArrayList<>();
    for (GroupOutcome g : result.groups()) {
      Map<String, Object> group = new LinkedHashMap<>();
      group.put("workspace", g.workspace());
      group.put("group", g.group());
      group.put("status", g.status().name());
      group.put("run_id", g.run().map(WorkflowRun::runId).orElse(null));
      group.put("run_end_time", g.run().flatMap(WorkflowRun::end).map(Object::toString).orElse(null));
      group.put("sequence", boxed(g.sequence()));
      group.put("sync_id", g.syncId().orElse(null));
      group.put("copied_bytes", g.copiedBytes());
      g.phases().ifPresent(p -> {
        Map<String, Object> phases = new LinkedHashMap<>();
        phases.put("pinning", p.pinning().toMillis());
        phases.put("copying", p.copying().toMillis());
        phases.put("committing", p.committing().toMillis());
        group.put("phases_ms", phases);
      });
      group.put("error", g.error().orElse(null));
      List<Object> tables = new ArrayList<>();
      for (TableOutcome t : g.tables()) {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("table", t.table().toString());
        table.put("secondary_table", t.secondary().toString());
        table.put("source_version", t.sourceVersion());
        table.put("previous_version", boxed(t.previousVersion()));
        table.put("staging_version", boxed(t.stagingVersion()));
        table.put("target_version", boxed(t.targetVersion()));
        table.put("bytes_to_copy", boxed(t.bytesToCopy()));
        table.put("copied_files", t.cloneResult().map(CloneResult::numCopiedFiles).orElse(0L));
        table.put("copied_bytes", t.copiedBytes());
        table.put("attempts", t.attempts());
        table.put("duration_ms", t.duration().toMillis());
        table.put("error", t.error().orElse(null));
        tables.add(table);
      }
      group.put("tables", tables);
      groups.add(group);
    }
    json.put("groups", groups);
    return json;
  }

  private static void printText(PrintWriter out, CycleResult result) {
    if (result.groups().isEmpty()) {
      out.println("No group selected.");
    }
    for (GroupOutcome g : result.groups()) {
      out.printf("%s/%s: %s%n", g.workspace(), g.group(), headline(g));
      for (TableOutcome t : g.tables()) {
        out.printf("  %s%n", line(g, t));
      }
    }
    long synced = result.groups().stream().filter(g -> g.status() == GroupStatus.SYNCED).count();
    out.printf("%s: %d group(s), %d synced, %d failed%s.%n",
        result.step() == GroupOutcome.Step.SEND ? "send" : "receive", result.groups().size(), synced,
        result.failures().size(), result.dryRun() ? " (dry run: nothing changed)" : "");
  }

  private static String headline(GroupOutcome g) {
    String run = g.run().map(r -> "run " + r.runId()
        + r.end().map(e -> " (ended " + e + ")").orElse("")).orElse("latest versions");
    return switch (g.status()) {
      case SYNCED -> (g.step() == GroupOutcome.Step.SEND ? "recorded sync point " : "applied sync point ")
          + g.sequence().orElse(0) + " of " + run + ", " + g.copiedBytes() + " bytes copied";
      case PLANNED -> "would record sync point " + g.sequence().orElse(0) + " of " + run;
      case UP_TO_DATE -> "up to date";
      case NO_RUN -> g.step() == GroupOutcome.Step.SEND
          ? "no successful run to sync yet" : "no sync point staged yet";
      case NOT_DUE -> "standalone group synced less than sync_interval_mins ago; not due";
      case ALREADY_RECORDED -> "sync point " + g.sequence().orElse(0)
          + " was recorded by another cycle first";
      case FAILED -> "FAILED: " + g.error().orElse("unknown error");
      case TIMED_OUT -> "TIMED_OUT: " + g.error().orElse("ran longer than group_timeout_mins");
      case IN_DRILL -> "in a keep-primary drill: nothing applied until it ends"
          + g.error().map(e -> " (" + e + ")").orElse("");
    };
  }

  private static String line(GroupOutcome g, TableOutcome t) {
    StringBuilder text = new StringBuilder(t.table().toString());
    if (g.step() == GroupOutcome.Step.SEND) {
      text.append(" version ").append(t.sourceVersion());
      t.previousVersion().ifPresent(v -> text.append(" (last synced ").append(v).append(')'));
    } else {
      text.append(" staging version ").append(t.sourceVersion()).append(" -> ").append(t.secondary());
    }
    if (g.status() == GroupStatus.PLANNED) {
      text.append(", bytes to copy: ")
          .append(t.bytesToCopy().isPresent() ? Long.toString(t.bytesToCopy().getAsLong()) : "unknown");
      return text.toString();
    }
    t.stagingVersion().ifPresent(v -> {
      if (g.step() == GroupOutcome.Step.SEND) {
        text.append(" -> staging version ").append(v);
      }
    });
    t.targetVersion().ifPresent(v -> text.append(" version ").append(v));
    t.cloneResult().ifPresent(c -> text.append(", ").append(c.numCopiedFiles()).append(" files / ")
        .append(c.copiedFilesSize()).append(" bytes copied"));
    if (t.attempts() > 1) {
      text.append(", ").append(t.attempts()).append(" attempts");
    }
    t.error().ifPresent(e -> text.append(", FAILED: ").append(e));
    return text.toString();
  }

  private static Long boxed(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : null;
  }
}
