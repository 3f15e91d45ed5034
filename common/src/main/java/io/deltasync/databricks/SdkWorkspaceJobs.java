package io.deltasync.databricks;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.service.iam.ComplexValue;
import com.databricks.sdk.service.iam.User;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.GetJobRequest;
import com.databricks.sdk.service.jobs.Job;
import com.databricks.sdk.service.jobs.JobAccessControlResponse;
import com.databricks.sdk.service.jobs.JobPermission;
import com.databricks.sdk.service.jobs.JobPermissions;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.errors.SyncErrors;
import io.deltasync.preflight.JobFacts;
import io.deltasync.preflight.JobPermissionLevel;
import io.deltasync.preflight.WorkspaceJobs;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@link WorkspaceJobs} through databricks-sdk-java: {@code jobs/list} and {@code jobs/get} for the
 * jobs and their settings, {@code GET /api/2.0/permissions/jobs/{id}} for their access control
 * lists, and {@code scim/v2/Me} for who the configured principal is.
 *
 * <p>A job's settings are flattened for comparison across workspaces: its job parameters and its
 * tasks (keyed by {@code task_key}, libraries included), leaving out what each workspace sets on its
 * own (the cluster, and the deploy root of each path: workspace and volume paths compare by file
 * name) and the value of {@code --region}, which names the job's own region.
 */
public final class SdkWorkspaceJobs implements WorkspaceJobs {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Task fields that each workspace sets for itself. */
  private static final Set<String> PER_WORKSPACE = Set.of("existing_cluster_id", "new_cluster");

  private final String workspace;
  private final Supplier<WorkspaceClient> connect;
  private WorkspaceClient client;
  private User me;

  /**
   * @param workspace the workspace's name and URL, for report lines
   * @param connect the client, with the configured credentials of that workspace; called until it
   *     succeeds once
   */
  public SdkWorkspaceJobs(String workspace, Supplier<WorkspaceClient> connect) {
    this.workspace = Objects.requireNonNull(workspace, "workspace");
    this.connect = Objects.requireNonNull(connect, "connect");
  }

  @Override
  public String workspace() {
    return workspace;
  }

  @Override
  public String caller() {
    return me().getUserName();
  }

  @Override
  public List<JobFacts> jobs(String name) {
    return call("list jobs named " + name, () -> {
      List<JobFacts> found = new ArrayList<>();
      for (BaseJob base : client().jobs().list(new ListJobsRequest().setName(name))) {
        if (base.getSettings() == null || !name.equals(base.getSettings().getName())) {
          continue;
        }
        long id = base.getJobId();
        Job job = client().jobs().get(new GetJobRequest().setJobId(id));
        JobPermissions acl = client().jobs().getPermissions(String.valueOf(id));
        found.add(new JobFacts(id, name, level(acl), flatten(JSON.valueToTree(job.getSettings()))));
      }
      return List.copyOf(found);
    });
  }

  /** The caller's highest level: its own entries, its groups', and owner for workspace admins. */
  private JobPermissionLevel level(JobPermissions acl) {
    User caller = me();
    List<String> groups = caller.getGroups() == null ? List.of()
        : caller.getGroups().stream().map(ComplexValue::getDisplay).toList();
    if (groups.contains("admins")) {
      return JobPermissionLevel.IS_OWNER;
    }
    JobPermissionLevel best = JobPermissionLevel.NONE;
    if (acl.getAccessControlList() == null) {
      return best;
    }
    for (JobAccessControlResponse entry : acl.getAccessControlList()) {
      boolean mine = caller.getUserName().equals(entry.getUserName())
          || caller.getUserName().equals(entry.getServicePrincipalName())
          || (entry.getGroupName() != null && groups.contains(entry.getGroupName()));
      if (!mine || entry.getAllPermissions() == null) {
        continue;
      }
      for (JobPermission permission : entry.getAllPermissions()) {
        JobPermissionLevel level = JobPermissionLevel.valueOf(
            permission.getPermissionLevel().name());
        if (level.compareTo(best) > 0) {
          best = level;
        }
      }
    }
    return best;
  }

  /** Job parameters and tasks as {@code path -> value}. */
  static Map<String, String> flatten(JsonNode settings) {
    Map<String, String> fields = new TreeMap<>();
    JsonNode parameters = settings.path("parameters");
    for (JsonNode parameter : parameters) {
      fields.put("parameters[" + parameter.path("name").asText() + "].default",
          parameter.path("default").asText());
    }
    for (JsonNode task : settings.path("tasks")) {
      String prefix = "tasks[" + task.path("task_key").asText() + "]";
      for (Iterator<Map.Entry<String, JsonNode>> it = task.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!PER_WORKSPACE.contains(field.getKey())) {
          flatten(prefix + "." + field.getKey(), field.getValue(), fields);
        }
      }
    }
    return fields;
  }

  private static void flatten(String path, JsonNode node, Map<String, String> into) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flatten(path + "." + e.getKey(), e.getValue(), into));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        boolean regionValue = i > 0 && "--region".equals(node.get(i - 1).asText());
        flatten(path + "[" + i + "]", regionValue ? JSON.getNodeFactory().textNode("<region>")
            : node.get(i), into);
      }
    } else if (!node.isNull()) {
      into.put(path, deployedPath(node.asText()));
    }
  }

  /** A workspace or volume path compares by its file name: each target has its own root. */
  private static String deployedPath(String value) {
    boolean deployed = value.startsWith("/Workspace/") || value.startsWith("/Volumes/")
        || value.startsWith("dbfs:/");
    return deployed ? ".../" + value.substring(value.lastIndexOf('/') + 1) : value;
  }

  private synchronized WorkspaceClient client() {
    if (client == null) {
      client = connect.get();
    }
    return client;
  }

  private synchronized User me() {
    if (me == null) {
      me = call("read the caller's identity", () -> client().currentUser().me(new com.databricks.sdk.service.iam.MeRequest()));
    }
    return me;
  }

  private <T> T call(String action, Supplier<T> body) {
    try {
      return body.get();
    } catch (DatabricksError e) {
      String why = e.getErrorCode() == null ? e.getMessage() : e.getErrorCode() + " "
          + e.getMessage();
      throw SyncErrors.workspaceRefused(workspace, action, e.getStatusCode(), why);
    } catch (DatabricksException | java.io.UncheckedIOException e) {
      throw SyncErrors.workspaceUnreachable(workspace, action, rootMessage(e));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": "
        + root.getMessage());
  }
}
