package io.deltasync.samples.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.errors.SyncErrors;
import io.deltasync.local.LocalJobsServer.Permission;
import io.deltasync.samples.RunWorkflowCommand.Region;
import io.deltasync.samples.SampleWorkflow1;
import io.deltasync.samples.SampleWorkflow2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one simulated workspace serves: its region, the deltasync config its jobs read, its
 * principals (each with the secret key naming its token) and its jobs with their schedules' pause
 * states and permissions. {@link #bundle} writes what {@code databricks bundle deploy} deploys in a
 * region; the file is JSON ({@link #write}, {@link #read}).
 *
 * @param region the region this workspace is in
 * @param workspace the workspace's name (in logs and the Jobs API's messages)
 * @param regionDir the region's folder: its tables ({@code <dir>/<catalog>/<schema>/<table>}) and
 *     its run log
 * @param config the deltasync config every deltasync job of the workspace runs with
 * @param secretScope the secret scope holding the principals' tokens
 * @param port the Jobs API's loopback port; 0 for a free one
 * @param readyFile written once the Jobs API answers: {@code {"port":..,"pid":..}}
 * @param principals who may call the Jobs API
 * @param jobs the deployed jobs
 * @param eventDriven present when sync is event-driven, as the bundle deploys it: each sample
 *     workflow ends with a task starting the sender for its groups, and the receiver runs when
 *     the sender rings its doorbell, a file-arrival trigger checked every given period, instead of
 *     on its schedule
 */
public record WorkspaceSpec(
    Region region,
    String workspace,
    String regionDir,
    Path config,
    String secretScope,
    int port,
    Path readyFile,
    List<PrincipalSpec> principals,
    List<JobSpec> jobs,
    Optional<Duration> eventDriven) {

  /** Format of the spec file. */
  public static final int FORMAT_VERSION = 1;

  /** The people and CI principal who deploy and operate deltasync: CAN_MANAGE on every job. */
  public static final String OPERATORS = "deltasync-operators";
  /** deltasync's Jobs API caller (the config's credentials): CAN_MANAGE on the switched jobs. */
  public static final String JOBS_API = "deltasync-jobs-api";
  /** The sender's run-as: no permission on any job. */
  public static final String SENDER = "deltasync-sender";
  /** The run-as of the receiver, failover and failback: no permission on any job. */
  public static final String RECEIVER = "deltasync-receiver";

  /** The bundle's job names. */
  public static final String SENDER_JOB = "deltasync_sender";
  public static final String RECEIVER_JOB = "deltasync_receiver";
  public static final String FAILOVER_JOB = "deltasync_failover";
  public static final String FAILBACK_JOB = "deltasync_failback";
  public static final String STATUS_JOB = "deltasync_status";
  public static final String PREFLIGHT_JOB = "deltasync_preflight";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A principal of the workspace.
   *
   * @param name the principal's name
   * @param tokenKey the key, in the spec's secret scope, of its personal access token
   * @param admin a workspace admin (may do everything)
   */
  public record PrincipalSpec(String name, String tokenKey, boolean admin) {
    public PrincipalSpec {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(tokenKey, "tokenKey");
    }
  }

  /** What a job runs. */
  public enum Kind {
    /** A deltasync command: {@code args}, then {@code --config <config>}. */
    DELTASYNC,
    /** A sample workflow (its name is the job's), on this region's tables. */
    SAMPLE_WORKFLOW
  }

  /**
   * A deployed job.
   *
   * @param name the job's name
   * @param kind what it runs
   * @param args the deltasync command and its options (empty for a sample workflow)
   * @param schedule the pause status of its schedule; empty for a job without one (run on demand)
   * @param permissions each principal's permission level on it
   */
  public record JobSpec(String name, Kind kind, List<String> args, Optional<String> schedule,
      Map<String, Permission> permissions) {
    public JobSpec {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      args = List.copyOf(args);
      Objects.requireNonNull(schedule, "schedule");
      permissions = Map.copyOf(permissions);
    }
  }

  public WorkspaceSpec {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(regionDir, "regionDir");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(secretScope, "secretScope");
    Objects.requireNonNull(readyFile, "readyFile");
    principals = List.copyOf(principals);
    jobs = List.copyOf(jobs);
    Objects.requireNonNull(eventDriven, "eventDriven");
  }

  /** This spec with event-driven sync, checking file arrivals every {@code fileArrivalCheck}. */
  public WorkspaceSpec withEventDriven(Duration fileArrivalCheck) {
    return new WorkspaceSpec(region, workspace, regionDir, config, secretScope, port, readyFile,
        principals, jobs, Optional.of(fileArrivalCheck));
  }

  /** The key of a principal's token in a region's workspace. */
  public static String tokenKey(Region region, String principal) {
    return region + "-" + principal + "-token";
  }

  /**
   * What the bundle deploys in {@code region} when {@code active} is the active region: the sample
   * workflows and the sender scheduled in the active region, the receiver in the passive one,
   * failover and failback on demand, status and preflight everywhere; operators manage every job, the Jobs API
   * principal the jobs failover and failback switch, the run-as principals none.
   */
  public static WorkspaceSpec bundle(Region region, Region active, String workspace,
      String regionDir, Path config, String secretScope, int port, Path readyFile) {
    String run = region == active ? "UNPAUSED" : "PAUSED";
    String receive = region == active ? "PAUSED" : "UNPAUSED";
    List<PrincipalSpec> principals = new ArrayList<>();
    for (String name : List.of(OPERATORS, JOBS_API, SENDER, RECEIVER)) {
      principals.add(new PrincipalSpec(name, tokenKey(region, name), false));
    }
    Map<String, Permission> switched = Map.of(OPERATORS, Permission.CAN_MANAGE,
        JOBS_API, Permission.CAN_MANAGE);
    Map<String, Permission> operated = Map.of(OPERATORS, Permission.CAN_MANAGE);
    List<JobSpec> jobs = List.of(
        new JobSpec(SampleWorkflow1.NAME, Kind.SAMPLE_WORKFLOW, List.of(), Optional.of(run), switched),
        new JobSpec(SampleWorkflow2.NAME, Kind.SAMPLE_WORKFLOW, List.of(), Optional.of(run), switched),
        new JobSpec(SENDER_JOB, Kind.DELTASYNC, List.of("send", "--json"), Optional.of(run),
            switched),
        new JobSpec(RECEIVER_JOB, Kind.DELTASYNC, List.of("receive", "--json"),
            Optional.of(receive), switched),
        new JobSpec(FAILOVER_JOB, Kind.DELTASYNC, List.of("failover", "--json"), Optional.empty(),
            operated),
        new JobSpec(FAILBACK_JOB, Kind.DELTASYNC, List.of("failback", "--json"), Optional.empty(),
            operated),
        new JobSpec(STATUS_JOB, Kind.DELTASYNC, List.of("status"), Optional.of("UNPAUSED"),
            operated),
        new JobSpec(PREFLIGHT_JOB, Kind.DELTASYNC, List.of("preflight"), Optional.of("UNPAUSED"),
            operated));
    return new WorkspaceSpec(region, workspace, regionDir, config, secretScope, port, readyFile,
        principals, jobs, Optional.empty());
  }

  /** Writes the spec as JSON. */
  public void write(Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode().put("format_version", FORMAT_VERSION)
        .put("region", region.name()).put("workspace", workspace).put("region_dir", regionDir)
        .put("config", config.toString()).put("secret_scope", secretScope).put("port", port)
        .put("ready_file", readyFile.toString());
    ArrayNode people = root.putArray("principals");
    for (PrincipalSpec p : principals) {
      people.addObject().put("name", p.name()).put("token_key", p.tokenKey())
          .put("admin", p.admin());
    }
    ArrayNode jobList = root.putArray("jobs");
    for (JobSpec j : jobs) {
      ObjectNode job = jobList.addObject().put("name", j.name()).put("kind", j.kind().name());
      j.args().forEach(job.putArray("args")::add);
      j.schedule().ifPresent(s -> job.put("schedule_pause_status", s));
      ObjectNode grants = job.putObject("permissions");
      j.permissions().forEach((who, level) -> grants.put(who, level.name()));
    }
    eventDriven.ifPresent(check -> root.putObject("event_driven")
        .put("file_arrival_check_millis", check.toMillis()));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  /** Reads a spec {@link #write} wrote; names the file and the field when it cannot. */
  public static WorkspaceSpec read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw SyncErrors.usage("cannot read the workspace spec " + file + ": " + e.getMessage());
    }
    if (root.path("format_version").asInt(-1) != FORMAT_VERSION) {
      throw SyncErrors.usage("workspace spec " + file + " has format_version "
          + root.path("format_version") + ", expected " + FORMAT_VERSION
          + ": write it with this version of deltasync");
    }
    try {
      List<PrincipalSpec> principals = new ArrayList<>();
      for (JsonNode p : root.path("principals")) {
        principals.add(new PrincipalSpec(text(p, "name"), text(p, "token_key"),
            p.path("admin").asBoolean(false)));
      }
      List<JobSpec> jobs = new ArrayList<>();
      for (JsonNode j : root.path("jobs")) {
        List<String> args = new ArrayList<>();
        j.path("args").forEach(a -> args.add(a.asText()));
        Map<String, Permission> grants = new LinkedHashMap<>();
        j.path("permissions").fields().forEachRemaining(
            e -> grants.put(e.getKey(), Permission.valueOf(e.getValue().asText())));
        jobs.add(new JobSpec(text(j, "name"), Kind.valueOf(text(j, "kind")), args,
            Optional.ofNullable(j.path("schedule_pause_status").textValue()), grants));
      }
      return new WorkspaceSpec(Region.valueOf(text(root, "region")), text(root, "workspace"),
          text(root, "region_dir"), Path.of(text(root, "config")), text(root, "secret_scope"),
          root.path("port").asInt(0), Path.of(text(root, "ready_file")), principals, jobs,
          root.has("event_driven") ? Optional.of(Duration.ofMillis(
              root.path("event_driven").path("file_arrival_check_millis").asLong(60_000)))
              : Optional.empty());
    } catch (IllegalArgumentException e) {
      throw SyncErrors.usage("workspace spec " + file + " is invalid: " + e.getMessage());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException("\"" + field + "\" is missing or blank in " + node);
    }
    return value.asText();
  }
}
