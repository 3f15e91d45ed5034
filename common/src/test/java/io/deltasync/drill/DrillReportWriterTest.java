package io.deltasync.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drill report written from a recorded timeline: exact figures in the Markdown, exact charts. */
class DrillReportWriterTest {

  @TempDir Path dir;

  static Instant at(String time) {
    return Instant.parse("2026-03-02T" + time + "Z");
  }

  /** A drill: outage at 10:45, secondary running at 10:47:30, one failed check, 4 rows lost. */
  static DrillReport recorded(Duration ordersLoss, List<String> failedChecks) {
    DrillTimeline timeline = new DrillTimeline();
    timeline.step(1, "Set up two regions", at("09:58:00"));
    timeline.step(2, "Failover | promote the secondary", at("10:45:00"));
    timeline.outageStarted(at("10:45:00"));
    timeline.outageStarted(at("10:46:00"));
    timeline.step(3, "Resume the workflows in the secondary", at("10:47:00"));
    timeline.secondaryRunning(at("10:47:30"));
    timeline.secondaryRunning(at("10:49:00"));
    timeline.lost("orders", "c.s.bronze", 4);
    timeline.lost("orders", "c.s.gold", 0);
    timeline.lost("reference", "c.s.countries", 0);
    return new DrillReport(LocalDate.parse("2026-03-02"), "ops", "ws", "Show the secondary takes over.",
        "The primary is declared lost.", Duration.ofHours(4), Duration.ofHours(1), timeline.steps(),
        timeline.outageStart(), timeline.secondaryRunning(),
        List.of(new DrillReport.GroupRecovery("orders", true, OptionalLong.of(3),
                Optional.of(at("10:20:00")), 1, Optional.of(ordersLoss)),
            new DrillReport.GroupRecovery("reference", true, OptionalLong.empty(), Optional.empty(), 0,
                Optional.of(Duration.ZERO))),
        timeline.lost(), failedChecks,
        Map.of("orders", List.of(
                new LagPoint(1, at("10:00:00"), Duration.ofMinutes(10)),
                new LagPoint(2, at("10:30:00"), Duration.ofMinutes(20)),
                new LagPoint(3, at("11:00:00"), Duration.ofMinutes(40))),
            "reference", List.of(new LagPoint(1, at("10:15:00"), Duration.ofMinutes(5)))));
  }

  @Test
  void theMarkdownHasEverySectionWithTheMeasuredFigures() throws Exception {
    DrillReport report = recorded(Duration.ofMinutes(15),
        List.of("Step 6, check verify: c.s.gold differs"));

    DrillReportWriter.Written written = DrillReportWriter.write(dir, report);

    assertThat(written.markdown()).isEqualTo(dir.resolve("drill-2026-03-02.md"));
    assertThat(written.html()).isEqualTo(dir.resolve("drill-2026-03-02.html"));
    assertThat(Files.readString(written.markdown())).isEqualTo("""
        # Disaster Recovery Test Report

        ## Test Information
        - **Test Date:** 2026-03-02
        - **Test Type:** REGION (failover drill)
        - **Component Tested:** deltasync workspace ws, groups orders, reference
        - **Test Conducted By:** ops

        ## Objective
        Show the secondary takes over. Objectives: RTO 4h 00m 00s, RPO 1h 00m 00s.

        ## Test Scenario
        The primary is declared lost.

        ## Steps
        | Step | Began (UTC) | What |
        |---|---|---|
        | 1 | 2026-03-02T09:58:00Z | Set up two regions |
        | 2 | 2026-03-02T10:45:00Z | Failover \\| promote the secondary |
        | 3 | 2026-03-02T10:47:00Z | Resume the workflows in the secondary |

        ## Recovery Results
        - **Recovery Time (RTO):** 2m 30s (outage start 2026-03-02T10:45:00Z to the secondary's workflows running 2026-03-02T10:47:30Z); objective 4h 00m 00s: met
        - **Data Loss:** MINIMAL: 4 rows in 1 table(s), 1 completed run(s) not recovered
        - **Functionality Restored:** PARTIALLY

        ### RPO per group
        | Group | Promoted | Recovered run | Run ended | Runs not recovered | RPO |
        |---|---|---|---|---|---|
        | orders | yes | 3 | 2026-03-02T10:20:00Z | 1 | 15m 00s |
        | reference | yes | - | - | 0 | 0s |

        ### Data loss in rows
        | Group | Table | Rows the secondary lacks |
        |---|---|---|
        | orders | c.s.bronze | 4 |
        | orders | c.s.gold | 0 |
        | reference | c.s.countries | 0 |
        | | total | 4 |

        ## Issues Encountered
        - Step 6, check verify: c.s.gold differs

        ## Actions
        - Find the cause of the failed check and fix it before the next drill: Step 6, check verify: c.s.gold differs

        ## Conclusion
        1 issue(s) found; the drill is passed only once the actions above are done.

        The lag timeline of each group is in drill-2026-03-02.html.
        """);
  }

  @Test
  void aMissedRpoIsAnIssueWithItsActionAndACleanDrillHasNone() {
    String missed = DrillReportWriter.markdown(recorded(Duration.ofMinutes(75), List.of()));
    assertThat(missed).contains("- **Data Loss:** SIGNIFICANT: 4 rows in 1 table(s), 1 completed run(s) not recovered\n")
        .contains("## Issues Encountered\n- Group orders lost 1h 15m 00s of data, more than the RPO"
            + " objective of 1h 00m 00s.\n")
        .contains("## Actions\n- Sync group orders more often: lower sync_interval_mins, or trigger"
            + " the sender when its workflow ends.\n")
        .contains("- **Functionality Restored:** FULLY\n");

    String clean = DrillReportWriter.markdown(recorded(Duration.ofMinutes(15), List.of()));
    assertThat(clean).contains("## Issues Encountered\nNone.\n")
        .contains("## Actions\n- None: every check held, and the RTO and every group's RPO are within"
            + " their objectives.\n")
        .contains("## Conclusion\nThe secondary took over within the objectives: RTO 2m 30s, 4 rows"
            + " lost, no issue found.\n");
  }

  @Test
  void theHtmlPageHasOneSelfContainedLagChartPerGroup() {
    String html = DrillReportWriter.html(recorded(Duration.ofMinutes(15), List.of()));

    // Self-contained: no script, nothing loaded from anywhere.
    assertThat(html).doesNotContain("<script", "src=", "href=", "<link").startsWith("<!DOCTYPE html>");
    assertThat(count(html, "<svg ")).isEqualTo(2);
    String orders = svg(html, "orders");
    String reference = svg(html, "reference");
    // From 10:00 (first point) to 11:00 (last), x from 60 to 620; lag 0..40 min, y from 180 to 20.
    assertThat(orders).contains("<polyline fill=\"none\" stroke=\"steelblue\""
        + " points=\"60.0,140.0 340.0,100.0 620.0,20.0\"/>");
    assertThat(count(orders, "<circle ")).isEqualTo(3);
    assertThat(orders).contains("<circle cx=\"340.0\" cy=\"100.0\" r=\"3\" fill=\"steelblue\"><title>sync"
        + " point 2 applied 2026-03-02T10:30:00Z: 20m 00s</title></circle>");
    // The outage at 10:45, three quarters of the way.
    assertThat(orders).contains("<line class=\"outage\" x1=\"480.0\" y1=\"20\" x2=\"480.0\" y2=\"180\"");
    assertThat(orders).contains(">40.0 min</text>");
    assertThat(reference).contains("points=\"200.0,20.0\"").contains(">5.0 min</text>");
    assertThat(count(reference, "<circle ")).isEqualTo(1);
    assertThat(html).contains("<li>RTO: 2m 30s (outage start 2026-03-02T10:45:00Z to the secondary's"
        + " workflows running 2026-03-02T10:47:30Z); objective 4h 00m 00s: met</li>");
  }

  private static String svg(String html, String group) {
    Matcher m = Pattern.compile("<svg [^>]*data-group=\"" + group + "\".*?</svg>", Pattern.DOTALL)
        .matcher(html);
    assertThat(m.find()).as("chart of " + group).isTrue();
    return m.group();
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
