package io.deltasync.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.runtime.OpsWiring;
import io.deltasync.runtime.SecretProviders;
import io.deltasync.status.LagAlerts;
import io.deltasync.status.StatusReport;
import io.deltasync.status.StatusText;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code status --config FILE [--group G] [--json] [--alert]}: per group, the primary's last
 * successful run, the last staged and applied sync points, the lag, the last error and the bytes
 * sent in the last 24 hours. Read-only, unless {@code --alert} asks it to send lag alerts ({@link
 * LagAlerts}), which also writes their state next to the ledger. Exit code 0 whenever a report was
 * printed, even when the primary is unreachable (the report says so) or an alert failed.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows, per sync group: the primary's last successful run, the last staged and the last"
          + " applied sync point, the lag, the last error and the bytes sent in the last 24 hours.",
      "Read-only unless --alert. Exit code 0 when the report was printed (an unreachable primary"
          + " or a failed alert is reported, not failed), 2 for a bad config."
    })
public final class StatusCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  /** Status reads only the ledger and the Jobs APIs, so it runs in either region. */
  @Mixin RegionOption region;

  @Option(names = "--group", paramLabel = "G", description = "Only this sync group.")
  String group;

  @Option(names = "--json", description = "Print the report as JSON on stdout.")
  boolean json;

  @Option(names = "--alert", description = "Also send LAG and RECOVERED notifications through the"
      + " configured channels (lag_alert_mins) and keep what was sent next to the ledger; the"
      + " status job sets it. Without it status only reads.")
  boolean alert;

  @Override
  public Integer call() {
    DeltaSyncConfig loaded = config.load();
    StatusReport report = OpsWiring.status(SecretProviders.forRuntime())
        .report(loaded, Optional.ofNullable(group));
    Optional<LagAlerts.Result> alerts = Optional.empty();
    if (alert) {
      alerts = Optional.of(OpsWiring.lagAlerts(loaded, SecretProviders.forRuntime())
          .run(loaded, report));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> root = StatusText.json(report);
      alerts.ifPresent(a -> root.put("alerts", StatusText.alertsJson(a)));
      out.println(toJson(root));
    } else {
      StatusText.lines(report).forEach(out::println);
      alerts.ifPresent(a -> StatusText.alertLines(a).forEach(out::println));
    }
    out.flush();
    return ExitCodes.DONE;
  }

  static String toJson(Object value) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
