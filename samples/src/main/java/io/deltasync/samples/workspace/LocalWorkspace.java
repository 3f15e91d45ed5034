package io.deltasync.samples.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.cli.DeltaSyncCli;
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.config.SecretRef;
import io.deltasync.failover.JobRunSteps;
import io.deltasync.local.LocalJobsServer;
import io.deltasync.samples.LocalSpark;
import io.deltasync.samples.RunWorkflowCommand;
import io.deltasync.samples.SampleWorkflow1;
import io.deltasync.samples.SampleWorkflow2;
import io.deltasync.secrets.EnvSecretProvider;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.spark.Sparks;
import io.deltasync.sync.Placement;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * One simulated Databricks workspace, the whole of one region in one JVM: its Jobs API (a
 * {@link LocalJobsServer} on a loopback port, with the region's own principals and tokens and each
 * job's permissions), and the job clusters that run its jobs, here one Spark session of its own.
 * A run (run-now, or a schedule tick) runs in this JVM:
 *
 * <ul>
 *   <li>a deltasync job runs {@link DeltaSyncCli} with the job's arguments, {@code --config},
 *       {@code --region <this region>} and its run's parameters (job parameter {@code groups}
 *       as {@code --group}); its stdout and stderr are the run's log
 *       ({@code jobs/runs/get-output}), a non-zero exit fails the run;
 *   <li>a sample workflow runs on this region's tables and records its run in this region's run
 *       log, stamping its commits ({@link RunWorkflowCommand#run}); parameter {@code silver_loops}
 *       sets sample_workflow_1's loop.
 * </ul>
 *
 * <p>Tokens are secrets: each principal's is read from the environment
 * ({@link EnvSecretProvider}), never from the spec file, and never logged.
 */
public final class LocalWorkspace implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalWorkspace.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorkspaceSpec spec;
  private final LocalJobsServer server;

  private LocalWorkspace(WorkspaceSpec spec, LocalJobsServer server) {
    this.spec = spec;
    this.server = server;
  }

  /**
   * Serves the workspace: starts its Jobs API, deploys its jobs, then writes the ready file.
   *
   * @param secrets where the principals' tokens are (the environment in a workspace JVM)
   */
  public static LocalWorkspace start(WorkspaceSpec spec, SecretProvider secrets) throws IOException {
    LocalJobsServer server = LocalJobsServer.start(spec.workspace(), Clock.systemUTC(), spec.port());
    LocalWorkspace workspace = new LocalWorkspace(spec, server);
    try {
      for (WorkspaceSpec.PrincipalSpec p : spec.principals()) {
        server.addPrincipal(p.name(), p.admin(),
            secrets.secret(new SecretRef(spec.secretScope(), p.tokenKey())));
      }
      for (WorkspaceSpec.JobSpec job : spec.jobs()) {
        workspace.deploy(job);
      }
      if (spec.eventDriven().isPresent()) {
        workspace.deployTriggers(spec.eventDriven().get());
      }
      workspace.writeReadyFile();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    LOG.info("Workspace {} ({} region) serves its Jobs API at {}: {} jobs", spec.workspace(),
        spec.region(), server.host(), spec.jobs().size());
    return workspace;
  }

  /** The Jobs API's URL. */
  public java.net.URI host() {
    return server.host();
  }

  public LocalJobsServer server() {
    return server;
  }

  private void deploy(WorkspaceSpec.JobSpec job) {
    ObjectNode settings = JSON.createObjectNode().put("name", job.name());
    job.schedule().ifPresent(pause -> settings.putObject("schedule")
        .put("quartz_cron_expression", "0 0/15 * * * ?")
        .put("timezone_id", "UTC")
        .put("pause_status", pause));
    settings.set("tasks", tasks(job));
    LocalJobsServer.LoggedJobBody body = switch (job.kind()) {
      case DELTASYNC -> (runId, parameters, log) -> runDeltaSync(job, parameters, log);
      case SAMPLE_WORKFLOW -> (runId, parameters, log) -> runWorkflow(job.name(), parameters, log);
    };
    long id = server.createJob(settings, body);
    job.permissions().forEach((principal, level) -> server.grant(id, principal, level));
  }

  /**
   * Event-driven sync, as the bundle sets it up: each sample workflow gets a last task, a
   * {@code run_job_task} starting the sender for the groups the workflow writes; the receiver's
   * schedule becomes a file-arrival trigger (a job has one trigger) on the doorbell folder the
   * sender rings ({@link io.deltasync.sync.Doorbell}), in the same pause status, at most one run a
   * minute. File arrivals are checked every {@code check}.
   */
  private void deployTriggers(Duration check) {
    DeltaSyncConfig config = ConfigLoader.load(spec.config());
    long sender = server.jobId(WorkspaceSpec.SENDER_JOB);
    for (WorkspaceSpec.JobSpec job : spec.jobs()) {
      if (job.kind() != WorkspaceSpec.Kind.SAMPLE_WORKFLOW) {
        continue;
      }
      String groups = config.allGroups().stream()
          .filter(g -> g.workflow().filter(job.name()::equals).isPresent())
          .map(SyncGroup::name).collect(Collectors.joining(","));
      long id = server.jobId(job.name());
      ObjectNode settings = server.settings(id);
      ArrayNode tasks = settings.withArray("tasks");
      String upstream = tasks.get(0).path("task_key").asText();
      ObjectNode sync = tasks.addObject().put("task_key", "sync").put("run_if", "ALL_SUCCESS");
      sync.putArray("depends_on").addObject().put("task_key", upstream);
      sync.putObject("run_job_task").put("job_id", sender).putObject("job_parameters")
          .put(JobRunSteps.GROUPS_PARAMETER, groups);
      server.replaceSettings(id, settings);
    }
    long receiver = server.jobId(WorkspaceSpec.RECEIVER_JOB);
    ObjectNode settings = server.settings(receiver);
    JsonNode schedule = settings.remove("schedule");
    WorkspaceConfig workspace = config.workspaces().get(0);
    String syncLocation = spec.region() == RunWorkflowCommand.Region.secondary
        ? workspace.syncLocationSecondary() : workspace.syncLocationPrimary();
    settings.putObject("trigger")
        .put("pause_status", schedule == null ? "UNPAUSED" : schedule.path("pause_status").asText())
        .putObject("file_arrival")
        .put("url", Placement.arrivals(syncLocation).uri())
        .put("min_time_between_triggers_seconds", 60);
    server.replaceSettings(receiver, settings);
    server.watchFileArrivals(check);
    LOG.info("Workspace {}: event-driven sync: the sample workflows start {}, {} runs when the"
        + " sender rings in {} (checked every {})", spec.workspace(), WorkspaceSpec.SENDER_JOB,
        WorkspaceSpec.RECEIVER_JOB, Placement.arrivals(syncLocation).uri(), check);
  }

  /**
   * The job's one task, in the form of the bundle's tasks: a JAR task with the launcher's command
   * line. It says what a run runs ({@code jobs/get}; preflight's drift check compares it field by
   * field across the workspaces); the run itself is the job's body here.
   */
  private ArrayNode tasks(WorkspaceSpec.JobSpec job) {
    ArrayNode tasks = JSON.createArrayNode();
    ObjectNode jar = tasks.addObject().put("task_key", "main").putObject("spark_jar_task")
        .put("main_class_name", "io.deltasync.samples.Launcher");
    ArrayNode parameters = jar.putArray("parameters");
    if (job.kind() == WorkspaceSpec.Kind.SAMPLE_WORKFLOW) {
      parameters.add("run-workflow").add("--workflow").add(job.name());
    } else {
      job.args().forEach(parameters::add);
    }
    parameters.add("--config").add(spec.config().toString());
    if (job.kind() == WorkspaceSpec.Kind.SAMPLE_WORKFLOW
        || takesRegion(DeltaSyncCli.commandLine(), job)) {
      parameters.add("--region").add(spec.region().name());
    }
    return tasks;
  }

  /** Whether the deltasync command a job runs takes {@code --region}. */
  private static boolean takesRegion(CommandLine cli, WorkspaceSpec.JobSpec job) {
    CommandLine command = cli.getSubcommands().get(job.args().get(0));
    return command != null && command.getCommandSpec().findOption("--region") != null;
  }

  private void runDeltaSync(WorkspaceSpec.JobSpec job, Map<String, String> parameters,
      Appendable log) {
    CommandLine cli = DeltaSyncCli.commandLine();
    List<String> args = new ArrayList<>(job.args());
    args.add("--config");
    args.add(spec.config().toString());
    if (takesRegion(cli, job)) {
      args.add("--region");
      args.add(spec.region().name());
    }
    parameters.forEach((key, value) -> {
      // As the bundle's task parameters pass them: the groups a run is for become --group.
      args.add(key.equals(JobRunSteps.GROUPS_PARAMETER) ? "--group" : "--" + key);
      args.add(value);
    });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String line = "deltasync " + String.join(" ", args);
    LOG.info("Workspace {}: {}", spec.workspace(), line);
    int exit = cli.execute(args.toArray(String[]::new));
    append(log, line + "\n");
    append(log, out.toString());
    append(log, err.toString());
    System.out.print(out);
    System.err.print(err);
    if (exit != 0) {
      throw new IllegalStateException("deltasync " + job.args().get(0) + " in the "
          + spec.region() + " region exited " + exit + ": " + lastLine(err.toString()));
    }
  }

  private void runWorkflow(String workflow, Map<String, String> parameters, Appendable log)
      throws Exception {
    OptionalInt loops = parameters.containsKey("silver_loops")
        ? OptionalInt.of(Integer.parseInt(parameters.get("silver_loops"))) : OptionalInt.empty();
    RunWorkflowCommand.Outcome outcome = RunWorkflowCommand.run(ConfigLoader.load(spec.config()),
        workflow, spec.region(), new RunWorkflowCommand.RunOptions(loops, OptionalInt.empty(), false),
        LocalSpark.tune(Sparks.session()));
    ObjectNode json = JSON.createObjectNode().put("workflow", workflow)
        .put("region", spec.region().name()).put("run_log_run_id", outcome.runId());
    if (outcome.result() instanceof SampleWorkflow1.Result r) {
      json.put("batches", String.join(",", r.pendingBatches()))
          .put("bronze_rows_added", r.bronzeRowsAdded()).put("silver_commits", r.silverCommits());
    } else if (outcome.result() instanceof SampleWorkflow2.Result r) {
      json.put("day", r.day()).put("readings", r.readings());
    }
    append(log, json.toString());
  }

  private void writeReadyFile() throws IOException {
    ObjectNode ready = JSON.createObjectNode().put("workspace", spec.workspace())
        .put("region", spec.region().name()).put("host", server.host().toString())
        .put("port", server.host().getPort()).put("pid", ProcessHandle.current().pid());
    Path file = spec.readyFile().toAbsolutePath();
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), ".ready", ".tmp");
    Files.write(tmp, JSON.writeValueAsBytes(ready));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void append(Appendable log, String text) {
    try {
      log.append(text);
    } catch (IOException e) {
      throw new IllegalStateException("cannot append to the run's log: " + e.getMessage(), e);
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines.length == 0 || lines[lines.length - 1].isBlank() ? "(no output)"
        : lines[lines.length - 1];
  }

  /** Stops the Jobs API (runs in progress are abandoned, as on a terminated cluster). */
  @Override
  public void close() {
    server.close();
    try {
      Files.deleteIfExists(spec.readyFile());
    } catch (IOException e) {
      LOG.warn("Workspace {}: cannot delete its ready file {}: {}", spec.workspace(),
          spec.readyFile(), e.getMessage());
    }
  }

  /** Serves the workspace of {@code specFile} until the JVM is terminated. */
  static void serve(Path specFile, RunWorkflowCommand.Region region, Writer out) throws Exception {
    WorkspaceSpec spec = WorkspaceSpec.read(specFile);
    if (spec.region() != region) {
      throw io.deltasync.errors.SyncErrors.usage("--region " + region + " but the spec " + specFile
          + " is of the " + spec.region() + " region's workspace: pass --region " + spec.region());
    }
    LocalWorkspace workspace = start(spec, new EnvSecretProvider());
    Runtime.getRuntime().addShutdownHook(new Thread(workspace::close, "workspace-stop"));
    out.write("workspace " + spec.workspace() + " (" + region + ") serving at " + workspace.host()
        + "\n");
    out.flush();
    Thread.currentThread().join();
  }
}
