package io.deltasync.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a {@link DrillReport} as {@code drill-<date>.md} (the DR test report's sections) and
 * {@code drill-<date>.html} (the same figures and one lag timeline chart per group, as inline SVG:
 * the page needs no script and no network).
 */
public final class DrillReportWriter {

  /** The chart's size and margins, in SVG user units. */
  static final int WIDTH = 640;
  static final int HEIGHT = 220;
  static final int LEFT = 60;
  static final int RIGHT = 20;
  static final int TOP = 20;
  static final int BOTTOM = 40;

  private DrillReportWriter() {}

  /** The two files written. */
  public record Written(Path markdown, Path html) {}

  /** Writes both files into {@code dir} (created when missing), replacing a same-day report. */
  public static Written write(Path dir, DrillReport report) throws IOException {
    Files.createDirectories(dir);
    Path md = dir.resolve("drill-" + report.date() + ".md");
    Path html = dir.resolve("drill-" + report.date() + ".html");
    Files.writeString(md, markdown(report));
    Files.writeString(html, html(report));
    return new Written(md, html);
  }

  /** The report in Markdown. */
  public static String markdown(DrillReport r) {
    StringBuilder md = new StringBuilder();
    md.append("# Disaster Recovery Test Report\n\n");
    md.append("## Test Information\n");
    md.append("- **Test Date:** ").append(r.date()).append('\n');
    md.append("- **Test Type:** ").append(r.testType()).append('\n');
    md.append("- **Component Tested:** deltasync workspace ").append(r.workspace()).append(", groups ")
        .append(r.groups().stream().map(DrillReport.GroupRecovery::group).collect(Collectors.joining(", ")))
        .append('\n');
    md.append("- **Test Conducted By:** ").append(r.conductedBy()).append("\n\n");
    md.append("## Objective\n").append(r.objective()).append(" Objectives: RTO ")
        .append(duration(r.rtoObjective())).append(", RPO ").append(duration(r.rpoObjective()))
        .append(".\n\n");
    md.append("## Test Scenario\n").append(r.scenario()).append("\n\n");
    md.append("## Steps\n| Step | Began (UTC) | What |\n|---|---|---|\n");
    for (DrillTimeline.Step s : r.steps()) {
      md.append("| ").append(s.number()).append(" | ").append(s.at()).append(" | ")
          .append(cell(s.title())).append(" |\n");
    }
    md.append('\n');
    md.append("## Recovery Results\n");
    md.append("- **Recovery Time (RTO):** ").append(rto(r)).append('\n');
    md.append("- **Data Loss:** ").append(dataLoss(r)).append('\n');
    md.append("- **Functionality Restored:** ").append(restored(r)).append("\n\n");
    md.append("### RPO per group\n| Group | ").append(r.keptPrimary() ? "Took over" : "Promoted")
        .append(" | Recovered run | Run ended | Runs not recovered | RPO |\n")
        .append("|---|---|---|---|---|---|\n");
    for (DrillReport.GroupRecovery g : r.groups()) {
      md.append("| ").append(g.group()).append(" | ").append(g.promoted() ? "yes" : "NO").append(" | ")
          .append(g.recoveredRun().isPresent() ? Long.toString(g.recoveredRun().getAsLong()) : "-")
          .append(" | ").append(g.recoveredRunEnd().map(Instant::toString).orElse("-")).append(" | ")
          .append(g.runsNotRecovered()).append(" | ")
          .append(g.dataLoss().map(DrillReportWriter::duration).orElse("unknown")).append(" |\n");
    }
    md.append('\n');
    md.append("### Data loss in rows\n");
    if (r.rowsNotMeasured().isPresent()) {
      md.append("Not measured: ").append(r.rowsNotMeasured().get()).append("\n\n");
    } else {
      md.append("| Group | Table | Rows the secondary lacks |\n|---|---|---|\n");
      for (DrillTimeline.LostRows l : r.lost()) {
        md.append("| ").append(l.group()).append(" | ").append(l.table()).append(" | ")
            .append(l.rows()).append(" |\n");
      }
      md.append("| | total | ").append(r.rowsLost()).append(" |\n\n");
    }
    md.append("## Issues Encountered\n");
    List<String> issues = r.issues();
    if (issues.isEmpty()) {
      md.append("None.\n");
    }
    issues.forEach(i -> md.append("- ").append(i).append('\n'));
    md.append('\n');
    md.append("## Actions\n");
    r.actions().forEach(a -> md.append("- ").append(a).append('\n'));
    md.append('\n');
    md.append("## Conclusion\n").append(conclusion(r)).append("\n\n");
    md.append("The lag timeline of each group is in drill-").append(r.date()).append(".html.\n");
    return md.toString();
  }

  /** The report as one self-contained HTML page with a lag chart per group. */
  public static String html(DrillReport r) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append("Drill ").append(r.date()).append(" - ").append(escape(r.workspace())).append("</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em;max-width:60em}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em}"
            + "svg{display:block;margin:1em 0}</style>\n</head>\n<body>\n");
    h.append("<h1>Disaster Recovery Test Report, ").append(r.date()).append("</h1>\n");
    h.append("<p>").append(escape(r.objective())).append("</p>\n");
    h.append("<ul>\n<li>RTO: ").append(escape(rto(r))).append("</li>\n<li>Data loss: ")
        .append(escape(dataLoss(r))).append("</li>\n<li>Functionality restored: ")
        .append(restored(r)).append("</li>\n</ul>\n");
    h.append("<h2>Lag timeline per group</h2>\n<p>Each point is a sync point applied in the secondary:"
        + " how old its state was then (minutes). The red line is the outage start.</p>\n");
    Instant[] range = range(r);
    for (Map.Entry<String, List<LagPoint>> group : new java.util.TreeMap<>(r.lag()).entrySet()) {
      h.append("<h3>").append(escape(group.getKey())).append("</h3>\n");
      h.append(chart(group.getKey(), group.getValue(), range[0], range[1], r.outageStart().orElse(null)));
    }
    h.append("<h2>Issues</h2>\n<ul>\n");
    List<String> issues = r.issues();
    if (issues.isEmpty()) {
      h.append("<li>None.</li>\n");
    }
    issues.forEach(i -> h.append("<li>").append(escape(i)).append("</li>\n"));
    h.append("</ul>\n</body>\n</html>\n");
    return h.toString();
  }

  /** One group's chart: axes, a polyline through its points, a circle per point. */
  static String chart(String group, List<LagPoint> points, Instant from, Instant to, Instant outage) {
    double maxMinutes = Math.max(1, points.stream().mapToDouble(p -> minutes(p.lag())).max().orElse(1));
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" data-group=\"").append(escape(group))
        .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\">\n");
    int bottom = HEIGHT - BOTTOM;
    s.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(bottom).append("\" x2=\"")
        .append(WIDTH - RIGHT).append("\" y2=\"").append(bottom).append("\" stroke=\"black\"/>\n");
    s.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"")
        .append(LEFT).append("\" y2=\"").append(bottom).append("\" stroke=\"black\"/>\n");
    s.append("<text x=\"4\" y=\"").append(TOP + 10).append("\" font-size=\"11\">")
        .append(number(maxMinutes)).append(" min</text>\n");
    s.append("<text x=\"4\" y=\"").append(bottom).append("\" font-size=\"11\">0</text>\n");
    s.append("<text x=\"").append(LEFT).append("\" y=\"").append(HEIGHT - 8).append("\" font-size=\"11\">")
        .append(from).append("</text>\n");
    s.append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(HEIGHT - 8)
        .append("\" font-size=\"11\" text-anchor=\"end\">").append(to).append("</text>\n");
    if (outage != null) {
      String x = number(x(outage, from, to));
      s.append("<line class=\"outage\" x1=\"").append(x).append("\" y1=\"").append(TOP).append("\" x2=\"")
          .append(x).append("\" y2=\"").append(bottom).append("\" stroke=\"red\"/>\n");
    }
    List<String> coordinates = new ArrayList<>();
    for (LagPoint p : points) {
      coordinates.add(number(x(p.appliedAt(), from, to)) + "," + number(y(p.lag(), maxMinutes)));
    }
    s.append("<polyline fill=\"none\" stroke=\"steelblue\" points=\"")
        .append(String.join(" ", coordinates)).append("\"/>\n");
    for (int i = 0; i < points.size(); i++) {
      String[] xy = coordinates.get(i).split(",");
      LagPoint p = points.get(i);
      s.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1])
          .append("\" r=\"3\" fill=\"steelblue\"><title>sync point ").append(p.sequence())
          .append(" applied ").append(p.appliedAt()).append(": ").append(duration(p.lag()))
          .append("</title></circle>\n");
    }
    s.append("</svg>\n");
    return s.toString();
  }

  /** A duration as the report writes it: {@code 2h 05m 03s}, {@code 4m 00s}, {@code 12s}. */
  public static String duration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds >= 3600) {
      return String.format(Locale.ROOT, "%dh %02dm %02ds", seconds / 3600, seconds % 3600 / 60, seconds % 60);
    }
    if (seconds >= 60) {
      return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }
    return seconds + "s";
  }

  private static String rto(DrillReport r) {
    if (r.rto().isEmpty()) {
      return "not measured (" + (r.outageStart().isEmpty() ? "no outage recorded"
          : "the secondary's workflows never ran") + ")";
    }
    return duration(r.rto().get()) + " (outage start " + r.outageStart().get()
        + " to the secondary's workflows running " + r.secondaryRunning().get() + "); objective "
        + duration(r.rtoObjective()) + ": " + (r.rto().get().compareTo(r.rtoObjective()) <= 0 ? "met" : "MISSED");
  }

  private static String dataLoss(DrillReport r) {
    long rows = r.rowsLost();
    int runs = r.groups().stream().mapToInt(DrillReport.GroupRecovery::runsNotRecovered).sum();
    boolean withinObjective = r.groups().stream().allMatch(g -> g.dataLoss().isPresent()
        && g.dataLoss().get().compareTo(r.rpoObjective()) <= 0);
    String level = rows == 0 && runs == 0 ? "NONE" : withinObjective ? "MINIMAL" : "SIGNIFICANT";
    if (r.rowsNotMeasured().isPresent()) {
      return level + ": " + runs + " completed run(s) not recovered (rows not measured)";
    }
    return level + ": " + rows + " rows in " + r.lost().stream().filter(l -> l.rows() > 0).count()
        + " table(s), " + runs + " completed run(s) not recovered";
  }

  private static String restored(DrillReport r) {
    boolean allPromoted = r.groups().stream().allMatch(DrillReport.GroupRecovery::promoted);
    if (r.secondaryRunning().isEmpty() || r.groups().stream().noneMatch(DrillReport.GroupRecovery::promoted)) {
      return "FAILED";
    }
    return allPromoted && r.failedChecks().isEmpty() ? "FULLY" : "PARTIALLY";
  }

  private static String conclusion(DrillReport r) {
    int issues = r.issues().size();
    return issues == 0
        ? "The secondary took over within the objectives: RTO " + r.rto().map(DrillReportWriter::duration)
            .orElse("-") + ", " + (r.rowsNotMeasured().isPresent() ? "rows lost not measured"
            : r.rowsLost() + " rows lost") + ", no issue found."
        : issues + " issue(s) found; the drill is passed only once the actions above are done.";
  }

  private static Instant[] range(DrillReport r) {
    List<Instant> all = new ArrayList<>();
    r.lag().values().forEach(points -> points.forEach(p -> all.add(p.appliedAt())));
    r.outageStart().ifPresent(all::add);
    if (all.isEmpty()) {
      return new Instant[] {Instant.EPOCH, Instant.EPOCH.plusSeconds(1)};
    }
    Instant from = all.stream().min(Instant::compareTo).get();
    Instant to = all.stream().max(Instant::compareTo).get();
    return new Instant[] {from, to.equals(from) ? from.plusSeconds(1) : to};
  }

  private static double x(Instant at, Instant from, Instant to) {
    double span = Duration.between(from, to).toMillis();
    return LEFT + (WIDTH - LEFT - RIGHT) * Duration.between(from, at).toMillis() / span;
  }

  private static double y(Duration lag, double maxMinutes) {
    return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * minutes(lag) / maxMinutes;
  }

  private static double minutes(Duration d) {
    return d.toMillis() / 60_000.0;
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
