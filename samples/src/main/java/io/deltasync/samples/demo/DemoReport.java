package io.deltasync.samples.demo;

import io.deltasync.failover.Rpo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the drill found: every check, and per group the recovery point, the RPO, the bytes sent and
 * the verify result.
 */
public record DemoReport(
    String dir, List<Check> checks, List<GroupSummary> groups, Duration duration) {

  /** A table of a recovery point: its primary version and the secondary version holding it. */
  public record TableAt(String table, long sourceVersion, long secondaryVersion) {}

  /**
   * One group after failover.
   *
   * @param group the group
   * @param status PROMOTED or NOT_PROMOTED
   * @param runId the primary run the secondary recovered to
   * @param runEnd when it ended
   * @param tables each table's versions at the recovery point
   * @param rpo the data lost relative to the primary's last known state
   * @param bytesSent bytes the sender copied for the group over the whole drill (primary to secondary)
   * @param verify the verify outcome after failover
   */
  public record GroupSummary(String group, String status, OptionalLong runId,
      Optional<Instant> runEnd, List<TableAt> tables, Optional<Rpo> rpo, long bytesSent,
      String verify) {
    public GroupSummary {
      tables = List.copyOf(tables);
    }
  }

  public DemoReport {
    checks = List.copyOf(checks);
    groups = List.copyOf(groups);
  }

  public boolean passed() {
    return checks.stream().allMatch(Check::held);
  }

  public List<Check> failed() {
    return checks.stream().filter(c -> !c.held()).toList();
  }

  /** The RPO as one phrase. */
  static String rpo(Rpo rpo) {
    return rpo.runsNotRecovered() + " run(s) not recovered, " + seconds(rpo.dataLoss())
        + " of data" + (rpo.source() == Rpo.Source.PRIMARY_RUNS ? "" : " (" + rpo.source() + ")");
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /** The closing table, one row per group, then the checks' tally. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    String format = "%-18s %-9s %-5s %-28s %-28s %-40s %10s  %s";
    out.add(String.format(Locale.ROOT, format, "GROUP", "FAILOVER", "RUN", "RUN ENDED",
        "TABLE VERSIONS (primary->secondary)", "RPO", "BYTES SENT", "VERIFY"));
    for (GroupSummary g : groups) {
      List<String> versions = g.tables().stream()
          .map(t -> t.table().substring(t.table().lastIndexOf('.') + 1) + " " + t.sourceVersion()
              + "->" + t.secondaryVersion())
          .toList();
      String first = versions.isEmpty() ? "-" : versions.get(0);
      out.add(String.format(Locale.ROOT, format, g.group(), g.status(),
          g.runId().isPresent() ? Long.toString(g.runId().getAsLong()) : "-",
          g.runEnd().map(Instant::toString).orElse("-"), first,
          g.rpo().map(DemoReport::rpo).orElse("-"), g.bytesSent(), g.verify()));
      for (String more : versions.subList(Math.min(1, versions.size()), versions.size())) {
        out.add(String.format(Locale.ROOT, format, "", "", "", "", more, "", "", ""));
      }
    }
    out.add("");
    long held = checks.stream().filter(Check::held).count();
    out.add(String.format(Locale.ROOT, "%d of %d checks held in %s; %s", held, checks.size(),
        seconds(duration), passed() ? "DEMO PASSED" : "DEMO FAILED"));
    for (Check c : failed()) {
      out.add("  FAILED step " + c.step() + " " + c.name() + ": " + c.detail());
    }
    return out;
  }

  /** The report as JSON-ready maps and lists. */
  public Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("passed", passed());
    root.put("dir", dir);
    root.put("duration_ms", duration.toMillis());
    List<Object> gs = new ArrayList<>();
    for (GroupSummary g : groups) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("group", g.group());
      m.put("failover", g.status());
      m.put("run_id", g.runId().isPresent() ? g.runId().getAsLong() : null);
      m.put("run_end", g.runEnd().map(Instant::toString).orElse(null));
      List<Object> ts = new ArrayList<>();
      for (TableAt t : g.tables()) {
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("table", t.table());
        tm.put("source_version", t.sourceVersion());
        tm.put("secondary_version", t.secondaryVersion());
        ts.add(tm);
      }
      m.put("tables", ts);
      m.put("rpo_runs_not_recovered", g.rpo().map(Rpo::runsNotRecovered).orElse(null));
      m.put("rpo_data_loss_ms", g.rpo().map(r -> r.dataLoss().toMillis()).orElse(null));
      m.put("bytes_sent", g.bytesSent());
      m.put("verify", g.verify());
      gs.add(m);
    }
    root.put("groups", gs);
    List<Object> cs = new ArrayList<>();
    for (Check c : checks) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("step", c.step());
      m.put("name", c.name());
      m.put("held", c.held());
      m.put("detail", c.detail());
      cs.add(m);
    }
    root.put("checks", cs);
    return root;
  }
}
