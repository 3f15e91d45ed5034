package io.deltasync.samples.workspace;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.databricks.sdk.service.jobs.Run;
import com.databricks.sdk.service.jobs.RunLifeCycleState;
import com.databricks.sdk.service.jobs.RunNow;
import com.databricks.sdk.service.jobs.RunOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.config.Credentials;
import io.deltasync.config.SecretRef;
import io.deltasync.databricks.SdkJobsControl;
import io.deltasync.databricks.WorkspaceClients;
import io.deltasync.jobs.JobsControl;
import io.deltasync.samples.RunWorkflowCommand.Region;
import io.deltasync.secrets.EnvSecretProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The controller of the two simulated workspaces: starts one {@link LocalWorkspace} JVM per region
 * (child processes of this JVM, with the launcher's classpath and flags), hands each its own
 * principals' tokens through its environment, and from then on talks to each only through the
 * real Databricks SDK against its Jobs API, with that workspace's token of the calling principal.
 *
 * <p>Tokens are generated here, per workspace and principal: a token of one workspace is unknown
 * to the other. Each workspace also gets the Jobs API principal's tokens of both workspaces, as
 * the secret scope its deltasync jobs read (failover in the secondary pauses the primary's jobs
 * with the primary's token).
 */
public final class Workspaces implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  /**
   * Where the workspaces are and who they trust; {@link #configJson} goes into the deltasync
   * config, so it exists before the workspaces start.
   *
   * @param dir where specs, ready files and the workspaces' logs go
   * @param secretScope the secret scope of the tokens
   * @param ports each region's Jobs API port
   * @param tokens each region's principals' tokens, by secret key
   */
  public record Plan(Path dir, String secretScope, Map<Region, Integer> ports,
      Map<String, String> tokens) {

    public Plan {
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(secretScope, "secretScope");
      ports = Map.copyOf(ports);
      tokens = Map.copyOf(tokens);
    }

    /** Two free loopback ports and a fresh token for every principal of every region. */
    public static Plan create(Path dir, String secretScope) {
      SecureRandom random = new SecureRandom();
      Map<String, String> tokens = new LinkedHashMap<>();
      Map<Region, Integer> ports = new EnumMap<>(Region.class);
      for (Region region : Region.values()) {
        ports.put(region, freePort());
        for (String principal : List.of(WorkspaceSpec.OPERATORS, WorkspaceSpec.JOBS_API,
            WorkspaceSpec.SENDER, WorkspaceSpec.RECEIVER)) {
          byte[] bytes = new byte[16];
          random.nextBytes(bytes);
          tokens.put(WorkspaceSpec.tokenKey(region, principal),
              "dapi" + HexFormat.of().formatHex(bytes));
        }
      }
      return new Plan(dir, secretScope, ports, tokens);
    }

    public URI host(Region region) {
      return URI.create("http://127.0.0.1:" + ports.get(region));
    }

    /**
     * The config's workspace keys for the two simulated workspaces: their URLs and the Jobs API
     * principal's token of each (a JSON fragment without braces, to put into a workspace object).
     */
    public String configJson() {
      return """
          "workspace_instance_url": "%s",
          "workspace_pat_key": "%s",
          "secondary_workspace_instance_url": "%s",
          "secondary_workspace_pat_key": "%s\"""".formatted(host(Region.primary),
          WorkspaceSpec.tokenKey(Region.primary, WorkspaceSpec.JOBS_API), host(Region.secondary),
          WorkspaceSpec.tokenKey(Region.secondary, WorkspaceSpec.JOBS_API));
    }

    /** The environment variables holding the given secret keys' values. */
    Map<String, String> environment(List<String> keys) {
      Map<String, String> env = new HashMap<>();
      for (String key : keys) {
        env.put(EnvSecretProvider.variableName(new SecretRef(secretScope, key)), tokens.get(key));
      }
      return env;
    }
  }

  /**
   * How a run ended, as the Jobs API reports it.
   *
   * @param runId the run's id in its workspace
   * @param result {@code state.result_state}: SUCCESS, FAILED or CANCELED
   * @param message {@code state.state_message} (why it failed)
   * @param logs the run's log ({@code runs/get-output}), e.g. a deltasync command's JSON report
   */
  public record RunResult(long runId, String result, String message, String logs) {
    public boolean succeeded() {
      return "SUCCESS".equals(result);
    }

    /** The run's log as JSON: the first JSON object it holds. */
    public JsonNode json() {
      int start = logs.indexOf('{');
      if (start < 0) {
        throw new IllegalStateException("run " + runId + " logged no JSON: " + logs);
      }
      try {
        try (com.fasterxml.jackson.core.JsonParser parser = JSON.createParser(logs.substring(start))) {
          return JSON.readTree(parser);
        }
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("run " + runId + " logged no JSON object: " + logs, e);
      }
    }
  }

  private final Plan plan;
  private final Map<Region, Process> processes = new EnumMap<>(Region.class);
  private final Map<String, WorkspaceClient> clients = new HashMap<>();

  private Workspaces(Plan plan) {
    this.plan = plan;
  }

  /**
   * Starts both workspaces, each deployed as the bundle deploys it with {@code active} the active
   * region, and waits until both answer.
   *
   * @param regionDirs each region's folder
   * @param config the deltasync config their jobs run with (holding {@link Plan#configJson})
   * @param childJvm the java command of a child JVM, up to and including its classpath
   */
  public static Workspaces start(Plan plan, String workspaceName, Map<Region, String> regionDirs,
      Path config, Region active, List<String> childJvm) throws IOException, InterruptedException {
    return start(plan, workspaceName, regionDirs, config, active, childJvm, Optional.empty());
  }

  /**
   * As above; with {@code eventDriven}, the workspaces set sync up event-driven
   * ({@link WorkspaceSpec#eventDriven}), checking file arrivals every given period.
   */
  public static Workspaces start(Plan plan, String workspaceName, Map<Region, String> regionDirs,
      Path config, Region active, List<String> childJvm, Optional<Duration> eventDriven)
      throws IOException, InterruptedException {
    Workspaces workspaces = new Workspaces(plan);
    try {
      Map<Region, Path> ready = new EnumMap<>(Region.class);
      for (Region region : Region.values()) {
        Path readyFile = plan.dir().resolve(region + ".ready.json");
        Files.deleteIfExists(readyFile);
        ready.put(region, readyFile);
        WorkspaceSpec bundle = WorkspaceSpec.bundle(region, active, workspaceName + "-" + region,
            regionDirs.get(region), config, plan.secretScope(), plan.ports().get(region),
            readyFile);
        WorkspaceSpec spec = eventDriven.map(bundle::withEventDriven).orElse(bundle);
        Path specFile = plan.dir().resolve(region + ".workspace.json");
        spec.write(specFile);
        List<String> command = new ArrayList<>(childJvm);
        command.addAll(List.of("io.deltasync.samples.Launcher", "workspace", "--region",
            region.name(), "--spec", specFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log(plan, region).toFile());
        List<String> keys = new ArrayList<>(spec.principals().stream()
            .map(WorkspaceSpec.PrincipalSpec::tokenKey).toList());
        for (Region other : Region.values()) {
          if (other != region) {
            keys.add(WorkspaceSpec.tokenKey(other, WorkspaceSpec.JOBS_API));
          }
        }
        builder.environment().putAll(plan.environment(keys));
        workspaces.processes.put(region, builder.start());
      }
      for (Region region : Region.values()) {
        workspaces.awaitReady(region, ready.get(region));
      }
      return workspaces;
    } catch (IOException | InterruptedException | RuntimeException e) {
      workspaces.close();
      throw e;
    }
  }

  /** Where a region's workspace JVM writes its output. */
  public static Path log(Plan plan, Region region) {
    return plan.dir().resolve(region + ".workspace.log");
  }

  private void awaitReady(Region region, Path readyFile) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Process process = processes.get(region);
    while (!Files.exists(readyFile)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the " + region + " workspace's JVM exited "
            + process.exitValue() + " before it served its Jobs API: see " + log(plan, region));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the " + region + " workspace did not serve its Jobs API"
            + " within " + START_TIMEOUT + ": see " + log(plan, region));
      }
      Thread.sleep(100);
    }
    JsonNode node = JSON.readTree(readyFile.toFile());
    if (node.path("port").asInt() != plan.ports().get(region)
        || node.path("pid").asLong() != process.pid()) {
      throw new IllegalStateException("the ready file " + readyFile + " is not of the " + region
          + " workspace started here: " + node);
    }
  }

  public Plan plan() {
    return plan;
  }

  /** The process id of a region's workspace JVM. */
  public long pid(Region region) {
    return processes.get(region).pid();
  }

  /** An SDK client of a region's workspace, as {@code principal} with that workspace's token. */
  public synchronized WorkspaceClient client(Region region, String principal) {
    String key = WorkspaceSpec.tokenKey(region, principal);
    return clients.computeIfAbsent(key, k -> WorkspaceClients.connect(plan.host(region),
        new Credentials.Pat(new SecretRef(plan.secretScope(), k)),
        new EnvSecretProvider(plan.environment(List.of(k)))));
  }

  /** A region's jobs as the operators see and switch them, through the SDK. */
  public JobsControl jobs(Region region) {
    return new SdkJobsControl(region + " workspace", () -> client(region, WorkspaceSpec.OPERATORS)
        .jobs());
  }

  /** The id of the job named {@code job} in a region's workspace. */
  public long jobId(Region region, String job) {
    for (BaseJob found : client(region, WorkspaceSpec.OPERATORS).jobs()
        .list(new ListJobsRequest().setName(job))) {
      return found.getJobId();
    }
    throw new IllegalArgumentException("no job " + job + " in the " + region + " workspace");
  }

  /** Starts a run of {@code job} in a region's workspace, as an operator (run-now). */
  public long runNow(Region region, String job, Map<String, String> parameters) {
    return client(region, WorkspaceSpec.OPERATORS).jobs()
        .runNow(new RunNow().setJobId(jobId(region, job)).setJobParameters(parameters))
        .getResponse().getRunId();
  }

  /** Waits for a run to end (polling {@code runs/get}) and returns it with its log. */
  public RunResult await(Region region, long runId, Duration timeout) throws InterruptedException {
    WorkspaceClient client = client(region, WorkspaceSpec.OPERATORS);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Run run = client.jobs().getRun(runId);
      if (run.getState().getLifeCycleState() == RunLifeCycleState.TERMINATED) {
        RunOutput output = client.jobs().getRunOutput(runId);
        return new RunResult(runId, String.valueOf(run.getState().getResultState()),
            Optional.ofNullable(run.getState().getStateMessage()).orElse(""),
            Optional.ofNullable(output.getLogs()).orElse(""));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("run " + runId + " in the " + region + " workspace did"
            + " not end within " + timeout + ": see " + log(plan, region));
      }
      Thread.sleep(50);
    }
  }

  /** Runs {@code job} in a region's workspace and waits for it to end. */
  public RunResult run(Region region, String job, Map<String, String> parameters)
      throws InterruptedException {
    return await(region, runNow(region, job, parameters), Duration.ofMinutes(15));
  }

  /** Terminates both workspace JVMs and waits for them to exit. */
  @Override
  public void close() {
    processes.values().forEach(Process::destroy);
    for (Process process : processes.values()) {
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for a simulated workspace", e);
    }
  }
}
