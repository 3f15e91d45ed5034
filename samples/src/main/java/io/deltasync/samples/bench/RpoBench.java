package io.deltasync.samples.bench;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.jobs.BaseRun;
import com.databricks.sdk.service.jobs.ListRunsRequest;
import com.databricks.sdk.service.jobs.Run;
import com.databricks.sdk.service.jobs.RunTask;
import com.fasterxml.jackson.databind.JsonNode;
import io.deltasync.samples.RunWorkflowCommand.Region;
import io.deltasync.samples.SampleWorkflow2;
import io.deltasync.samples.workspace.ChildJvm;
import io.deltasync.samples.workspace.WorkspaceSpec;
import io.deltasync.samples.workspace.Workspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The RPO benchmark: how long after a workflow run's data is complete the secondary holds it,
 * with event-driven sync as the bundle deploys it, on the two simulated workspaces (one JVM per
 * region, each serving its Jobs API and running its jobs).
 *
 * <p>{@code sample_workflow_2} runs {@code runs} times in the primary (run-now), one after the
 * other, each once the previous run's sync point was applied. Its last task starts the sender
 * (a {@code run_job_task}); the sender rings the secondary receiver's doorbell, a file-arrival
 * trigger checked every {@code fileArrivalCheck} (Databricks: about once a minute), which starts
 * the receiver. Per run, from the two Jobs APIs and the sender's report:
 * <ul>
 *   <li>trigger wait: the workflow's data task ended → the sender's run started;
 *   <li>pinning: the sender's run started → its copy started, and its commit ended → it rang (the
 *       ledger read, the run's choice, each table's version);
 *   <li>copy, commit: the sender's group phases ({@code phases_ms} of its report);
 *   <li>doorbell wait: the ring (the time in the ring file's name) → the receiver's run started;
 *   <li>apply: the receiver's run;
 *   <li>RPO: the data task ended → the receiver's run ended (the sync point applied), the sum of
 *       the above.
 * </ul>
 * After ringing, the sender run goes on with the ledger's maintenance when it is due (the first
 * run here); that is off the RPO's path.
 * Both workspaces run on this machine, so their clocks are one. The cron set-up is not run (it
 * would wait a quarter of an hour per run): its RPO is computed per run from the same measured
 * sender and receiver times, on the bundle's crons (sender {@code 0 0/15}, receiver
 * {@code 0 7/15}, for {@code sync_interval_mins} 15), from the moment the run's data ended.
 *
 * <p>Target: median RPO at most the median copy time plus 60 s.
 */
public final class RpoBench {

  static final Duration OVER_COPY_TARGET = Duration.ofSeconds(60);
  private static final String WORKSPACE = "rpo";
  private static final String SCOPE = "rpo";
  private static final String READINGS = "dr_test_catalog.raw.workflow_2_readings";
  private static final String DAILY = "dr_test_catalog.main.workflow_2_daily";
  private static final Duration APPLY_TIMEOUT = Duration.ofMinutes(10);
  private static final int INTERVAL_MINUTES = 15;

  /** The benchmark's settings. */
  public record Settings(Path dir, int runs, Duration fileArrivalCheck) {
    public static Settings defaults(Path dir) {
      return new Settings(dir, 7, Duration.ofMinutes(1));
    }
  }

  /** One run's figures, in milliseconds. */
  record Figures(long runId, long triggerWait, long pinning, long copy, long commit,
      long doorbellWait, long apply, long rpo, long cronRpo) {}

  /** The figures, as lines and as JSON, and whether the target was met. */
  public record Result(List<String> lines, Map<String, Object> json, boolean pass) {}

  private final Settings settings;
  private final Consumer<String> progress;

  public RpoBench(Settings settings, Consumer<String> progress) {
    this.settings = settings;
    this.progress = progress;
  }

  public Result run() throws IOException, InterruptedException {
    Path root = settings.dir().toAbsolutePath().normalize();
    BenchSupport.wipe(root, ".deltasync-bench");
    Files.createDirectories(root);
    Workspaces.Plan plan = Workspaces.Plan.create(root.resolve("workspaces"), SCOPE);
    Path config = root.resolve("deltasync.json");
    Files.writeString(config, """
        {
          "secret_scope": "%2$s",
          "workspaces": [
            {
              "workspace_name": "%3$s",
              %4$s,
              "local": {"primary_dir": "%1$s/primary", "secondary_dir": "%1$s/secondary",
                        "jobs_api": true},
              "sync_location_primary": "%1$s/sync-primary",
              "sync_location_secondary": "%1$s/sync-secondary",
              "sync_interval_mins": %8$d,
              "sync_failover_interval_mins": 1,
              "sync_max_retries": 2,
              "sync_groups": [
                {"group_name": "%5$s", "group_owner_email": "data-eng@example.com",
                 "workflow": "%5$s", "tables": ["%6$s", "%7$s"]}
              ]
            }
          ]
        }
        """.formatted(root, SCOPE, WORKSPACE, plan.configJson(), SampleWorkflow2.NAME, READINGS,
        DAILY, INTERVAL_MINUTES));
    progress.accept("starting the two workspaces (event-driven, file arrivals checked every "
        + settings.fileArrivalCheck().toSeconds() + " s)");
    Path arrivals = Path.of(io.deltasync.sync.Placement.arrivals(root + "/sync-secondary").uri());
    List<Figures> runs = new ArrayList<>();
    try (Workspaces workspaces = Workspaces.start(plan, WORKSPACE,
        Map.of(Region.primary, root + "/primary", Region.secondary, root + "/secondary"), config,
        Region.primary, ChildJvm.command("768m"), Optional.of(settings.fileArrivalCheck()))) {
      for (int i = 1; i <= settings.runs(); i++) {
        Figures f = oneRun(workspaces, arrivals);
        runs.add(f);
        progress.accept(String.format(Locale.ROOT, "run %d of %d (workflow run %d): RPO %.1f s",
            i, settings.runs(), f.runId(), f.rpo() / 1000.0));
      }
    }
    return result(runs);
  }

  private Figures oneRun(Workspaces workspaces, Path arrivals)
      throws InterruptedException, IOException {
    WorkspaceClient primary = workspaces.client(Region.primary, WorkspaceSpec.OPERATORS);
    WorkspaceClient secondary = workspaces.client(Region.secondary, WorkspaceSpec.OPERATORS);
    long senderJob = workspaces.jobId(Region.primary, WorkspaceSpec.SENDER_JOB);
    long receiverJob = workspaces.jobId(Region.secondary, WorkspaceSpec.RECEIVER_JOB);
    long receiverRunsBefore = runIds(secondary, receiverJob).stream().mapToLong(Long::longValue)
        .max().orElse(0);

    Workspaces.RunResult workflow =
        workspaces.run(Region.primary, SampleWorkflow2.NAME, Map.of());
    if (!workflow.succeeded()) {
      throw new IllegalStateException("workflow run " + workflow.runId() + " ended "
          + workflow.result() + ": " + workflow.message());
    }
    Run run = primary.jobs().getRun(workflow.runId());
    List<RunTask> tasks = List.copyOf(run.getTasks());
    Instant dataEnd = Instant.ofEpochMilli(tasks.get(0).getEndTime());
    long senderRunId = runs(primary, senderJob).stream()
        .filter(r -> r.getStartTime() >= dataEnd.toEpochMilli())
        .mapToLong(BaseRun::getRunId).min().orElseThrow(() -> new IllegalStateException(
            "workflow run " + workflow.runId() + " started no sender run"));
    Workspaces.RunResult sender =
        workspaces.await(Region.primary, senderRunId, Duration.ofMinutes(1));
    Run senderRun = primary.jobs().getRun(senderRunId);
    JsonNode group = sender.json().path("groups").get(0);
    if (!"SYNCED".equals(group.path("status").asText())) {
      throw new IllegalStateException("sender run " + senderRunId + " did not sync: " + group);
    }
    long sequence = group.path("sequence").asLong();

    Workspaces.RunResult receiver = awaitApplied(workspaces, secondary, receiverJob,
        receiverRunsBefore, sequence);
    Run receiverRun = secondary.jobs().getRun(receiver.runId());

    Instant senderStart = Instant.ofEpochMilli(senderRun.getStartTime());
    Instant rang = ringAfter(arrivals, senderStart);
    Instant receiverStart = Instant.ofEpochMilli(receiverRun.getStartTime());
    Instant receiverEnd = Instant.ofEpochMilli(receiverRun.getEndTime());
    JsonNode phases = group.path("phases_ms");
    long copy = phases.path("copying").asLong();
    long commit = phases.path("committing").asLong();
    long sending = millis(senderStart, rang);
    long apply = millis(receiverStart, receiverEnd);
    return new Figures(workflow.runId(), millis(dataEnd, senderStart), sending - copy - commit,
        copy, commit, millis(rang, receiverStart), apply, millis(dataEnd, receiverEnd),
        cronRpo(dataEnd, sending, apply));
  }

  /** When the sender rang first at or after {@code from}: the time its ring file is named by. */
  private static Instant ringAfter(Path arrivals, Instant from) throws IOException {
    try (java.util.stream.Stream<Path> rings = Files.list(arrivals)) {
      return rings.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}-.*"))
          .map(n -> Instant.ofEpochMilli(Long.parseLong(n.substring(0, 20))))
          .filter(t -> !t.isBefore(from)).min(Instant::compareTo)
          .orElseThrow(() -> new IllegalStateException("the sender rang no doorbell in "
              + arrivals + " after " + from));
    }
  }

  /** Waits for the receiver run that applied sync point {@code sequence}. */
  private static Workspaces.RunResult awaitApplied(Workspaces workspaces, WorkspaceClient client,
      long receiverJob, long after, long sequence) throws InterruptedException {
    long deadline = System.nanoTime() + APPLY_TIMEOUT.toNanos();
    List<Long> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      for (long id : runIds(client, receiverJob)) {
        if (id <= after || seen.contains(id)) {
          continue;
        }
        Workspaces.RunResult run = workspaces.await(Region.secondary, id, APPLY_TIMEOUT);
        seen.add(id);
        for (JsonNode g : run.json().path("groups")) {
          if ("SYNCED".equals(g.path("status").asText())
              && g.path("sequence").asLong() == sequence) {
            return run;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no receiver run applied sync point " + sequence + " within "
        + APPLY_TIMEOUT + " (receiver runs seen: " + seen + ")");
  }

  private static List<BaseRun> runs(WorkspaceClient client, long jobId) {
    List<BaseRun> runs = new ArrayList<>();
    client.jobs().listRuns(new ListRunsRequest().setJobId(jobId)).forEach(runs::add);
    return runs;
  }

  private static List<Long> runIds(WorkspaceClient client, long jobId) {
    return runs(client, jobId).stream().map(BaseRun::getRunId).toList();
  }

  /**
   * The RPO the cron set-up would have given this run: the sender's next tick after the data
   * ended, its measured time to the sync point, the receiver's next tick after that (7 minutes
   * past each quarter), the measured apply.
   */
  static long cronRpo(Instant dataEnd, long senderMillis, long applyMillis) {
    Instant senderTick = nextTick(dataEnd, 0);
    Instant committed = senderTick.plusMillis(senderMillis);
    Instant receiverTick = nextTick(committed, 7);
    return millis(dataEnd, receiverTick) + applyMillis;
  }

  /** The first {@code offset}/15 minute tick at or after {@code t}. */
  static Instant nextTick(Instant t, int offsetMinutes) {
    ZonedDateTime hour = t.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
    for (ZonedDateTime tick = hour.minusMinutes(INTERVAL_MINUTES - offsetMinutes);
        ; tick = tick.plusMinutes(INTERVAL_MINUTES)) {
      if (!tick.toInstant().isBefore(t)) {
        return tick.toInstant();
      }
    }
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }

  private Result result(List<Figures> runs) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "rpo bench: %d runs of %s, event-driven (file arrivals"
        + " checked every %d s); seconds", runs.size(), SampleWorkflow2.NAME,
        settings.fileArrivalCheck().toSeconds()));
    lines.add(String.format(Locale.ROOT, "  %-8s %8s %8s %8s %8s %9s %8s %8s %10s", "run",
        "trigger", "pinning", "copy", "commit", "doorbell", "apply", "RPO", "cron RPO"));
    for (Figures f : runs) {
      lines.add(String.format(Locale.ROOT,
          "  %-8d %8.1f %8.1f %8.1f %8.1f %9.1f %8.1f %8.1f %10.1f", f.runId(),
          s(f.triggerWait()), s(f.pinning()), s(f.copy()), s(f.commit()), s(f.doorbellWait()),
          s(f.apply()), s(f.rpo()), s(f.cronRpo())));
    }
    long rpo = median(runs, Figures::rpo);
    long copy = median(runs, Figures::copy);
    long cron = median(runs, Figures::cronRpo);
    lines.add(String.format(Locale.ROOT, "  %-8s %8.1f %8.1f %8.1f %8.1f %9.1f %8.1f %8.1f %10.1f",
        "median", s(median(runs, Figures::triggerWait)), s(median(runs, Figures::pinning)),
        s(copy), s(median(runs, Figures::commit)), s(median(runs, Figures::doorbellWait)),
        s(median(runs, Figures::apply)), s(rpo), s(cron)));
    boolean pass = rpo <= copy + OVER_COPY_TARGET.toMillis();
    lines.add(String.format(Locale.ROOT, "median RPO %.1f s, %.1fx shorter than the cron set-up's"
            + " %.1f s; target: <= median copy %.1f s + 60 s = %.1f s: %s", s(rpo),
        cron / (double) Math.max(1, rpo), s(cron), s(copy), s(copy + OVER_COPY_TARGET.toMillis()),
        pass ? "PASS" : "MISS"));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("runs", runs.size());
    json.put("file_arrival_check_s", settings.fileArrivalCheck().toSeconds());
    json.put("median_rpo_ms", rpo);
    json.put("median_copy_ms", copy);
    json.put("median_cron_rpo_ms", cron);
    json.put("per_run", runs);
    json.put("meets_target", pass);
    return new Result(lines, json, pass);
  }

  private static double s(long millis) {
    return millis / 1000.0;
  }

  private static long median(List<Figures> runs, ToLongFunction<Figures> figure) {
    long[] values = runs.stream().mapToLong(figure).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }
}
