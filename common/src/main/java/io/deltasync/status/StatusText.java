package io.deltasync.status;

import io.deltasync.runs.WorkflowRun;
import io.deltasync.status.StatusReport.ErrorSummary;
import io.deltasync.status.StatusReport.GroupReport;
import io.deltasync.status.StatusReport.Lag;
import io.deltasync.status.StatusReport.PointSummary;
import io.deltasync.status.StatusReport.Primary;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link StatusReport}: an aligned text table, or a JSON-ready tree of maps. */
public final class StatusText {

  private static final List<String> HEADER = List.of(
      "GROUP", "PRIMARY LAST RUN", "LAST STAGED", "LAST APPLIED", "LAG", "SENT 24H", "LAST ERROR");

  private StatusText() {}

  /** The aligned table, then one line per problem worth reading in full. */
  public static List<String> lines(StatusReport report) {
    boolean severalWorkspaces = report.groups().stream().map(GroupReport::workspace).distinct()
        .count() > 1;
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    List<String> notes = new ArrayList<>();
    java.util.Set<String> workspaces = new java.util.HashSet<>();
    for (GroupReport g : report.groups()) {
      if (g.epoch().isPresent() && workspaces.add(g.workspace())) {
        notes.add("workspace " + g.workspace() + ": " + g.epoch().get().describe());
      }
    }
    for (GroupReport g : report.groups()) {
      String name = severalWorkspaces ? g.workspace() + "/" + g.group() : g.group();
      rows.add(List.of(name, primary(g.primary()), point(g.lastStaged()), point(g.lastApplied()),
          lag(g.lag()), bytes(g.bytesSentLast24h()), errorCell(g)));
      if (g.primary() instanceof Primary.Unreachable u) {
        notes.add(name + ": primary unreachable: " + u.why());
      }
      g.ledgerProblem().ifPresent(p -> notes.add(name + ": ledger unreadable: " + p));
      if (g.lag() instanceof Lag.Behind b) {
        notes.add(name + ": the secondary does not hold run " + b.newestNotHeld().runId()
            + " (ended " + time(b.newestNotHeld().end().orElseThrow()) + "); " + b.runsBehind()
            + " successful " + (b.runsBehind() == 1 ? "run" : "runs") + " not applied yet");
      }
      g.lastError().ifPresent(e -> notes.add(name + ": last error (" + e.step() + ", " + time(e.at())
          + (e.resolved() ? ", resolved since" : "") + ") on " + e.table() + ": " + e.error()));
    }
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> out = new ArrayList<>();
    out.add("Status at " + time(report.at()));
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.add(line.toString().stripTrailing());
    }
    if (!notes.isEmpty()) {
      out.add("");
      out.addAll(notes);
    }
    return out;
  }

  /** The report as maps and lists, in the key order of the text table, for {@code --json}. */
  public static Map<String, Object> json(StatusReport report) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("at", report.at().toString());
    List<Object> groups = new ArrayList<>();
    for (GroupReport g : report.groups()) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("workspace", g.workspace());
      map.put("group", g.group());
      map.put("workflow", g.workflow().orElse(null));
      map.put("primary", primaryJson(g.primary()));
      map.put("last_staged", g.lastStaged().map(StatusText::pointJson).orElse(null));
      map.put("last_applied", g.lastApplied().map(StatusText::pointJson).orElse(null));
      Map<String, Object> lag = new LinkedHashMap<>();
      lag.put("seconds", g.lag().seconds().isPresent() ? g.lag().seconds().getAsLong() : null);
      if (g.lag() instanceof Lag.Behind b) {
        lag.put("state", "behind");
        lag.put("newest_run_not_held", b.newestNotHeld().runId());
        lag.put("runs_behind", b.runsBehind());
        lag.put("oldest_run_not_held", b.oldestNotHeld().runId());
        lag.put("staleness_seconds", b.staleness().toSeconds());
      } else if (g.lag() instanceof Lag.Unknown u) {
        lag.put("state", "unknown");
        lag.put("why", u.why());
      } else {
        lag.put("state", "up_to_date");
      }
      map.put("lag", lag);
      map.put("last_error", g.lastError().map(StatusText::errorJson).orElse(null));
      map.put("bytes_sent_last_24h", g.bytesSentLast24h());
      map.put("ledger_problem", g.ledgerProblem().orElse(null));
      map.put("epoch", g.epoch().map(e -> {
        Map<String, Object> em = new LinkedHashMap<>();
        em.put("number", e.number());
        em.put("active_region", e.active().name());
        em.put("changed_at", e.changedAt().map(java.time.Instant::toString).orElse(null));
        em.put("changed_by", e.changedBy().orElse(null));
        return em;
      }).orElse(null));
      groups.add(map);
    }
    root.put("groups", groups);
    return root;
  }

  /**
   * What {@code --alert} did, under the report: one line per notification with what each channel
   * did, and one per workspace whose alerts could not be decided or kept.
   */
  public static List<String> alertLines(LagAlerts.Result result) {
    List<String> out = new ArrayList<>();
    out.add("");
    if (result.sent().isEmpty() && result.problems().isEmpty()) {
      out.add("Alerts: none sent");
      return out;
    }
    for (LagAlerts.Sent sent : result.sent()) {
      out.add("Alert " + sent.kind() + " " + sent.workspace() + "/" + sent.group() + ": "
          + (sent.deliveries().isEmpty() ? "no channel configured"
              : String.join("; ", sent.deliveries().stream()
                  .map(d -> d.channel() + " " + d.status().name().toLowerCase(Locale.ROOT) + " ("
                      + d.detail() + ")").toList())));
    }
    result.problems().forEach(p -> out.add("Alerts not decided or not kept: " + p));
    return out;
  }

  /** {@code {sent: [{workspace, group, kind, deliveries: [{channel, status, detail}]}], problems}}. */
  public static Map<String, Object> alertsJson(LagAlerts.Result result) {
    Map<String, Object> map = new LinkedHashMap<>();
    List<Object> sent = new ArrayList<>();
    for (LagAlerts.Sent s : result.sent()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("workspace", s.workspace());
      one.put("group", s.group());
      one.put("kind", s.kind().name());
      one.put("deliveries", s.deliveries().stream().map(d -> {
        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("channel", d.channel());
        delivery.put("status", d.status().name());
        delivery.put("detail", d.detail());
        return delivery;
      }).toList());
      sent.add(one);
    }
    map.put("sent", sent);
    map.put("problems", result.problems());
    return map;
  }

  private static Map<String, Object> primaryJson(Primary primary) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (primary instanceof Primary.Standalone) {
      map.put("state", "standalone");
    } else if (primary instanceof Primary.Unreachable u) {
      map.put("state", "unreachable");
      map.put("why", u.why());
    } else {
      Primary.Reachable r = (Primary.Reachable) primary;
      map.put("state", "reachable");
      map.put("last_success_run_id", r.lastSuccess().map(WorkflowRun::runId).orElse(null));
      map.put("last_success_end",
          r.lastSuccess().flatMap(WorkflowRun::end).map(Instant::toString).orElse(null));
    }
    return map;
  }

  private static Map<String, Object> pointJson(PointSummary p) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("sequence", p.sequence());
    map.put("sync_id", p.syncId());
    map.put("run_id", p.runId().isPresent() ? p.runId().getAsLong() : null);
    map.put("run_end", p.runEnd().map(Instant::toString).orElse(null));
    map.put("recorded_at", p.recordedAt().toString());
    map.put("tables", p.tables());
    return map;
  }

  private static Map<String, Object> errorJson(ErrorSummary e) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("at", e.at().toString());
    map.put("step", e.step());
    map.put("table", e.table());
    map.put("error", e.error());
    map.put("resolved", e.resolved());
    return map;
  }

  private static String primary(Primary primary) {
    if (primary instanceof Primary.Standalone) {
      return "standalone";
    }
    if (primary instanceof Primary.Unreachable) {
      return "UNREACHABLE";
    }
    return ((Primary.Reachable) primary).lastSuccess()
        .map(r -> "run " + r.runId() + " ended " + time(r.end().orElseThrow()))
        .orElse("no successful run");
  }

  private static String point(java.util.Optional<PointSummary> point) {
    if (point.isEmpty()) {
      return "-";
    }
    PointSummary p = point.get();
    return "#" + p.sequence() + (p.runId().isPresent() ? " run " + p.runId().getAsLong() : "")
        + " at " + time(p.recordedAt());
  }

  private static String errorCell(GroupReport g) {
    if (g.ledgerProblem().isPresent()) {
      return "ledger unreadable (see below)";
    }
    return g.lastError()
        .map(e -> e.step() + " " + time(e.at()) + (e.resolved() ? " (resolved)" : "") + " "
            + e.table())
        .orElse("-");
  }

  /** {@code 0s}, {@code 42s}, {@code 5m 03s}, {@code 2h 05m}, {@code 3d 04h}, or {@code unknown}. */
  public static String lag(Lag lag) {
    if (lag instanceof Lag.Unknown) {
      return "unknown";
    }
    return duration(Duration.ofSeconds(lag.seconds().getAsLong()));
  }

  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    if (s < 86400) {
      return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }
    return String.format(Locale.ROOT, "%dd %02dh", s / 86400, (s % 86400) / 3600);
  }

  /** Bytes in binary units with one decimal: {@code 0 B}, {@code 512 B}, {@code 1.5 KiB}. */
  public static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
