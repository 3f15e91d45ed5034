package io.deltasync.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.runtime.PrimaryRuns;
import io.deltasync.runtime.SecretProviders;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.spark.Sparks;
import io.deltasync.status.Status;
import io.deltasync.status.StatusReport;
import io.deltasync.status.StatusText;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code status --config FILE [--json]}: per group, the primary's last successful run, the last
 * staged and applied sync points, the lag, the last error and the bytes sent in the last 24 hours.
 * Read-only. Exit code 0 whenever a report was printed, even when the primary is unreachable (the
 * report says so).
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows, per sync group: the primary's last successful run, the last staged and the last"
          + " applied sync point, the lag, the last error and the bytes sent in the last 24 hours.",
      "Read-only. Exit code 0 when the report was printed (an unreachable primary is reported,"
          + " not failed), 2 for a bad config."
    })
public final class StatusCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--group", paramLabel = "G", description = "Only this sync group.")
  String group;

  @Option(names = "--json", description = "Print the report as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() {
    DeltaSyncConfig loaded = config.load();
    Status status = new Status(
        SyncWiring.ledgers(Sparks.session()),
        ws -> PrimaryRuns.forWorkspace(ws, SecretProviders.forRuntime()),
        Clock.systemUTC());
    StatusReport report = status.report(loaded, Optional.ofNullable(group));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(StatusText.json(report)));
    } else {
      StatusText.lines(report).forEach(out::println);
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
