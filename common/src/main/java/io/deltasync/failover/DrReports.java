package io.deltasync.failover;

import io.deltasync.jobs.JobOutcome;
import io.deltasync.jobs.ScheduleReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Failover and failback reports for people (text) and machines ({@code --json}: the maps below,
 * serialised with snake_case keys; instants as ISO-8601, durations in seconds).
 */
public final class DrReports {

  /** Format of the JSON reports; bump on incompatible changes. */
  public static final int FORMAT_VERSION = 1;

  private DrReports() {}

  // ----------------------------------------------------------------------------------------- JSON

  public static Map<String, Object> json(FailoverReport report) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format_version", FORMAT_VERSION);
    root.put("command", "failover");
    root.put("complete", report.complete());
    root.put("started", report.started().toString());
    root.put("finished", report.finished().toString());
    List<Object> workspaces = new ArrayList<>();
    for (FailoverReport.WorkspaceFailover w : report.workspaces()) {
      Map<String, Object> ws = new LinkedHashMap<>();
      ws.put("workspace", w.workspace());
      ws.put("primary_shutdown", json(w.primaryShutdown()));
      ws.put("secondary_standby_jobs", json(w.secondaryStandbyJobs()));
      ws.put("groups", w.groups().stream().map(DrReports::json).toList());
      ws.put("promotion", json(w.promotion()));
      workspaces.add(ws);
    }
    root.put("workspaces", workspaces);
    return root;
  }

  public static Map<String, Object> json(FailbackReport report) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format_version", FORMAT_VERSION);
    root.put("command", "failback");
    root.put("complete", report.complete());
    root.put("started", report.started().toString());
    root.put("finished", report.finished().toString());
    root.put("secondary_shutdown", report.secondaryShutdown().stream().map(DrReports::json).toList());
    root.put("primary_hold", report.primaryHold().stream().map(DrReports::json).toList());
    List<Object> groups = new ArrayList<>();
    for (FailbackReport.GroupFailback g : report.groups()) {
      Map<String, Object> group = new LinkedHashMap<>();
      group.put("workspace", g.workspace());
      group.put("group", g.group());
      group.put("carried_back", g.carriedBack());
      group.put("note", g.note().orElse(null));
      group.put("secondary_run_id", value(g.secondaryRunId()));
      group.put("secondary_run_end", g.secondaryRunEnd().map(Instant::toString).orElse(null));
      List<Object> tables = new ArrayList<>();
      for (FailbackReport.TableCopy t : g.tables()) {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("secondary_table", t.secondaryTable());
        table.put("secondary_version", value(t.secondaryVersion()));
        table.put("primary_table", t.primaryTable());
        table.put("primary_version", value(t.primaryVersion()));
        tables.add(table);
      }
      group.put("tables", tables);
      groups.add(group);
    }
    root.put("groups", groups);
    root.put("primary_promotion", report.primaryPromotion().stream().map(DrReports::json).toList());
    root.put("secondary_standby", report.secondaryStandby().stream().map(DrReports::json).toList());
    return root;
  }

  static Map<String, Object> json(ScheduleReport report) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("workspace", report.workspace());
    map.put("target", report.target().name());
    map.put("all_confirmed", report.allConfirmed());
    map.put("rounds", report.rounds());
    map.put("started", report.started().toString());
    map.put("finished", report.finished().toString());
    List<Object> jobs = new ArrayList<>();
    for (JobOutcome job : report.jobs()) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("job", job.job());
      j.put("status", job.status().name());
      j.put("confirmed", job.confirmed());
      j.put("attempts", job.attempts());
      j.put("confirmed_at", job.confirmedAt().map(Instant::toString).orElse(null));
      j.put("detail", job.detail());
      jobs.add(j);
    }
    map.put("jobs", jobs);
    return map;
  }

  static Map<String, Object> json(GroupRecovery g) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("workspace", g.workspace());
    map.put("group", g.group());
    map.put("workflow", g.workflow().orElse(null));
    map.put("status", g.status().name());
    map.put("reason", g.reason().orElse(null));
    map.put("rolled_forward_sequence", value(g.rolledForward()));
    map.put("recovery_point", g.point().map(DrReports::json).orElse(null));
    map.put("rpo", g.rpo().map(DrReports::json).orElse(null));
    return map;
  }

  static Map<String, Object> json(RecoveryPoint p) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("sync_id", p.syncId());
    map.put("sequence", p.sequence());
    map.put("run_id", value(p.runId()));
    map.put("run_end_time", p.runEnd().map(Instant::toString).orElse(null));
    map.put("applied_at", p.appliedAt().toString());
    List<Object> tables = new ArrayList<>();
    for (RecoveryPoint.TableVersion t : p.tables()) {
      Map<String, Object> table = new LinkedHashMap<>();
      table.put("table", t.table());
      table.put("secondary_table", t.secondaryTable());
      table.put("source_version", value(t.sourceVersion()));
      table.put("staging_version", value(t.stagingVersion()));
      table.put("target_version", value(t.targetVersion()));
      table.put("sync_point", t.syncPoint());
      tables.add(table);
    }
    map.put("tables", tables);
    return map;
  }

  static Map<String, Object> json(Rpo rpo) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("source", rpo.source().name());
    map.put("primary_last_run_id", value(rpo.primaryLastRunId()));
    map.put("primary_last_run_end", rpo.primaryLastRunEnd().map(Instant::toString).orElse(null));
    map.put("data_loss_seconds", rpo.dataLoss().toSeconds());
    map.put("runs_not_recovered", rpo.runsNotRecovered());
    map.put("note", rpo.note().orElse(null));
    return map;
  }

  private static Long value(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : null;
  }

  // ----------------------------------------------------------------------------------------- text

  public static void print(FailoverReport report, PrintWriter out) {
    out.printf("Failover %s (%s to %s)%n", report.complete() ? "complete" : "INCOMPLETE",
        report.started(), report.finished());
    for (FailoverReport.WorkspaceFailover w : report.workspaces()) {
      out.printf("%nWorkspace %s%n", w.workspace());
      print("  primary shutdown", w.primaryShutdown(), out);
      print("  secondary standby jobs", w.secondaryStandbyJobs(), out);
      for (GroupRecovery g : w.groups()) {
        out.printf("  Group %s: %s%s%n", g.group(), g.status(),
            g.reason().map(r -> " - " + r).orElse(""));
        if (g.rolledForward().isPresent()) {
          out.printf("    rolled forward sync point %d%n", g.rolledForward().getAsLong());
        }
        g.point().ifPresent(p -> {
          out.printf("    recovery point: sync point %d, run %s, ended %s%n", p.sequence(),
              p.runId().isPresent() ? Long.toString(p.runId().getAsLong()) : "standalone",
              p.runEnd().map(Instant::toString).orElse("-"));
          for (RecoveryPoint.TableVersion t : p.tables()) {
            out.printf("      %s: primary version %s -> %s version %s%s%n", t.table(),
                text(t.sourceVersion()), t.secondaryTable(), text(t.targetVersion()),
                t.syncPoint() == p.sequence() ? ""
                    : " (holds sync point " + t.syncPoint() + ", not " + p.sequence() + ")");
          }
        });
        g.rpo().ifPresent(r -> out.printf("    RPO: %s lost, %d completed primary run(s) not"
                + " recovered (newest primary run %s, from %s)%s%n", human(r.dataLoss()),
            r.runsNotRecovered(), text(r.primaryLastRunId()), r.source(),
            r.note().map(n -> "; " + n).orElse("")));
      }
      print("  promotion", w.promotion(), out);
    }
    out.flush();
  }

  public static void print(FailbackReport report, PrintWriter out) {
    out.printf("Failback %s (%s to %s)%n", report.complete() ? "complete" : "INCOMPLETE",
        report.started(), report.finished());
    report.secondaryShutdown().forEach(r -> print("  secondary shutdown", r, out));
    report.primaryHold().forEach(r -> print("  primary held paused", r, out));
    for (FailbackReport.GroupFailback g : report.groups()) {
      out.printf("  Group %s/%s: %s%s%n", g.workspace(), g.group(),
          g.carriedBack() ? "carried back" : "primary kept", g.note().map(n -> " - " + n).orElse(""));
      for (FailbackReport.TableCopy t : g.tables()) {
        out.printf("    %s version %s -> %s version %s%n", t.secondaryTable(),
            text(t.secondaryVersion()), t.primaryTable(), text(t.primaryVersion()));
      }
    }
    report.primaryPromotion().forEach(r -> print("  primary promotion", r, out));
    report.secondaryStandby().forEach(r -> print("  secondary standby", r, out));
    out.flush();
  }

  private static void print(String title, ScheduleReport report, PrintWriter out) {
    out.printf("%s (%s, %s): %s%n", title, report.workspace(), report.target(),
        report.jobs().isEmpty() ? "no jobs"
            : report.allConfirmed() ? "confirmed" : "NOT CONFIRMED for " + report.unconfirmed()
                .stream().map(JobOutcome::job).toList());
    for (JobOutcome job : report.jobs()) {
      out.printf("    %-28s %-13s attempts %d%s  %s%n", job.job(), job.status(), job.attempts(),
          job.confirmedAt().map(t -> ", at " + t).orElse(""), job.detail());
    }
  }

  private static String text(OptionalLong value) {
    return value.isPresent() ? Long.toString(value.getAsLong()) : "-";
  }

  private static String human(Duration d) {
    if (d.isZero()) {
      return "nothing";
    }
    long minutes = d.toMinutes();
    return minutes >= 1 ? minutes + " min " + d.toSecondsPart() + " s" : d.toSeconds() + " s";
  }

  /** The problems that make a failover incomplete, one line each. */
  public static List<String> problems(FailoverReport report) {
    List<String> problems = new ArrayList<>();
    for (GroupRecovery g : report.notPromoted()) {
      problems.add("group " + g.workspace() + "/" + g.group() + " not promoted: "
          + g.reason().orElse(""));
    }
    for (FailoverReport.WorkspaceFailover w : report.workspaces()) {
      for (ScheduleReport r : List.of(w.secondaryStandbyJobs(), w.promotion())) {
        r.unconfirmed().forEach(j -> problems.add("secondary job " + j.job() + " in "
            + r.workspace() + " not confirmed " + r.target() + ": " + j.detail()));
      }
    }
    return problems;
  }

  /** The problems that make a failback incomplete, one line each. */
  public static List<String> problems(FailbackReport report) {
    List<String> problems = new ArrayList<>();
    for (ScheduleReport r : report.primaryPromotion()) {
      r.unconfirmed().forEach(j -> problems.add("primary job " + j.job() + " in " + r.workspace()
          + " not confirmed UNPAUSED: " + j.detail()));
    }
    for (ScheduleReport r : report.secondaryStandby()) {
      r.unconfirmed().forEach(j -> problems.add("secondary job " + j.job() + " in " + r.workspace()
          + " not confirmed: " + j.detail()));
    }
    return problems;
  }

}
