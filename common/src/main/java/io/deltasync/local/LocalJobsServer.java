package io.deltasync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated Databricks workspace's Jobs API, served over HTTP on loopback, so the real
 * databricks-sdk-java (and through it {@code SdkJobsControl} and {@code JobsApiRunSource}) talks to
 * it exactly as to a workspace. It holds the workspace's jobs with their settings, their runs, its
 * principals with their tokens, and each job's permissions, and answers as Databricks does:
 *
 * <ul>
 *   <li>{@code GET /api/2.2/jobs/list}, {@code jobs/get}, {@code jobs/runs/list},
 *       {@code jobs/runs/get} and {@code jobs/runs/get-output} need CAN_VIEW on the job
 *       ({@code jobs/list} shows only such jobs);
 *   <li>{@code POST /api/2.2/jobs/run-now}, {@code jobs/runs/cancel} and
 *       {@code jobs/runs/cancel-all} need CAN_MANAGE_RUN;
 *   <li>{@code POST /api/2.2/jobs/update} (pausing and unpausing a trigger) needs CAN_MANAGE and
 *       replaces only the top-level settings it is given;
 *   <li>{@code GET /api/2.0/permissions/jobs/{id}} (the job's access control list) needs
 *       CAN_VIEW; {@code GET /api/2.0/preview/scim/v2/Me} names the caller;
 *   <li>a request without a token of this workspace gets 401 {@code UNAUTHENTICATED}, a principal
 *       without the permission 403 {@code PERMISSION_DENIED}, an unknown job or run 400
 *       {@code INVALID_PARAMETER_VALUE}; workspace admins may do everything.
 * </ul>
 *
 * <p>Tokens are issued per workspace: a PAT of one workspace is unknown to every other, as on
 * Databricks. Service principals may also use OAuth M2M ({@code /oidc/v1/token} with their client
 * id and secret).
 *
 * <p>A run-now (or {@link #fireSchedules}) runs the job's {@link JobBody} in this JVM, one run of
 * a job at a time in the order they were started (a queue, as for jobs with one concurrent run and
 * queueing on), while runs of different jobs run side by side, as on Databricks (a failback job
 * waits for the sender job it started); the run is RUNNING while its body runs and TERMINATED with
 * SUCCESS or FAILED after it.
 *
 * <p>A job's settings may list, after its body task, {@code run_job_task}s: once the body
 * succeeded, each starts the job it names with its {@code job_parameters} and the run waits for
 * it, so the run stays RUNNING until the triggered run ended and fails if that run failed; the
 * run's {@code tasks} (in {@code runs/get}, and in {@code runs/list} with {@code expand_tasks})
 * say how each task fared. A job with a {@code trigger.file_arrival} on a local folder runs when
 * files arrive there ({@link #checkFileArrivals}, on a period with {@link #watchFileArrivals}).
 * Times come from the injected clock.
 */
public final class LocalJobsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalJobsServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PAGE = 25;
  private static final String API = "/api/2.2/jobs/";
  private static final String SCIM_ME = "/api/2.0/preview/scim/v2/Me";
  private static final String JOB_PERMISSIONS = "/api/2.0/permissions/jobs/";

  static {
    // The JDK's HTTP server leaves Nagle's algorithm on: each answer then waits for the client's
    // delayed ACK, about 40 ms a call, which a workspace does not add. Read once, when the first
    // server of the JVM starts; a value set on the command line wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** A job permission level, weakest first; a level includes every level before it. */
  public enum Permission {
    CAN_VIEW,
    CAN_MANAGE_RUN,
    CAN_MANAGE,
    IS_OWNER;

    boolean includes(Permission needed) {
      return compareTo(needed) >= 0;
    }
  }

  /** What a job does when it runs; a thrown exception makes the run FAILED with its message. */
  @FunctionalInterface
  public interface JobBody {
    void run(long runId, Map<String, String> parameters) throws Exception;
  }

  /**
   * A job that writes a log while it runs, as a JAR task writes stdout and stderr; the log is
   * what {@code jobs/runs/get-output} answers as {@code logs}, whether the run succeeded or failed.
   */
  @FunctionalInterface
  public interface LoggedJobBody {
    void run(long runId, Map<String, String> parameters, Appendable log) throws Exception;
  }

  /** How a run ended, as {@code state.result_state} says; empty while it has not ended. */
  public enum Result { SUCCESS, FAILED, CANCELED, UPSTREAM_FAILED }

  /**
   * A run as this workspace recorded it.
   *
   * @param runId the run's id (unique in the workspace)
   * @param jobId the job it belongs to
   * @param start when it started
   * @param end when it ended; empty while queued or running
   * @param result how it ended; empty while queued or running
   * @param message why it failed (the body's exception message)
   */
  public record Run(long runId, long jobId, Instant start, Optional<Instant> end,
      Optional<Result> result, Optional<String> message) {

    public boolean ended() {
      return result.isPresent();
    }
  }

  /**
   * One task of a run, as {@code runs/get} (and {@code runs/list?expand_tasks=true}) lists it: the
   * job's body task (its JAR task), then each {@code run_job_task}, which starts the job it names
   * once the body task succeeded and waits for that run (a {@code run_if: ALL_SUCCESS} task
   * depending on the body task).
   *
   * @param taskKey the task's key in the job's settings
   * @param runId the task run's id
   * @param start when it started; empty while it waits for its upstream task (or never ran)
   * @param end when it ended; empty while it has not
   * @param result how it ended; {@link Result#UPSTREAM_FAILED} when the body task did not succeed
   * @param runJobTask the task's {@code run_job_task} setting; empty for the body task
   * @param triggeredRunId the run a {@code run_job_task} started
   */
  public record TaskRun(String taskKey, long runId, Optional<Instant> start, Optional<Instant> end,
      Optional<Result> result, Optional<JsonNode> runJobTask, OptionalLong triggeredRunId) {

    TaskRun ended(Instant at, Result how) {
      return new TaskRun(taskKey, runId, start, Optional.of(at), Optional.of(how), runJobTask,
          triggeredRunId);
    }
  }

  private record Principal(String name, boolean admin) {}

  private static final class Job {
    final long id;
    ObjectNode settings;
    final LoggedJobBody body;
    final Map<String, Permission> permissions = new HashMap<>();

    Job(long id, ObjectNode settings, LoggedJobBody body) {
      this.id = id;
      this.settings = settings;
      this.body = body;
    }

    String name() {
      return settings.path("name").asText();
    }
  }

  private final String workspace;
  private final Clock clock;
  private final HttpServer server;
  private final Map<Long, ExecutorService> runners = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Principal> tokens = new HashMap<>();
  private final Map<String, String[]> clients = new HashMap<>();
  private final Map<Long, Job> jobs = new LinkedHashMap<>();
  private final Map<Long, Run> runs = new LinkedHashMap<>();
  private final Map<Long, Future<?>> running = new HashMap<>();
  private final Map<Long, StringBuffer> logs = new HashMap<>();
  private final Set<Long> started = new HashSet<>();
  private final Map<Long, List<TaskRun>> taskRuns = new HashMap<>();
  private final Map<Long, FileArrivals> fileArrivals = new HashMap<>();
  private ScheduledExecutorService fileArrivalWatch;
  private long nextJobId = 1001;
  private long nextRunId = 5001;
  private long nextTaskRunId = 900_001;

  private LocalJobsServer(String workspace, Clock clock, int port) throws IOException {
    this.workspace = Objects.requireNonNull(workspace, "workspace");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    this.server.createContext("/", this::handle);
    this.server.setExecutor(Executors.newFixedThreadPool(4, daemon(workspace + "-jobs-api")));
    this.server.start();
  }

  /** Starts the workspace's Jobs API on a free loopback port. */
  public static LocalJobsServer start(String workspace, Clock clock) {
    return start(workspace, clock, 0);
  }

  /** Starts the workspace's Jobs API on the given loopback port (0: a free one). */
  public static LocalJobsServer start(String workspace, Clock clock, int port) {
    try {
      return new LocalJobsServer(workspace, clock, port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the local Jobs API of workspace " + workspace
          + " on loopback port " + port + ": " + e.getMessage(), e);
    }
  }

  /** The workspace URL, {@code http://127.0.0.1:<port>}, to give the SDK as its host. */
  public URI host() {
    return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort());
  }

  public String workspace() {
    return workspace;
  }

  // ----------------------------------------------------------------------------------------------
  // Set-up, as an administrator of the workspace would do it

  /** Adds a principal and returns a new personal access token of this workspace for it. */
  public synchronized String addPrincipal(String name, boolean admin) {
    String token = "dapi" + HexFormat.of().formatHex(bytes(16));
    tokens.put(token, new Principal(name, admin));
    return token;
  }

  /**
   * Adds a principal with a personal access token issued elsewhere (a workspace started in another
   * JVM is handed its tokens by whoever set it up); the token must be new to this workspace.
   */
  public synchronized void addPrincipal(String name, boolean admin, String token) {
    if (token == null || token.isBlank() || tokens.containsKey(token)) {
      throw new IllegalArgumentException("principal " + name + " needs a token of its own in "
          + workspace);
    }
    tokens.put(token, new Principal(name, admin));
  }

  /** Lets service principal {@code name} obtain OAuth tokens with this client id and secret. */
  public synchronized void addOAuthClient(String name, boolean admin, String clientId,
      String clientSecret) {
    clients.put(clientId, new String[] {clientSecret, name, Boolean.toString(admin)});
  }

  /**
   * Creates a job. {@code settings} is the job's settings as {@code jobs/get} returns them (at
   * least {@code name}; {@code schedule}, {@code trigger} or {@code continuous} with their
   * {@code pause_status} as the job has them).
   *
   * @return the job id
   */
  public long createJob(ObjectNode settings, JobBody body) {
    Objects.requireNonNull(body, "body");
    return createJob(settings, (runId, parameters, log) -> body.run(runId, parameters));
  }

  /** As {@link #createJob(ObjectNode, JobBody)}, for a job whose log {@code runs/get-output} shows. */
  public synchronized long createJob(ObjectNode settings, LoggedJobBody body) {
    if (!settings.path("name").isTextual()) {
      throw new IllegalArgumentException("a job needs settings.name");
    }
    fileArrivalProblem(settings).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    long id = nextJobId++;
    jobs.put(id, new Job(id, settings.deepCopy(), Objects.requireNonNull(body, "body")));
    return id;
  }

  /** A job with a daily cron schedule in the given pause status. */
  public long createScheduledJob(String name, String pauseStatus, JobBody body) {
    ObjectNode settings = JSON.createObjectNode().put("name", name);
    settings.putObject("schedule")
        .put("quartz_cron_expression", "0 0 1 * * ?")
        .put("timezone_id", "UTC")
        .put("pause_status", pauseStatus);
    return createJob(settings, body);
  }

  /** Grants {@code principal} a permission level on a job (replacing any it had). */
  public synchronized void grant(long jobId, String principal, Permission level) {
    job(jobId).orElseThrow(() -> new IllegalArgumentException("no job " + jobId))
        .permissions.put(principal, level);
  }

  /** The job's current settings, as {@code jobs/get} answers. */
  public synchronized ObjectNode settings(long jobId) {
    return job(jobId).orElseThrow(() -> new IllegalArgumentException("no job " + jobId))
        .settings.deepCopy();
  }

  /** Replaces the job's settings, as an administrator's {@code jobs/reset} does. */
  public synchronized void replaceSettings(long jobId, ObjectNode settings) {
    if (!settings.path("name").isTextual()) {
      throw new IllegalArgumentException("a job needs settings.name");
    }
    fileArrivalProblem(settings).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    job(jobId).orElseThrow(() -> new IllegalArgumentException("no job " + jobId)).settings =
        settings.deepCopy();
  }

  /** The id of the one job named {@code name}. */
  public synchronized long jobId(String name) {
    return jobs.values().stream().filter(j -> j.name().equals(name)).map(j -> j.id).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no job named " + name + " in " + workspace));
  }

  // ----------------------------------------------------------------------------------------------
  // Runs

  /** Starts a run of the job as its schedule would (whatever the pause status). */
  public synchronized long startRun(long jobId, Map<String, String> parameters) {
    Job job = job(jobId).orElseThrow(() -> new IllegalArgumentException("no job " + jobId));
    long runId = nextRunId++;
    runs.put(runId, new Run(runId, jobId, clock.instant(), Optional.empty(), Optional.empty(),
        Optional.empty()));
    Map<String, String> params = Map.copyOf(parameters);
    logs.put(runId, new StringBuffer());
    ExecutorService runner = runners.computeIfAbsent(jobId, id -> Executors.newSingleThreadExecutor(
        daemon(workspace + "-job-" + id)));
    running.put(runId, runner.submit(() -> execute(job, runId, params)));
    LOG.info("Workspace {}: run {} of job {} ({}) queued", workspace, runId, job.name(), jobId);
    return runId;
  }

  /**
   * What the workspace's scheduler does when every cron fires: starts one run of each job whose
   * schedule, trigger or continuous setting is UNPAUSED. A paused job does not run.
   *
   * @return the runs started
   */
  public synchronized List<Long> fireSchedules() {
    List<Long> started = new ArrayList<>();
    for (Job job : List.copyOf(jobs.values())) {
      if (unpausedTrigger(job.settings)) {
        started.add(startRun(job.id, Map.of()));
      }
    }
    return started;
  }

  /**
   * Watches the folders of the jobs' file-arrival triggers every {@code every}, as the workspace's
   * scheduler does (Databricks checks about once a minute): see {@link #checkFileArrivals}.
   */
  public synchronized void watchFileArrivals(Duration every) {
    if (fileArrivalWatch != null) {
      throw new IllegalStateException("workspace " + workspace + " already watches file arrivals");
    }
    fileArrivalWatch = Executors.newSingleThreadScheduledExecutor(
        daemon(workspace + "-file-arrival"));
    fileArrivalWatch.scheduleWithFixedDelay(() -> {
      try {
        checkFileArrivals();
      } catch (RuntimeException e) {
        LOG.warn("Workspace {}: checking file arrivals failed: {}", workspace, e.toString());
      }
    }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * One check of every {@code trigger.file_arrival}: lists the files under the trigger's
   * {@code url} (a local folder, or a {@code file:} URL) and starts one run of the job when files
   * arrived that the previous check did not see. The first check of a job only notes what is
   * there (files present when the trigger is set do not trigger it); a paused trigger notes new
   * files without a run; {@code min_time_between_triggers_seconds} holds arrivals back until that
   * long after the job's last triggered run started, and they trigger it then.
   *
   * @return the runs started
   */
  public synchronized List<Long> checkFileArrivals() {
    List<Long> startedRuns = new ArrayList<>();
    for (Job job : List.copyOf(jobs.values())) {
      JsonNode trigger = job.settings.path("trigger");
      JsonNode arrival = trigger.path("file_arrival");
      if (!arrival.path("url").isTextual()) {
        fileArrivals.remove(job.id);
        continue;
      }
      String url = arrival.path("url").asText();
      Path folder = localFolder(url);
      Set<String> present = listFiles(folder);
      FileArrivals seen = fileArrivals.get(job.id);
      if (seen == null || !seen.url().equals(url)) {
        fileArrivals.put(job.id, new FileArrivals(url, present,
            Optional.empty()));
        continue;
      }
      boolean arrived = !seen.files().containsAll(present);
      boolean paused = "PAUSED".equals(trigger.path("pause_status").asText());
      Instant now = clock.instant();
      Duration gap = Duration.ofSeconds(arrival.path("min_time_between_triggers_seconds").asLong(0));
      boolean held = seen.lastTriggered().map(last -> now.isBefore(last.plus(gap))).orElse(false);
      if (!arrived || paused) {
        fileArrivals.put(job.id, new FileArrivals(seen.url(), present, seen.lastTriggered()));
      } else if (!held) {
        LOG.info("Workspace {}: new files in {}: file arrival triggers job {} ({})", workspace,
            folder, job.name(), job.id);
        startedRuns.add(startRun(job.id, Map.of()));
        fileArrivals.put(job.id, new FileArrivals(seen.url(), present, Optional.of(now)));
      }
    }
    return startedRuns;
  }

  /** Databricks refuses a file-arrival trigger whose waits are set below 60 seconds. */
  private static Optional<String> fileArrivalProblem(JsonNode settings) {
    JsonNode arrival = settings.path("trigger").path("file_arrival");
    for (String wait : List.of("min_time_between_triggers_seconds",
        "wait_after_last_change_seconds")) {
      if (arrival.has(wait) && arrival.get(wait).asLong() < 60) {
        return Optional.of("trigger.file_arrival." + wait + " must be at least 60 seconds, got "
            + arrival.get(wait).asText());
      }
    }
    return Optional.empty();
  }

  /** What a job's file-arrival trigger saw at its last check. */
  private record FileArrivals(String url, Set<String> files,
      Optional<Instant> lastTriggered) {}

  private static Path localFolder(String url) {
    return url.startsWith("file:") ? Path.of(URI.create(url))
        : Path.of(url);
  }

  private static Set<String> listFiles(Path folder) {
    if (!Files.isDirectory(folder)) {
      return Set.of();
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).map(folder::relativize)
          .map(Path::toString).collect(Collectors.toSet());
    } catch (IOException | UncheckedIOException e) {
      // A file removed while listed (a Delta log's temporary file): the next check lists again.
      return Set.of();
    }
  }

  /** Waits until the run has ended and returns it. */
  public Run awaitRun(long runId, Duration timeout) {
    Future<?> future;
    synchronized (this) {
      future = running.get(runId);
    }
    if (future == null) {
      throw new IllegalArgumentException("no run " + runId + " in " + workspace);
    }
    try {
      future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("run " + runId + " in " + workspace + " did not end within "
          + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for run " + runId, e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
      // The run records its own outcome; a cancelled future is a cancelled run.
    }
    return run(runId).orElseThrow();
  }

  public synchronized Optional<Run> run(long runId) {
    return Optional.ofNullable(runs.get(runId));
  }

  /** What the run has logged so far (empty for a job without a log). */
  public synchronized String log(long runId) {
    StringBuffer log = logs.get(runId);
    return log == null ? "" : log.toString();
  }

  /** The job's runs, newest first. */
  public synchronized List<Run> runs(long jobId) {
    return runs.values().stream().filter(r -> r.jobId() == jobId)
        .sorted(Comparator.comparingLong(Run::runId).reversed()).toList();
  }

  private void execute(Job job, long runId, Map<String, String> parameters) {
    synchronized (this) {
      Run queued = runs.get(runId);
      if (queued.ended()) {
        return; // cancelled while queued
      }
      runs.put(runId, new Run(runId, job.id, clock.instant(), Optional.empty(), Optional.empty(),
          Optional.empty()));
      started.add(runId);
      taskRuns.put(runId, plannedTasks(job));
    }
    Result result;
    Optional<String> message = Optional.empty();
    StringBuffer log;
    synchronized (this) {
      log = logs.get(runId);
    }
    try {
      job.body.run(runId, parameters, log);
      result = Thread.currentThread().isInterrupted() ? Result.CANCELED : Result.SUCCESS;
    } catch (InterruptedException e) {
      result = Result.CANCELED;
    } catch (Exception | AssertionError e) {
      result = Result.FAILED;
      message = Optional.of(String.valueOf(e.getMessage()));
      LOG.info("Workspace {}: run {} of job {} failed: {}", workspace, runId, job.name(),
          e.getMessage());
    }
    endTask(runId, 0, result);
    if (result == Result.SUCCESS) {
      message = runTriggers(job, runId);
      if (message.isPresent()) {
        result = Thread.currentThread().isInterrupted() ? Result.CANCELED : Result.FAILED;
      }
    } else {
      skipTriggers(runId);
    }
    synchronized (this) {
      Run started = runs.get(runId);
      if (!started.ended()) {
        runs.put(runId, new Run(runId, job.id, started.start(), Optional.of(clock.instant()),
            Optional.of(result), message));
      }
    }
    LOG.info("Workspace {}: run {} of job {} ended: {}", workspace, runId, job.name(), result);
  }

  /** The run's tasks as they start: the body task running, each run_job_task waiting for it. */
  private List<TaskRun> plannedTasks(Job job) {
    List<TaskRun> tasks = new ArrayList<>();
    String bodyKey = "main";
    List<JsonNode> triggers = new ArrayList<>();
    for (JsonNode task : job.settings.path("tasks")) {
      if (task.has("run_job_task")) {
        triggers.add(task);
      } else {
        bodyKey = task.path("task_key").asText(bodyKey);
      }
    }
    tasks.add(new TaskRun(bodyKey, nextTaskRunId++, Optional.of(clock.instant()), Optional.empty(),
        Optional.empty(), Optional.empty(), OptionalLong.empty()));
    for (JsonNode trigger : triggers) {
      tasks.add(new TaskRun(trigger.path("task_key").asText(), nextTaskRunId++, Optional.empty(),
          Optional.empty(), Optional.empty(), Optional.of(trigger.get("run_job_task").deepCopy()),
          OptionalLong.empty()));
    }
    return tasks;
  }

  private synchronized void endTask(long runId, int index, Result result) {
    List<TaskRun> tasks = taskRuns.get(runId);
    tasks.set(index, tasks.get(index).ended(clock.instant(), result));
  }

  private synchronized void skipTriggers(long runId) {
    List<TaskRun> tasks = taskRuns.get(runId);
    for (int i = 1; i < tasks.size(); i++) {
      tasks.set(i, tasks.get(i).ended(clock.instant(), Result.UPSTREAM_FAILED));
    }
  }

  /**
   * Runs the job's {@code run_job_task}s one after the other once its body succeeded: each starts
   * the job it names with its {@code job_parameters} and waits for that run, as Databricks does.
   *
   * @return why the run failed; empty when every triggered run succeeded
   */
  private Optional<String> runTriggers(Job job, long runId) {
    int count;
    synchronized (this) {
      count = taskRuns.get(runId).size();
    }
    for (int i = 1; i < count; i++) {
      TaskRun task;
      long triggered;
      synchronized (this) {
        task = taskRuns.get(runId).get(i);
        JsonNode runJobTask = task.runJobTask().orElseThrow();
        long target = runJobTask.path("job_id").asLong();
        if (!jobs.containsKey(target)) {
          taskRuns.get(runId).set(i, task.ended(clock.instant(), Result.FAILED));
          return Optional.of("task " + task.taskKey() + ": job " + target + " does not exist");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        runJobTask.path("job_parameters").fields()
            .forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        triggered = startRun(target, parameters);
        task = new TaskRun(task.taskKey(), task.runId(), Optional.of(clock.instant()),
            Optional.empty(), Optional.empty(), task.runJobTask(), OptionalLong.of(triggered));
        taskRuns.get(runId).set(i, task);
      }
      Run run;
      try {
        run = awaitRun(triggered, Duration.ofHours(1));
      } catch (IllegalStateException e) {
        endTask(runId, i, Result.FAILED);
        return Optional.of("task " + task.taskKey() + ": " + e.getMessage());
      }
      Result result = run.result().orElse(Result.FAILED);
      endTask(runId, i, result);
      if (result != Result.SUCCESS) {
        LOG.info("Workspace {}: run {} of job {}: task {} (run {}) ended {}", workspace, runId,
            job.name(), task.taskKey(), triggered, result);
        return Optional.of("task " + task.taskKey() + ": run " + triggered + " of job "
            + run.jobId() + " ended " + result + run.message().map(m -> ": " + m).orElse(""));
      }
    }
    return Optional.empty();
  }

  /** The run's tasks, as {@code runs/get} lists them (empty for an unknown run). */
  public synchronized List<TaskRun> tasks(long runId) {
    return List.copyOf(taskRuns.getOrDefault(runId, List.of()));
  }

  private synchronized void cancel(long runId) {
    Run run = runs.get(runId);
    if (run == null || run.ended()) {
      return;
    }
    runs.put(runId, new Run(runId, run.jobId(), run.start(), Optional.of(clock.instant()),
        Optional.of(Result.CANCELED), Optional.of("canceled by the Jobs API")));
    Future<?> future = running.get(runId);
    if (future != null) {
      future.cancel(true);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      byte[] raw;
      try (InputStream in = exchange.getRequestBody()) {
        raw = in.readAllBytes();
      }
      JsonNode body = JSON.createObjectNode();
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      if (type != null && type.contains("x-www-form-urlencoded")) {
        query.putAll(query(new String(raw, StandardCharsets.UTF_8)));
      } else if (raw.length > 0) {
        body = JSON.readTree(raw);
      }
      try {
        Reply reply = route(exchange, path, query, body);
        send(exchange, reply.status, reply.json);
      } catch (ApiError e) {
        send(exchange, e.status, JSON.createObjectNode().put("error_code", e.code)
            .put("message", e.getMessage()));
      }
    }
  }

  private record Reply(int status, JsonNode json) {
    static Reply ok(JsonNode json) {
      return new Reply(200, json);
    }
  }

  private static final class ApiError extends RuntimeException {
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  private Reply route(HttpExchange exchange, String path, Map<String, String> query, JsonNode body) {
    String method = exchange.getRequestMethod();
    if (path.equals("/.well-known/databricks-config")) {
      return Reply.ok(JSON.createObjectNode());
    }
    if (path.equals("/oidc/.well-known/oauth-authorization-server")) {
      return Reply.ok(JSON.createObjectNode()
          .put("authorization_endpoint", host() + "/oidc/v1/authorize")
          .put("token_endpoint", host() + "/oidc/v1/token"));
    }
    if (path.equals("/oidc/v1/token") && method.equals("POST")) {
      return oauthToken(exchange, query);
    }
    Principal caller = authenticate(exchange);
    if (method.equals("GET") && path.equals(SCIM_ME)) {
      return me(caller);
    }
    if (method.equals("GET") && path.startsWith(JOB_PERMISSIONS)) {
      return jobPermissions(caller, path.substring(JOB_PERMISSIONS.length()));
    }
    if (!path.startsWith(API)) {
      throw new ApiError(404, "ENDPOINT_NOT_FOUND", "No API found for '" + method + " " + path + "'");
    }
    String endpoint = method + " " + path.substring(API.length());
    return switch (endpoint) {
      case "GET list" -> listJobs(caller, query);
      case "GET get" -> getJob(caller, longParam(query, body, "job_id"));
      case "POST update" -> updateJob(caller, body);
      case "POST run-now" -> runNow(caller, body);
      case "GET runs/list" -> listRuns(caller, query);
      case "GET runs/get" -> getRun(caller, longParam(query, body, "run_id"));
      case "GET runs/get-output" -> getRunOutput(caller, longParam(query, body, "run_id"));
      case "POST runs/cancel" -> cancelRun(caller, longParam(query, body, "run_id"));
      case "POST runs/cancel-all" -> cancelAll(caller, longParam(query, body, "job_id"));
      default -> throw new ApiError(404, "ENDPOINT_NOT_FOUND",
          "No API found for '" + method + " " + path + "'");
    };
  }

  private synchronized Principal authenticate(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    Principal principal = header != null && header.startsWith("Bearer ")
        ? tokens.get(header.substring("Bearer ".length()))
        : null;
    if (principal == null) {
      throw new ApiError(401, "UNAUTHENTICATED", header == null
          ? "Credential was not sent or was of an unsupported type for this API."
          : "Invalid access token.");
    }
    return principal;
  }

  private synchronized Reply oauthToken(HttpExchange exchange, Map<String, String> query) {
    Map<String, String> form = new HashMap<>(query);
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header != null && header.startsWith("Basic ")) {
      String[] pair = new String(Base64.getDecoder().decode(header.substring(6)),
          StandardCharsets.UTF_8).split(":", 2);
      form.put("client_id", URLDecoder.decode(pair[0], StandardCharsets.UTF_8));
      form.put("client_secret", pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : "");
    }
    String[] client = clients.get(form.getOrDefault("client_id", ""));
    if (client == null || !client[0].equals(form.get("client_secret"))) {
      throw new ApiError(401, "invalid_client", "Client authentication failed");
    }
    String token = "oauth" + HexFormat.of().formatHex(bytes(16));
    tokens.put(token, new Principal(client[1], Boolean.parseBoolean(client[2])));
    return Reply.ok(JSON.createObjectNode().put("access_token", token).put("token_type", "Bearer")
        .put("expires_in", 3600));
  }

  private synchronized Reply listJobs(Principal caller, Map<String, String> query) {
    String name = query.get("name");
    List<Job> visible = jobs.values().stream()
        .filter(j -> allowed(caller, j, Permission.CAN_VIEW))
        .filter(j -> name == null || j.name().equalsIgnoreCase(name))
        .toList();
    ObjectNode page = page(visible, query, (j, node) -> node.addObject().put("job_id", j.id)
        .set("settings", JSON.createObjectNode().put("name", j.name())), "jobs");
    return Reply.ok(page);
  }

  private synchronized Reply getJob(Principal caller, long jobId) {
    Job job = visibleJob(caller, jobId, Permission.CAN_VIEW, "View");
    ObjectNode answer = JSON.createObjectNode().put("job_id", job.id);
    answer.set("settings", job.settings.deepCopy());
    return Reply.ok(answer);
  }

  private synchronized Reply updateJob(Principal caller, JsonNode body) {
    Job job = visibleJob(caller, longParam(Map.of(), body, "job_id"), Permission.CAN_MANAGE,
        "Manage");
    JsonNode changes = body.path("new_settings");
    if (!changes.isObject()) {
      throw new ApiError(400, "INVALID_PARAMETER_VALUE", "new_settings is required");
    }
    ObjectNode updated = job.settings.deepCopy();
    changes.fields().forEachRemaining(e -> updated.set(e.getKey(), e.getValue().deepCopy()));
    fileArrivalProblem(updated).ifPresent(problem -> {
      throw new ApiError(400, "INVALID_PARAMETER_VALUE", problem);
    });
    job.settings = updated;
    LOG.info("Workspace {}: job {} ({}) updated by {}: {}", workspace, job.name(), job.id,
        caller.name(), changes);
    return Reply.ok(JSON.createObjectNode());
  }

  private synchronized Reply runNow(Principal caller, JsonNode body) {
    Job job = visibleJob(caller, longParam(Map.of(), body, "job_id"), Permission.CAN_MANAGE_RUN,
        "Manage Run");
    Map<String, String> parameters = new LinkedHashMap<>();
    body.path("job_parameters").fields()
        .forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
    long runId = startRun(job.id, parameters);
    return Reply.ok(JSON.createObjectNode().put("run_id", runId).put("number_in_job", runId));
  }

  private synchronized Reply listRuns(Principal caller, Map<String, String> query) {
    long jobId = longParam(query, JSON.createObjectNode(), "job_id");
    visibleJob(caller, jobId, Permission.CAN_VIEW, "View");
    Predicate<Run> filter = r -> true;
    if ("true".equals(query.get("active_only"))) {
      filter = r -> !r.ended();
    } else if ("true".equals(query.get("completed_only"))) {
      filter = Run::ended;
    }
    List<Run> matching = runs(jobId).stream().filter(filter).toList();
    boolean expand = "true".equals(query.get("expand_tasks"));
    return Reply.ok(page(matching, query, (r, node) -> node.add(runJson(r, expand)), "runs"));
  }

  private synchronized Reply getRun(Principal caller, long runId) {
    Run run = Optional.ofNullable(runs.get(runId)).orElseThrow(() -> new ApiError(400,
        "INVALID_PARAMETER_VALUE", "Run " + runId + " does not exist."));
    visibleJob(caller, run.jobId(), Permission.CAN_VIEW, "View");
    return Reply.ok(runJson(run, true));
  }

  private synchronized Reply getRunOutput(Principal caller, long runId) {
    Run run = Optional.ofNullable(runs.get(runId)).orElseThrow(() -> new ApiError(400,
        "INVALID_PARAMETER_VALUE", "Run " + runId + " does not exist."));
    visibleJob(caller, run.jobId(), Permission.CAN_VIEW, "View");
    ObjectNode answer = JSON.createObjectNode();
    answer.set("metadata", runJson(run, true));
    answer.put("logs", log(runId)).put("logs_truncated", false);
    run.message().ifPresent(m -> answer.put("error", m));
    return Reply.ok(answer);
  }

  private synchronized Reply cancelRun(Principal caller, long runId) {
    Run run = Optional.ofNullable(runs.get(runId)).orElseThrow(() -> new ApiError(400,
        "INVALID_PARAMETER_VALUE", "Run " + runId + " does not exist."));
    visibleJob(caller, run.jobId(), Permission.CAN_MANAGE_RUN, "Manage Run");
    cancel(runId);
    return Reply.ok(JSON.createObjectNode());
  }

  private synchronized Reply cancelAll(Principal caller, long jobId) {
    visibleJob(caller, jobId, Permission.CAN_MANAGE_RUN, "Manage Run");
    for (Run run : runs(jobId)) {
      cancel(run.runId());
    }
    return Reply.ok(JSON.createObjectNode());
  }

  /** Who the caller is: its name, and group {@code admins} for a workspace admin. */
  private static Reply me(Principal caller) {
    ObjectNode user = JSON.createObjectNode().put("id", Integer.toHexString(caller.name().hashCode()))
        .put("userName", caller.name()).put("displayName", caller.name()).put("active", true);
    ArrayNode groups = user.putArray("groups");
    if (caller.admin()) {
      groups.addObject().put("display", "admins").put("value", "admins");
    }
    return Reply.ok(user);
  }

  /**
   * The job's access control list, as the Permissions API answers: one entry per principal
   * granted a level ({@code user_name} for names with an {@code @}, else
   * {@code service_principal_name}), and group {@code admins} with CAN_MANAGE inherited from the
   * jobs root. Reading it needs CAN_VIEW on the job.
   */
  private synchronized Reply jobPermissions(Principal caller, String rawId) {
    long jobId;
    try {
      jobId = Long.parseLong(rawId);
    } catch (NumberFormatException e) {
      throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Invalid job id: " + rawId);
    }
    Job job = job(jobId).orElseThrow(() -> new ApiError(404, "RESOURCE_DOES_NOT_EXIST",
        "Job " + rawId + " does not exist."));
    if (!allowed(caller, job, Permission.CAN_VIEW)) {
      throw new ApiError(403, "PERMISSION_DENIED", "User " + caller.name()
          + " does not have View permissions on job " + jobId + ".");
    }
    ObjectNode answer = JSON.createObjectNode().put("object_id", "/jobs/" + jobId)
        .put("object_type", "job");
    ArrayNode acl = answer.putArray("access_control_list");
    job.permissions.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      ObjectNode entry = acl.addObject()
          .put(e.getKey().contains("@") ? "user_name" : "service_principal_name", e.getKey());
      entry.putArray("all_permissions").addObject()
          .put("permission_level", e.getValue().name()).put("inherited", false);
    });
    ObjectNode admins = acl.addObject().put("group_name", "admins");
    ObjectNode inherited = admins.putArray("all_permissions").addObject()
        .put("permission_level", Permission.CAN_MANAGE.name()).put("inherited", true);
    inherited.putArray("inherited_from_object").add("/jobs/");
    return Reply.ok(answer);
  }

  /** A run as the API describes it; with its {@code tasks} when {@code withTasks}. */
  private ObjectNode runJson(Run run, boolean withTasks) {
    ObjectNode node = JSON.createObjectNode().put("run_id", run.runId()).put("job_id", run.jobId())
        .put("start_time", run.start().toEpochMilli())
        .put("end_time", run.end().map(Instant::toEpochMilli).orElse(0L));
    ObjectNode state = node.putObject("state");
    if (run.result().isPresent()) {
      state.put("life_cycle_state", "TERMINATED").put("result_state", run.result().get().name());
      run.message().ifPresent(m -> state.put("state_message", m));
    } else {
      state.put("life_cycle_state", started.contains(run.runId()) ? "RUNNING" : "PENDING");
    }
    List<TaskRun> tasks = taskRuns.get(run.runId());
    if (withTasks && tasks != null) {
      ArrayNode list = node.putArray("tasks");
      for (TaskRun task : tasks) {
        ObjectNode t = list.addObject().put("task_key", task.taskKey()).put("run_id", task.runId())
            .put("start_time", task.start().map(Instant::toEpochMilli).orElse(0L))
            .put("end_time", task.end().map(Instant::toEpochMilli).orElse(0L));
        ObjectNode taskState = t.putObject("state");
        if (task.result().isPresent()) {
          taskState.put("life_cycle_state", "TERMINATED")
              .put("result_state", task.result().get().name());
        } else {
          taskState.put("life_cycle_state", task.start().isPresent() ? "RUNNING" : "BLOCKED");
        }
        task.runJobTask().ifPresent(r -> t.set("run_job_task", r.deepCopy()));
      }
    }
    return node;
  }

  private interface Writer<T> {
    void write(T item, ArrayNode into);
  }

  /** One page of {@code items}: {@code page_token} is the offset, {@code limit} at most 25. */
  private static <T> ObjectNode page(List<T> items, Map<String, String> query, Writer<T> writer,
      String field) {
    int offset = query.containsKey("page_token") ? Integer.parseInt(query.get("page_token")) : 0;
    int limit = Math.min(MAX_PAGE, Integer.parseInt(query.getOrDefault("limit", "" + MAX_PAGE)));
    ObjectNode page = JSON.createObjectNode();
    ArrayNode array = page.putArray(field);
    for (T item : items.subList(Math.min(offset, items.size()), Math.min(offset + limit, items.size()))) {
      writer.write(item, array);
    }
    boolean more = offset + limit < items.size();
    page.put("has_more", more);
    if (more) {
      page.put("next_page_token", Integer.toString(offset + limit));
    }
    return page;
  }

  private Job visibleJob(Principal caller, long jobId, Permission needed, String word) {
    Job job = job(jobId).orElseThrow(() -> new ApiError(400, "INVALID_PARAMETER_VALUE",
        "Job " + jobId + " does not exist."));
    if (!allowed(caller, job, needed)) {
      throw new ApiError(403, "PERMISSION_DENIED", "User " + caller.name()
          + " does not have Admin or " + word + " or Owner permissions on job " + jobId + ".");
    }
    return job;
  }

  private synchronized Optional<Job> job(long jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  private static boolean allowed(Principal caller, Job job, Permission needed) {
    Permission granted = job.permissions.get(caller.name());
    return caller.admin() || (granted != null && granted.includes(needed));
  }

  private static boolean unpausedTrigger(ObjectNode settings) {
    for (String trigger : List.of("schedule", "trigger", "continuous")) {
      JsonNode node = settings.path(trigger);
      if (node.isObject() && !"PAUSED".equals(node.path("pause_status").asText())) {
        return true;
      }
    }
    return false;
  }

  private static long longParam(Map<String, String> query, JsonNode body, String name) {
    String value = body.hasNonNull(name) ? body.get(name).asText() : query.get(name);
    try {
      return Long.parseLong(Objects.requireNonNull(value));
    } catch (NumberFormatException | NullPointerException e) {
      throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Missing required field: " + name);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return params;
  }

  private static void send(HttpExchange exchange, int status, JsonNode json) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(json);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    server.stop(0);
    synchronized (this) {
      runners.values().forEach(ExecutorService::shutdownNow);
      if (fileArrivalWatch != null) {
        fileArrivalWatch.shutdownNow();
      }
    }
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }
}
