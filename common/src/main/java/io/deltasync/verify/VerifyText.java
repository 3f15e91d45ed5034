package io.deltasync.verify;

import io.deltasync.verify.VerifyReport.Comparison;
import io.deltasync.verify.VerifyReport.Difference;
import io.deltasync.verify.VerifyReport.GroupResult;
import io.deltasync.verify.VerifyReport.Outcome;
import io.deltasync.verify.VerifyReport.Result;
import io.deltasync.verify.VerifyReport.TableResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a {@link VerifyReport} as text lines or as a JSON-ready tree of maps. */
public final class VerifyText {

  private VerifyText() {}

  public static List<String> lines(VerifyReport report) {
    List<String> out = new ArrayList<>();
    long verified = report.groups().stream().filter(g -> g.outcome() == Outcome.VERIFIED).count();
    long failed = report.groups().stream().filter(GroupResult::failed).count();
    long nothing = report.groups().stream()
        .filter(g -> g.outcome() == Outcome.NOTHING_APPLIED).count();
    out.add("Verified " + report.groups().size() + (report.groups().size() == 1 ? " group" : " groups")
        + ": " + verified + " ok, " + failed + " failed, " + nothing + " nothing applied yet");
    for (GroupResult g : report.groups()) {
      String head = "Group " + g.workspace() + "/" + g.group() + ": ";
      g.epoch().ifPresent(e -> out.add("Group " + g.workspace() + "/" + g.group() + ": " + e));
      if (g.problem().isPresent()) {
        out.add(head + "FAILED: " + g.problem().get());
        continue;
      }
      if (g.outcome() == Outcome.NOTHING_APPLIED) {
        out.add(head + "nothing applied yet (no sync point has reached the secondary; not a"
            + " failure)");
        continue;
      }
      out.add(head + "sync point #" + g.sequence().getAsLong()
          + (g.runId().isPresent() ? " (run " + g.runId().getAsLong() + ")" : " (standalone)")
          + ": " + (g.failed() ? "FAILED" : "ok"));
      for (TableResult t : g.tables()) {
        out.add("  " + t.secondaryTable() + " at " + t.secondaryLocation()
            + (t.secondaryVersion().isPresent() ? " version " + t.secondaryVersion().getAsLong()
                : "")
            + appliedNote(t));
        if (t.secondaryProblem().isPresent()) {
          out.add("    UNREADABLE: " + t.secondaryProblem().get());
          continue;
        }
        for (Comparison c : t.comparisons()) {
          String side = String.format("    vs %-7s %s version %d: ", c.side().label(), c.location(),
              c.version());
          switch (c.result()) {
            case MATCH -> out.add(side + "match");
            case NOT_COMPARED -> out.add(side + "not compared: " + c.reason().orElse(""));
            case MISMATCH -> {
              out.add(side + "MISMATCH");
              for (Difference d : c.differences()) {
                out.add("      " + d.describe(c.side()));
              }
            }
            default -> throw new IllegalStateException(c.result().toString());
          }
        }
        if (t.failed() && t.comparisons().stream().noneMatch(c -> c.result() != Result.NOT_COMPARED)) {
          out.add("    FAILED: compared with nothing");
        }
      }
    }
    return out;
  }

  private static String appliedNote(TableResult t) {
    if (t.appliedVersion().isPresent() && t.secondaryVersion().isPresent()
        && t.appliedVersion().getAsLong() != t.secondaryVersion().getAsLong()) {
      return " (the receiver applied version " + t.appliedVersion().getAsLong()
          + "; the table was written to since)";
    }
    return "";
  }

  public static Map<String, Object> json(VerifyReport report) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("ok", !report.failed());
    List<Object> groups = new ArrayList<>();
    for (GroupResult g : report.groups()) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("workspace", g.workspace());
      map.put("group", g.group());
      map.put("outcome", g.outcome().name().toLowerCase(java.util.Locale.ROOT));
      map.put("sequence", g.sequence().isPresent() ? g.sequence().getAsLong() : null);
      map.put("sync_id", g.syncId().orElse(null));
      map.put("run_id", g.runId().isPresent() ? g.runId().getAsLong() : null);
      map.put("problem", g.problem().orElse(null));
      map.put("epoch", g.epoch().orElse(null));
      List<Object> tables = new ArrayList<>();
      for (TableResult t : g.tables()) {
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("table", t.table());
        tm.put("secondary_table", t.secondaryTable());
        tm.put("secondary_location", t.secondaryLocation());
        tm.put("secondary_version",
            t.secondaryVersion().isPresent() ? t.secondaryVersion().getAsLong() : null);
        tm.put("applied_version",
            t.appliedVersion().isPresent() ? t.appliedVersion().getAsLong() : null);
        tm.put("ok", !t.failed());
        tm.put("secondary_problem", t.secondaryProblem().orElse(null));
        List<Object> comparisons = new ArrayList<>();
        for (Comparison c : t.comparisons()) {
          Map<String, Object> cm = new LinkedHashMap<>();
          cm.put("side", c.side().label());
          cm.put("location", c.location());
          cm.put("version", c.version());
          cm.put("result", c.result().name().toLowerCase(java.util.Locale.ROOT));
          cm.put("reason", c.reason().orElse(null));
          List<Object> diffs = new ArrayList<>();
          for (Difference d : c.differences()) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("aspect", d.aspect().label());
            dm.put("column", d.subject().orElse(null));
            dm.put("secondary", d.secondary());
            dm.put(c.side().label(), d.other());
            diffs.add(dm);
          }
          cm.put("differences", diffs);
          comparisons.add(cm);
        }
        tm.put("comparisons", comparisons);
        tables.add(tm);
      }
      map.put("tables", tables);
      groups.add(map);
    }
    root.put("groups", groups);
    return root;
  }
}
